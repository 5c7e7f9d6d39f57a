from __future__ import annotations

import pytest
from hypothesis import settings

from supine.library.loader import load_library

# A 2-core machine running the browser tests beside these gives no steady time per
# example: timing is measured by the benchmarks, not by a property test's deadline.
settings.register_profile("supine", deadline=None)
settings.load_profile("supine")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The shipped library is reference data every test may rely on, like a migration.
    with django_db_blocker.unblock():
        load_library()


@pytest.fixture
def clinic(db):
    from tests.factories import make_clinic

    return make_clinic()


@pytest.fixture
def patient(clinic):
    from tests.factories import make_patient

    return make_patient(clinic, username="patient")


@pytest.fixture
def clinician(clinic):
    from tests.factories import make_clinician

    return make_clinician(clinic, username="clinician")


@pytest.fixture
def other_clinic_clinician(db):
    from tests.factories import make_clinic, make_clinician

    return make_clinician(make_clinic("Hilltop Clinic"), username="other-clinician")


@pytest.fixture
def stranger(db):
    from tests.factories import make_stranger

    return make_stranger()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # The per-address limits (supine.accounts.rate_limit) count in the cache; each test
    # starts with none counted.
    from django.core.cache import cache

    cache.clear()
