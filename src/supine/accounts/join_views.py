"""Joining: a patient opens their invitation (link or code) and chooses a username and
password; a colleague opens theirs; anyone who forgot their password asks for a link."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supine.accounts import rate_limit
from supine.accounts.invitations import (
    InvitationGone,
    SignupRefused,
    clinician_invitation_by,
    invitation_by,
    join_as_clinician,
    sign_up,
)

_BACKEND = "django.contrib.auth.backends.ModelBackend"


class JoinForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="Choose a username",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        max_length=1024,
        label="Choose a password (12 characters or more)",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class JoinByCodeForm(JoinForm):
    code = forms.CharField(
        max_length=20,
        label="Your 8-character code (from the card)",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    field_order = ["code", "username", "password"]


def _gone(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/invitation_gone.html", {"why": InvitationGone.message}, status=410
    )


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/rate_limited.html", status=429)


def _refused(form: forms.Form, refusal: SignupRefused) -> None:
    for field, messages in refusal.errors.items():
        for message in messages:
            form.add_error(field, message)


@require_http_methods(["GET", "POST"])
def join_by_code(request: HttpRequest) -> HttpResponse:
    form = JoinByCodeForm(request.POST or None)
    if request.method == "POST":
        if not rate_limit.allow("signup"):
            return _limited(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                patient = sign_up(
                    code=data["code"], username=data["username"], password=data["password"]
                )
            except InvitationGone:
                form.add_error("code", InvitationGone.message)
            except SignupRefused as refusal:
                _refused(form, refusal)
            else:
                login(request, patient.user, backend=_BACKEND)
                return redirect("screening")
    status = 422 if form.errors else 200
    return render(request, "accounts/join.html", {"form": form, "by_code": True}, status=status)


def _join_by_token(request, *, join, home: str, context: dict) -> HttpResponse:
    """The form behind an invitation link: on success the new user is signed in and sent
    `home`; a link used meanwhile is "gone", a refusal is shown on the form."""
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if not rate_limit.allow("signup"):
            return _limited(request)
        if form.is_valid():
            try:
                user = join(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                ).user
            except InvitationGone:
                return _gone(request)
            except SignupRefused as refusal:
                _refused(form, refusal)
            else:
                login(request, user, backend=_BACKEND)
                return redirect(home)
    context = {"form": form, "by_code": False, **context}
    return render(request, "accounts/join.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def join_by_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_by(token=token)
    except InvitationGone:
        return _gone(request)
    return _join_by_token(
        request,
        join=lambda **answers: sign_up(token=token, **answers),
        home="screening",
        context={"clinic": invitation.patient.clinic},
    )


@require_http_methods(["GET", "POST"])
def join_as_colleague(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = clinician_invitation_by(token)
    except InvitationGone:
        return _gone(request)
    return _join_by_token(
        request,
        join=lambda **answers: join_as_clinician(token=token, **answers),
        home="clinic-home",
        context={"clinic": invitation.clinic, "colleague": True},
    )


class ForgotPassword(auth_views.PasswordResetView):
    """Always the same answer, whether or not an account has that address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    @property
    def domain_override(self) -> str:
        # The link names Supine's own address, never the Host header a request claimed.
        return urlsplit(settings.SUPINE_SITE_URL).netloc

    def post(self, request, *args, **kwargs):
        if not rate_limit.allow("password_reset"):
            return _limited(request)
        return super().post(request, *args, **kwargs)
