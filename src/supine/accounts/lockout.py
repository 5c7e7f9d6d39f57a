from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

# Said the same way whether the username or the address is locked: it tells no one which.
MESSAGE = "Too many failed sign-ins; please try again in an hour."


def lockout_response(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What a locked-out sign-in sees: JSON for the API, a calm page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE}, status=429)
    html = render_to_string("registration/locked.html", {"message": MESSAGE}, request=request)
    return HttpResponse(html, status=429)
