from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_a_password_needs_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7#pLm2!vR")
    validate_password("Xq7#pLm2!vRz")
