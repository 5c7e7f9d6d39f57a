"""A bounded schemathesis pass over every API operation, against a live server, signed in
as a patient and as a clinician: no answer is a server error, and every answer the
schema describes matches it."""

from __future__ import annotations

import json
import time
import urllib.request

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from supine.accounts.tokens import issue_token
from supine.library.loader import load_library
from tests.factories import make_clinician, make_patient

CHECKS = [not_a_server_error, response_schema_conformance]
# A few examples of valid and of invalid input per operation and person; each of those
# gets an equal share of the time budget, so the pass stays well under a minute.
EXAMPLES = 4
BUDGET_SECONDS = 30
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def openapi_document(base_url: str, token: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 (the live server's http:// URL)
        f"{base_url}/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


class Pass:
    """The pass so far: what was called, what failed, and when to stop."""

    def __init__(self, base_url: str, *, share_seconds: float) -> None:
        self.base_url = base_url
        self.share_seconds = share_seconds
        self.called: set[tuple[str, str]] = set()
        self.failures: list[str] = []

    def fuzz(self, operation, mode: GenerationMode, who: str, user, token: str) -> None:
        # Revoking a token is exercised with a token of its own, not the one in use.
        revokes = operation.method.upper() == "DELETE" and "/auth/" in operation.path
        deadline = time.monotonic() + self.share_seconds

        @BOUNDED
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case) -> None:
            if (who, operation.label) in self.called and time.monotonic() > deadline:
                return
            self.called.add((who, operation.label))
            own = issue_token(user=user, days=1) if revokes else token
            try:
                case.call_and_validate(
                    base_url=self.base_url,
                    headers={"Authorization": f"Bearer {own}"},
                    checks=CHECKS,
                    timeout=10,
                )
            # Every failure is listed, not just the first (schemathesis raises a group).
            except (Exception, BaseExceptionGroup) as failure:
                self.failures.append(f"{who}, {mode.value}, {operation.label}: {failure}")

        try:
            call()
        except Unsatisfiable:
            # Nothing invalid can be sent to an operation without parameters or body.
            assert mode is GenerationMode.NEGATIVE, operation.label


def test_no_api_operation_errs_or_breaks_its_schema(live_server, transactional_db):
    load_library()
    patient = make_patient(username="fuzz-patient")
    clinician = make_clinician(patient.clinic, username="fuzz-clinician")
    people = {
        "patient": (patient.user, issue_token(user=patient.user, days=1)),
        "clinician": (clinician.user, issue_token(user=clinician.user, days=1)),
    }
    document = openapi_document(live_server.url, people["patient"][1])
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    run = Pass(live_server.url, share_seconds=BUDGET_SECONDS / (len(operations) * len(people) * 2))

    for operation in operations:
        for who, (user, token) in people.items():
            for mode in modes:
                run.fuzz(operation, mode, who, user, token)

    assert len(operations) >= 15
    assert run.called == {(who, op.label) for op in operations for who in people}
    assert not run.failures, "\n\n".join(run.failures)
