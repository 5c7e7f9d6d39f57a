"""The safety screen's page form: a yes or no for each question asked, and what goes
with them (the "advised" confirmation, "Is this new?", details, month of birth)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django import forms

from supine.safety.screening import Confirmation, Question

YES_NO = [("yes", "Yes"), ("no", "No")]
DETAILS = ("spinal_procedure", "pregnancy", "hip_replacement")


class ScreeningPageForm(forms.Form):
    born = forms.CharField(required=False)

    def __init__(
        self, *args, asked: Sequence[Question], full: bool, only_if: Collection[str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.asked, self.only_if = asked, only_if
        for question in asked:
            # A question that applies only to some ("If you have ever had cancer:") may
            # be left blank: blank is a no.
            self.fields[question.id] = forms.ChoiceField(
                choices=YES_NO, required=question.id not in only_if
            )
            # Read leniently: a missing or unknown answer asks "Is this new?" again.
            self.fields[f"confirm_{question.id}"] = forms.CharField(required=False)
        if full:
            self.fields["clinician_advised"] = forms.ChoiceField(choices=YES_NO)
        for key in DETAILS:
            self.fields[f"detail_{key}"] = forms.CharField(required=False)

    def missing(self) -> list[str]:
        """The questions (and "clinician_advised") left unanswered or answered wrongly."""
        return [name for name in self.errors if not name.startswith(("confirm_", "detail_"))]

    def answers(self) -> dict[str, bool]:
        cleaned = getattr(self, "cleaned_data", {})
        found = {}
        for question in self.asked:
            value = cleaned.get(question.id)
            if value:
                found[question.id] = value == "yes"
            elif question.id in self.only_if and question.id not in self.errors:
                found[question.id] = False
        return found

    def advised(self) -> bool | None:
        value = getattr(self, "cleaned_data", {}).get("clinician_advised")
        return value == "yes" if value else None

    def confirmations(self, flagged: Sequence[Question]) -> dict[str, str]:
        known = set(Confirmation.__members__.values())
        chosen = {q.id: self.cleaned_data.get(f"confirm_{q.id}", "") for q in flagged}
        return {qid: value for qid, value in chosen.items() if value in known}

    def details(self) -> dict[str, str]:
        found = {
            key: self.cleaned_data[f"detail_{key}"]
            for key in DETAILS
            if self.cleaned_data.get(f"detail_{key}", "")
        }
        if self.cleaned_data.get("born"):
            found["born"] = self.cleaned_data["born"]
        return found
