from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """When a kind of process last said it was alive: one row per kind, so that however
    many workers run, `/healthz` reads one row."""

    name = models.CharField(primary_key=True, max_length=40)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
