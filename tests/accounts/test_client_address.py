from __future__ import annotations

import pytest
from django.test import RequestFactory

from supine.client_address import client_address

PROXY = "10.0.0.2"


def request(forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request("203.0.113.9")) == PROXY


def test_behind_one_proxy_the_client_is_the_entry_it_appended(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("203.0.113.9")) == "203.0.113.9"


def test_what_the_client_wrote_to_the_left_is_not_believed(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_two_from_the_right(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_address(request("1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address"])
def test_a_missing_or_malformed_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(request(forwarded)) == PROXY
