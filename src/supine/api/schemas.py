"""Schemas shared by several routers."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, field_validator


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


class StrictInput(Schema):
    # Unknown fields are refused by name rather than silently dropped.
    model_config = ConfigDict(extra="forbid")

    # PostgreSQL cannot store a NUL in text; refuse it here rather than fail on save.
    @field_validator("*", mode="after")
    @classmethod
    def _text_without_nul(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for item in value.values():
                _no_nul(item)
            for key in value:
                _no_nul(key)
        return _no_nul(value)


class Message(Schema):
    detail: str
