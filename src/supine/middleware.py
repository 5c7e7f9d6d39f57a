from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

# No inline scripts anywhere, so scripts may come only from Supine itself.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; worker-src 'self'; "
    "manifest-src 'self'"
)
# The pages that may run the motion coach: its pose model is WebAssembly, compiled in
# the page ('wasm-unsafe-eval' allows that and no other eval), and it asks for the camera.
# connect-src stays 'self': the coach's runtime can reach nothing but Supine.
COACH_PAGES = ("/session/",)
_COACH_POLICY = _POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
# The API docs page (vendored Swagger UI) sets element styles from script.
_DOCS_POLICY = _POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ApiBodyLimitMiddleware:
    """Refuse an oversized API request before anything reads it, whatever the endpoint."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return JsonResponse({"detail": too_large_message()}, status=413)
        return self.get_response(request)


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"The request body is too large (limit {limit:g} MB)."


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        coach = request.path in COACH_PAGES
        if request.path.startswith("/api/v1/docs"):
            policy = _DOCS_POLICY
        else:
            policy = _COACH_POLICY if coach else _POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        camera = "camera=(self)" if coach else "camera=()"
        response.headers.setdefault(
            "Permissions-Policy", f"{camera}, microphone=(), geolocation=()"
        )
        return response


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or proxy cache.

    Pages and API answers for a signed-in person carry their records; a shared computer's
    back button or a proxy must not keep them. What a view declares `public` (a library
    figure, the manifest) is the same for everyone and keeps its own caching. Static
    files are answered before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


class ApiErrorsAsJsonMiddleware:
    """Every error under /api/ is JSON with a `detail`, whoever produced it: an unknown
    URL (Django's 404 page), a method not allowed, a server error (Django's 500 page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if (
            status < 400
            or not request.path.startswith("/api/")
            or response.streaming
            or response.get("Content-Type", "").startswith("application/json")
            # In development a server error keeps its traceback.
            or (settings.DEBUG and status >= 500)
        ):
            return response
        # The same response, its other headers (Allow, security headers) kept.
        response.content = json.dumps({"detail": _error_detail(status)})
        response["Content-Type"] = "application/json"
        if response.has_header("Content-Length"):
            # Set for the page it replaces; a longer length leaves the client waiting.
            response["Content-Length"] = str(len(response.content))
        return response


def _error_detail(status: int) -> str:
    if status == 404:
        return "Not found: there is no such API address."
    if status >= 500:
        return "Something went wrong on the server; it has been logged. Please try again."
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request could not be handled."
