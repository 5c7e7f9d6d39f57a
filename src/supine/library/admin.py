from __future__ import annotations

from django import forms
from django.contrib import admin

from supine.library.figure import FigureError, parse_figure
from supine.library.models import Exercise
from supine.library.precautions import PrecautionError, parse_precautions


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = (
            "slug", "name", "purpose", "body_regions", "starting_position", "position",
            "equipment",
            "steps", "breathing", "cautions", "sources", "move_cue", "hold_cue", "release_cue",
            "reps_min", "reps_max", "hold_seconds_min", "hold_seconds_max", "sets_min",
            "sets_max", "per_side", "alternate_sides", "feel", "mistakes", "precautions",
            "assessment_only", "notes", "figure", "retired",
        )  # fmt: skip

    def clean_precautions(self):
        precautions = self.cleaned_data["precautions"]
        try:
            return [p.as_dict() for p in parse_precautions(precautions or [])]
        except PrecautionError as error:
            raise forms.ValidationError(f"The precautions are not valid: {error}") from None

    def clean_figure(self):
        figure = self.cleaned_data["figure"]
        try:
            parse_figure(figure or {})
        except FigureError as error:
            raise forms.ValidationError(f"The pose sequence is not valid: {error}") from None
        return figure


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    # A clinic's own exercise has no source file, so `load_library` never overwrites it.
    form = ExerciseForm
    list_display = ("name", "slug", "reps_min", "reps_max", "per_side", "retired", "source_file")
    list_filter = ("retired", "per_side")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("source_file", "source_hash", "updated_at")
