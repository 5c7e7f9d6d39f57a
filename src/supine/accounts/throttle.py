"""Sign-in throttling: django-axes, counting per username *and* address, plus a higher
limit per address across usernames.

Locking a username alone would let anyone lock a clinician out by typing wrong
passwords; locking per username and address stops guessing at one account from one
place without that. The per-address limit stops one place from trying many usernames
(a password spray), where each username alone stays under its own limit.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            # The address has reached its own limit: every username from it is locked.
            return limit
        return failures
