"""Start-up checks for what would keep urgent alerts from reaching a person."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

_NOWHERE = {
    "django.core.mail.backends.console.EmailBackend": "printed to the console",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
    "django.core.mail.backends.filebased.EmailBackend": "written to files",
}


@register()
def alert_email_reaches_someone(app_configs, **kwargs) -> list[Warning]:
    where = _NOWHERE.get(settings.EMAIL_BACKEND)
    if settings.DEBUG or where is None:
        return []
    return [
        Warning(
            f"Urgent alert emails are {where}, not sent: nobody is told of an urgent alert "
            "outside the clinic page.",
            hint="Set SUPINE_EMAIL_URL to your mail server, e.g. submission://user:pass@host:587.",
            id="supine.W001",
        )
    ]
