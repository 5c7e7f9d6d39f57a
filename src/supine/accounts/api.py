from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from supine.accounts.lockout import MESSAGE as LOCKED_OUT
from supine.accounts.tokens import issue, live_tokens, revoke_token, revoke_token_of, token_hash
from supine.api.schemas import Message, StrictInput

router = Router(tags=["auth"])


class Credentials(StrictInput):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(Schema):
    token: str
    id: uuid.UUID
    expires_at: datetime


class TokenInfoOut(Schema):
    id: uuid.UUID
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool = Field(description="the token this call was made with")


def _bearer(request: HttpRequest) -> str | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" and raw.strip() else None


def _signed_in(request: HttpRequest) -> User:
    """The caller's account (the API lets no anonymous call this far)."""
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "Sign in first.")
    return user


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
    raw, token = issue(user=user)
    return {"token": raw, "id": token.public_id, "expires_at": token.expires_at}


@router.delete(
    "/token", response={204: None, 400: Message}, summary="Revoke the bearer token of this call"
)
def delete_token(request: HttpRequest):
    raw = _bearer(request)
    if raw is None:
        raise HttpError(400, "Send the token to revoke as 'Authorization: Bearer <token>'.")
    revoke_token(raw)
    return Status(204, None)


@router.get(
    "/tokens",
    response=list[TokenInfoOut],
    summary="Your live tokens (not revoked, not expired), newest first",
)
def list_tokens(request: HttpRequest):
    raw = _bearer(request)
    this_one = token_hash(raw) if raw else None
    return [
        {
            "id": token.public_id,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "expires_at": token.expires_at,
            "current": token.key_hash == this_one,
        }
        for token in live_tokens(_signed_in(request))
    ]


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 404: Message},
    summary="Revoke one of your tokens",
)
def delete_token_by_id(request: HttpRequest, token_id: uuid.UUID):
    if not revoke_token_of(user=_signed_in(request), token_id=token_id):
        raise HttpError(404, "You have no live token with this id.")
    return Status(204, None)
