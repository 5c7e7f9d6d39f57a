"""The address a request came from, as far as Supine can trust it.

Behind a reverse proxy every connection comes from the proxy, so the client's own
address is only in `X-Forwarded-For`. Each proxy appends the address it was connected
from; everything to the left of what our own proxies appended was written by the
client and can say anything. So with `TRUSTED_PROXY_HOPS` proxies in front of Supine
the client is the entry that many places from the right, and nothing further left is
believed. Without a proxy the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < hops:
        # Not through all of our proxies: only the connection itself is known.
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


_current: ContextVar[str | None] = ContextVar("supine_client_address", default=None)


def current_client_address() -> str | None:
    """The address of the request being answered, for records written deep inside it
    (the audit log); None outside a request (a management command)."""
    return _current.get()


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(client_address(request) or None)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
