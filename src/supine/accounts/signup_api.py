"""Sign-up through the API: an invitation code, a username and a password → a token."""

from __future__ import annotations

from django.contrib.auth import user_logged_in
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from supine.accounts import rate_limit
from supine.accounts.invitations import InvitationGone, SignupRefused, sign_up
from supine.accounts.tokens import issue
from supine.api.schemas import Message, StrictInput

router = Router(tags=["auth"])


class SignupIn(StrictInput):
    code: str = Field(min_length=1, max_length=20, description="the 8-character code")
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024, description="12 characters or more")


class SignupOut(Schema):
    token: str


class FieldError(Schema):
    field: str
    message: str


class Refused(Schema):
    detail: str
    errors: list[FieldError]


@router.post(
    "/signup",
    auth=None,
    response={201: SignupOut, 410: Message, 422: Refused, 429: Message},
    summary="Sign up with an invitation code: the account opens and a bearer token is issued",
)
def signup(request: HttpRequest, payload: SignupIn):
    if not rate_limit.allow("signup"):
        raise HttpError(429, rate_limit.MESSAGE)
    try:
        patient = sign_up(code=payload.code, username=payload.username, password=payload.password)
    except InvitationGone:
        raise HttpError(410, InvitationGone.message) from None
    except SignupRefused as refusal:
        errors = [
            {"field": field, "message": message}
            for field, messages in refusal.errors.items()
            for message in messages
        ]
        return Status(422, {"detail": f"Invalid input — {refusal}", "errors": errors})
    user_logged_in.send(sender=patient.user.__class__, request=request, user=patient.user)
    raw, _ = issue(user=patient.user)
    return Status(201, {"token": raw})
