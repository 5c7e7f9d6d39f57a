"""The outbox keeps a refused session's pain ratings as diary entries."""

from __future__ import annotations


def test_a_refused_sessions_pain_ratings_become_diary_entries(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    diary = page.evaluate(
        """async () => {
            const { painDiary } = await import("/static/supine/player/queue.js");
            const records = [
              { session: "s1", kind: "create", body: { id: "s1" } },
              { session: "s1", kind: "event",
                body: { id: "e1", type: "started", at: "t0", data: {} } },
              { session: "s1", kind: "event", body: { id: "e2", type: "pain_reported", at: "t1",
                data: { score: 3, moment: "before" } } },
              { session: "s1", kind: "event", body: { id: "e3", type: "stopped", at: "t2",
                data: { score: 8, reason: "pain" } } },
              { session: "s2", kind: "event", body: { id: "e4", type: "pain_reported", at: "t3",
                data: { score: 5, moment: "before" } } },
            ];
            return painDiary(records, "s1");
        }"""
    )
    assert [(d["kind"], d["body"]["id"], d["body"]["score"]) for d in diary] == [
        ("pain", "e2", 3),
        ("pain", "e3", 8),
    ]
    assert all(d["body"]["moment"] == "diary" for d in diary)
    assert "at STOP (pain)" in diary[1]["body"]["note"]
