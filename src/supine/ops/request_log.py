"""One log line per request, on the `supine.requests` logger.

It names the route's pattern (`clinic/patients/<uuid:patient_id>/`), never the path
or its query string, and the signed-in account's number, never a name: nothing in it
says whose record was asked for. The request id is echoed in `X-Request-ID`, so that a
person reporting a problem can quote it; behind our own proxy, the proxy's id is kept.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from supine.ops.logs import current_request_id

logger = logging.getLogger("supine.requests")

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_for(incoming: str | None, *, behind_proxy: bool) -> str:
    """The proxy's id when it is ours and the id looks like one; otherwise a new one (a
    client's own header could be used to forge or flood lines)."""
    if behind_proxy and incoming and _WELL_FORMED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_for(
            request.headers.get(HEADER), behind_proxy=getattr(settings, "BEHIND_PROXY", False)
        )
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None else None
            status = response.status_code
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s %sms",
                request.method,
                route or "(no route)",
                status,
                duration_ms,
                extra={
                    "request_id": request_id,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "status": status,
                    "duration_ms": duration_ms,
                    "method": request.method,
                    "route": route,
                },
            )
            return response
        finally:
            current_request_id.reset(token)
