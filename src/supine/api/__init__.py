"""The API object: authentication, error shapes, and the routers of each app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from supine.accounts.tokens import user_for_token
from supine.api.people import Blocked
from supine.middleware import too_large_message


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The browser's login session; unsafe methods also need the CSRF token."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # No signed-in session, nothing to forge: the caller is simply not signed in (401),
        # and the CSRF check is for the requests that do carry a session.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user if request.user.is_authenticated else None


UNAUTHENTICATED = (
    "Sign in first, or send 'Authorization: Bearer <token>' (get one from POST /api/v1/auth/token)."
)


def _signed_in_in_production(view: Callable) -> Callable:
    """The schema and its docs page are for people who use the API: in production, only
    for someone signed in (a session, or a bearer token for tools)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.DEBUG or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and user_for_token(token.strip()) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": UNAUTHENTICATED}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


api = NinjaAPI(
    title="Supine API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionCookie()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_signed_in_in_production,
)


def _field_name(location: tuple) -> str:
    # ninja reports ("body", "payload", "score"); people want "score".
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        field = _field_name(tuple(error.get("loc", ())))
        message = error.get("msg", "is not valid")
        if error.get("type") == "json_invalid" or (field == "body" and "JSON" in message):
            message = "The request body is not valid JSON."
        errors.append({"field": field, "message": message})
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(
        request, {"detail": f"Invalid input — {summary}", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": too_large_message()}, status=413)


@api.exception_handler(Blocked)
def _blocked(request: HttpRequest, exc: Blocked) -> HttpResponse:
    return api.create_response(request, exc.status, status=403)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _wire_routers() -> None:
    from supine.accounts.api import router as accounts_router
    from supine.appointments.api import clinic_router as appointments_router
    from supine.appointments.api import me_router as calendar_router
    from supine.clinic.api import router as clinic_router
    from supine.clinic.dashboard_api import router as patients_router
    from supine.clinic.program_api import router as program_router
    from supine.library.api import router as library_router
    from supine.outcomes.api import router as outcomes_router
    from supine.programs.api import router as programs_router
    from supine.safety.api import router as safety_router
    from supine.sessions.api import router as sessions_router

    api.add_router("/auth", accounts_router)
    api.add_router("/exercises", library_router)
    api.add_router("/me", programs_router)
    api.add_router("/me", outcomes_router)
    api.add_router("/me", sessions_router)
    api.add_router("/me", safety_router)
    api.add_router("/clinic", clinic_router)
    api.add_router("/clinic", program_router)  # issue 9, Part P: the program builder
    # Issue 9, part E: enrolment and sign-up.
    from supine.accounts.signup_api import router as signup_router
    from supine.clinic.invitations_api import router as invitations_router

    api.add_router("/auth", signup_router)
    api.add_router("/clinic", invitations_router)
    api.add_router("/clinic", appointments_router)
    api.add_router("/clinic", patients_router)
    api.add_router("/me", calendar_router)
    # Issue 11: exports.
    from supine.reports.api import clinic_router as exports_router
    from supine.reports.api import me_router as my_data_router

    api.add_router("/clinic", exports_router)
    api.add_router("/me", my_data_router)


_wire_routers()
