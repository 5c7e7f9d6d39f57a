from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from supine.accounts.lockout import MESSAGE as LOCKED_OUT
from supine.accounts.tokens import issue_token, revoke_token
from supine.api.schemas import Message, StrictInput

router = Router(tags=["auth"])


class Credentials(StrictInput):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(Schema):
    token: str


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: Message, 429: Message},
    summary="Exchange a username and password for a bearer token",
)
def create_token(request: HttpRequest, credentials: Credentials):
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, LOCKED_OUT)
    if user is None:
        raise HttpError(401, "Wrong username or password.")
    # A sign-in like the login page's: recorded as a login (last login, the sign-in log)
    # and it clears this username's failed attempts from this address.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": issue_token(user=user)}


@router.delete(
    "/token", response={204: None, 400: Message}, summary="Revoke the bearer token of this call"
)
def delete_token(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw:
        raise HttpError(400, "Send the token to revoke as 'Authorization: Bearer <token>'.")
    revoke_token(raw.strip())
    return Status(204, None)
