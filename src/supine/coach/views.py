"""The motion coach's runtime and models, served by Supine itself under /coach/assets/."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from supine.coach.assets import EXPECTED, NOTICE, notice_text

CONTENT_TYPES = {
    ".mjs": "text/javascript; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".task": "application/octet-stream",
}
# The same files for everyone, pinned by version: a browser may keep them a week. (No
# patient data: they are the program the coach runs, and its model.)
CACHE_CONTROL = "public, max-age=604800"


@require_GET
def asset(request: HttpRequest, name: str) -> HttpResponse:
    if name == NOTICE:
        response: HttpResponse = HttpResponse(
            notice_text(), content_type="text/plain; charset=utf-8"
        )
    elif name in EXPECTED:
        path = settings.COACH_ASSETS_DIR / name
        if not path.is_file():
            # Not built on this server: `supine coach_assets` makes them.
            raise Http404("The motion coach's files are not installed on this server.")
        content_type = CONTENT_TYPES[path.suffix]
        packed = path.with_name(path.name + ".gz")
        if "gzip" in request.headers.get("Accept-Encoding", "") and packed.is_file():
            # Compressed once, at build time (GZipMiddleware leaves an encoded answer be).
            response = FileResponse(packed.open("rb"), content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = FileResponse(path.open("rb"), content_type=content_type)
        response["Vary"] = "Accept-Encoding"
    else:
        raise Http404("No such coach file.")
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
