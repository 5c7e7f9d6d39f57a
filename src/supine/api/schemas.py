"""Schemas shared by several routers."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class StrictInput(Schema):
    # Unknown fields are refused by name rather than silently dropped.
    model_config = ConfigDict(extra="forbid")


class Message(Schema):
    detail: str
