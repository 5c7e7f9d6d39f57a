from __future__ import annotations

import json

from django.test import Client

from supine.accounts.tokens import issue_token


def bearer_client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user=user)}"})


def post_json(client: Client, url: str, body, **kwargs):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **kwargs)
