from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.api.helpers import post_json

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def event(type_: str, data: dict | None = None, *, seconds: int = 0, id_=None) -> dict:
    return {
        "id": str(id_ or uuid.uuid4()),
        "type": type_,
        "at": (T0 + timedelta(seconds=seconds)).isoformat(),
        "data": data or {},
    }


def start(client) -> str:
    response = post_json(client, "/api/v1/me/sessions", {"id": str(uuid.uuid4())})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def send(client, session_id: str, events: list[dict]):
    return post_json(client, f"/api/v1/me/sessions/{session_id}/events", {"events": events})


def whole_session_events(plan: dict) -> list[dict]:
    """What a player that plays every step of the plan to the end would send."""
    events = [event("started"), event("pain_reported", {"score": 2, "moment": "before"})]
    clock = 0
    for index, step in enumerate(plan["steps"]):
        clock += step["duration_ms"] // 1000
        rep = {"exercise": step["exercise"], "set": step["set"], "rep": step["rep"]}
        if step["side"]:
            rep["side"] = step["side"]
        if step["kind"] == "hold":
            events.append(event("hold_done", rep, seconds=clock))
        if step["kind"] == "release":
            events.append(event("rep_done", rep, seconds=clock))
        events.append(event("step_done", {"index": index}, seconds=clock))
    events.append(event("pain_reported", {"score": 1, "moment": "after"}, seconds=clock))
    events.append(event("finished", {"feeling": "about_right"}, seconds=clock))
    return events
