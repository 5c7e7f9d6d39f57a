"""A rep the session's plan does not have (played offline from an older plan) is refused
by the server and leaves the outbox; the rest of its batch is recorded."""

from __future__ import annotations

import uuid

from tests.browser.conftest import sign_in


def test_a_refused_rep_leaves_the_outbox_and_the_stop_is_recorded(page, live_server, demo):
    from supine.clinic.models import Patient
    from supine.safety.services import submit_screening
    from supine.sessions.models import ExerciseSession
    from tests.factories import safe_answers

    patient = Patient.objects.get(user__username=demo.patient_username)
    submit_screening(patient=patient, clinician_advised=True, answers=safe_answers())
    sign_in(page, live_server, demo.patient_username)
    session_id = str(uuid.uuid4())
    pending = page.evaluate(
        """async ([sessionId, owner]) => {
            const { Outbox } = await import("/static/supine/player/queue.js");
            const outbox = await Outbox.open({ owner });
            const at = (s) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
            await outbox.createSession(sessionId, [
              { id: crypto.randomUUID(), type: "started", at: at(0), data: {} },
              { id: crypto.randomUUID(), type: "rep_done", at: at(5),
                data: { exercise: "bridge", set: 1, rep: 99 } },
              { id: crypto.randomUUID(), type: "stopped", at: at(10),
                data: { score: 7, reason: "pain" } },
            ], null);
            await outbox.flush();
            return outbox.pending;
        }""",
        [session_id, demo.patient_username],
    )
    page.context.set_offline(True)  # no retry reaches the server after the test
    assert pending == 0
    session = ExerciseSession.objects.get(id=session_id)
    assert (session.status, session.stop_reason) == ("stopped", "pain")
    assert not session.events.filter(type="rep_done").exists()
