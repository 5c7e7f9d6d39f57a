"""A blocked patient has no way to a new session: not the page, the API or a stale queue."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from supine.safety.screening import QUESTIONS
from supine.sessions.models import ExerciseSession
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_clinic, make_patient, screen

# Questions whose flagging answer holds sessions whatever the rest of the history.
RED_FLAGS = [q.id for q in QUESTIONS if q.applies is None and q.level != "note"]


class BlockedPatientTests(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        flags=st.sets(st.sampled_from(RED_FLAGS), min_size=1, max_size=4),
        queued_ids=st.lists(st.uuids(), max_size=3),
    )
    def test_no_new_session_starts_while_blocked(self, flags, queued_ids):
        patient = make_patient(make_clinic(), screened=False)
        api = bearer_client(patient.user)
        started_before = ExerciseSession.objects.filter(patient=patient).count()
        screen(patient, yes=tuple(flags))
        # The player page sends the patient back to Today, which shows only advice.
        self.client.force_login(patient.user)
        assert self.client.get("/session/").status_code == 302
        today = self.client.get("/today/").content.decode()
        assert 'href="/session/"' not in today
        # The API refuses a fresh session, with or without a device-chosen id.
        for session_id in [*queued_ids, None]:
            body = {"id": str(session_id)} if session_id else {}
            assert post_json(api, "/api/v1/me/sessions", body).status_code == 403
        assert api.get("/api/v1/me/plan").status_code == 403
        assert ExerciseSession.objects.filter(patient=patient).count() == started_before

    def test_a_session_started_before_the_block_is_still_acknowledged(self):
        patient = make_patient(make_clinic())
        api = bearer_client(patient.user)
        session_id = str(uuid.uuid4())
        assert post_json(api, "/api/v1/me/sessions", {"id": session_id}).status_code == 201
        screen(patient, yes=("serious_accident",))
        # A queued retry of that creation is answered, so the device can flush its events.
        assert post_json(api, "/api/v1/me/sessions", {"id": session_id}).status_code == 200
