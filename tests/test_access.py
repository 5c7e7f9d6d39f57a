from __future__ import annotations

import uuid

import pytest
from django.http import Http404

from supine.clinic.access import patient_for


def test_a_patient_may_see_themselves(patient):
    assert patient_for(patient.user, patient.id) == patient


def test_a_clinician_may_see_their_clinics_patient(patient, clinician):
    assert patient_for(clinician.user, str(patient.id)) == patient


@pytest.mark.parametrize("who", ["other_clinic_clinician", "stranger"])
def test_anyone_else_gets_a_404(request, patient, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    with pytest.raises(Http404):
        patient_for(user, patient.id)


def test_another_patient_gets_a_404(patient, clinic):
    from tests.factories import make_patient

    other = make_patient(clinic)
    with pytest.raises(Http404):
        patient_for(other.user, patient.id)


@pytest.mark.parametrize("bad_id", ["1", "not-a-uuid", str(uuid.uuid4())])
def test_a_malformed_or_unknown_id_is_a_404(clinician, bad_id):
    with pytest.raises(Http404):
        patient_for(clinician.user, bad_id)
