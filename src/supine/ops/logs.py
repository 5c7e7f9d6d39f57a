"""Supine's log lines: JSON (one object a line, for a log collector) or plain text.

Imported by the settings, so it uses nothing of Django's that needs them configured.
Every line written while a request is answered carries that request's id.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

current_request_id: ContextVar[str | None] = ContextVar("supine_request_id", default=None)

# The attributes every LogRecord has; anything else was passed in `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request"}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being answered (or None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class RouteNotPath(logging.Filter):
    """Django's own "Not Found: /path" lines name the raw path, which may carry a patient's
    id; write the route's pattern instead. Django writes them once the request has been
    answered, so the request's id is taken from the request itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None:
            return True
        if isinstance(record.args, tuple) and len(record.args) == 2:
            match = getattr(request, "resolver_match", None)
            record.args = (record.args[0], match.route if match else "(no route)")
        if getattr(request, "request_id", None):
            record.request_id = request.request_id
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: every line to stderr, as JSON or as text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "supine.ops.logs.RequestIdFilter"},
            "route_not_path": {"()": "supine.ops.logs.RouteNotPath"},
        },
        "formatters": {
            "json": {"()": "supine.ops.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.request": {"filters": ["route_not_path"]},
            # One line per request (supine.ops.request_log): the route, never the path.
            "supine.requests": {"level": "INFO"},
            # The PDF renderer's step-by-step progress and font notes are not news.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
