"""What a page says when its form is refused: each field's first error, in plain words."""

from __future__ import annotations

from django import forms


def field_error(form: forms.Form, name: str) -> str:
    """A refused field's first error with its label, e.g. "Time: choose a time of day"."""
    error = str(form.errors[name][0]).rstrip(".")
    field = form.fields.get(name)
    label = field.label if field is not None and name != "__all__" else None
    return f"{label}: {error}" if label else error


def form_errors(form: forms.Form) -> str:
    """One line naming every refused field, for a message on the next page."""
    return " ".join(f"{field_error(form, name)}." for name in form.errors)
