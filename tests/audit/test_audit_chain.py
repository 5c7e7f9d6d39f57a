"""The audit log is a hash chain: a row changed or removed afterwards is found."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from supine.clinic.audit import GENESIS, verify
from supine.clinic.models import AuditEvent
from supine.clinic.services import audit, audit_many
from tests.factories import make_clinic, make_clinician, make_patient


def write_rows(clinician, patient, n: int = 5) -> list[AuditEvent]:
    for i in range(n):
        audit(actor=clinician.user, patient=patient, action="patient.view", detail=f"look {i}")
    return list(AuditEvent.objects.order_by("id"))


def test_each_row_links_to_the_one_before(clinician, patient):
    rows = write_rows(clinician, patient)
    assert rows[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.previous_hash == before.hash
    assert verify() == (5, None)


def test_many_rows_at_once_are_chained_in_order(clinic, clinician):
    patients = [make_patient(clinic, screened=False, program=False) for _ in range(3)]
    audit(actor=clinician.user, action="clinic.home")
    audit_many(actor=clinician.user, action="clinic.home", patients=patients)
    assert verify() == (4, None)


def test_a_changed_row_is_named(clinician, patient):
    rows = write_rows(clinician, patient)
    AuditEvent.objects.filter(id=rows[2].id).update(detail="nothing to see")
    checked, broken = verify()
    assert checked == 2
    assert broken.row_id == rows[2].id
    assert "changed" in broken.reason


def test_a_removed_row_breaks_the_link_after_it(clinician, patient):
    rows = write_rows(clinician, patient)
    AuditEvent.objects.filter(id=rows[1].id).delete()
    _, broken = verify()
    assert broken.row_id == rows[2].id
    assert "removed" in broken.reason


def test_a_row_rewritten_with_its_own_hash_still_breaks_the_next_link(clinician, patient):
    from supine.clinic.audit import row_hash

    rows = write_rows(clinician, patient)
    forged = rows[1]
    forged.action = "patient.clear"
    forged.hash = row_hash(
        forged.previous_hash,
        created_at=forged.created_at,
        actor_id=forged.actor_id,
        patient_id=forged.patient_id,
        action=forged.action,
        detail=forged.detail,
        address=forged.address,
    )
    forged.save()
    assert verify()[1].row_id == rows[2].id


def test_the_command_reports_an_intact_log(clinician, patient, capsys):
    write_rows(clinician, patient)
    call_command("audit", "verify")
    assert "intact: 5 rows" in capsys.readouterr().out


def test_the_command_fails_on_the_first_broken_link(clinician, patient):
    rows = write_rows(clinician, patient)
    AuditEvent.objects.filter(id=rows[3].id).update(action="patient.clear")
    AuditEvent.objects.filter(id=rows[4].id).update(action="patient.clear")
    with pytest.raises(CommandError, match=f"broken at row {rows[3].id}") as failure:
        call_command("audit", "verify")
    assert "3 rows before it are intact" in str(failure.value)


def test_the_command_exits_non_zero(clinician, patient, capsys):
    from django.core.management import execute_from_command_line

    rows = write_rows(clinician, patient, n=2)
    AuditEvent.objects.filter(id=rows[0].id).update(detail="x")
    # As `supine audit verify` runs it, in this process (which sees the test database).
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["supine", "audit", "verify"])
    assert exit_.value.code == 1
    assert f"broken at row {rows[0].id}" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_keep_one_chain(transactional_db):
    clinic = make_clinic()
    clinicians = [make_clinician(clinic) for _ in range(6)]
    gate = threading.Barrier(len(clinicians))
    errors: list[BaseException] = []

    def write(clinician) -> None:
        try:
            gate.wait()
            for i in range(10):
                audit(actor=clinician.user, action="clinic.home", detail=str(i))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(c,)) for c in clinicians]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify() == (60, None)
    links = AuditEvent.objects.values_list("previous_hash", flat=True)
    assert len(set(links)) == 60  # no two rows claim the same predecessor
