from __future__ import annotations

import json

from django.test import Client

from supine.accounts.tokens import issue_token


def bearer_client(user) -> Client:
    # Tests travel months ahead in time with one token; it outlives their journeys
    # (tokens' own expiry is tested in tests/api/test_token_lifetime.py).
    token = issue_token(user=user, days=5 * 365)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post_json(client: Client, url: str, body, **kwargs):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **kwargs)
