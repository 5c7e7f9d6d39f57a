"""The OpenAPI document describes what the endpoints really answer."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from supine.api import api


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def _schema(document: dict, ref: str) -> dict:
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_no_two_schemas_share_a_name():
    # The document names each schema by its class; two of one name describe one of them twice.
    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in _all_subclasses(Schema):
        if schema.__module__.startswith("supine."):
            by_name[schema.__name__].add(schema.__module__)
    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}


def _answer(document: dict, path: str, method: str, status: int) -> dict:
    answer = document["paths"][path][method]["responses"][status]
    return _schema(document, answer["content"]["application/json"]["schema"]["$ref"])


def test_a_pain_rating_and_a_sessions_pains_are_described_as_they_are():
    document = api.get_openapi_schema()
    pain_schema = _answer(document, "/api/v1/me/pain", "post", 201)
    assert {"id", "score", "note", "moment", "recorded_at"} <= set(pain_schema["properties"])
    record_schema = _answer(document, "/api/v1/me/sessions/{session_id}", "get", 200)
    pains = _schema(document, record_schema["properties"]["pains"]["items"]["$ref"])
    assert set(pains["properties"]) == {"score", "moment", "at"}
