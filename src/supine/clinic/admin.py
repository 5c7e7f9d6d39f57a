from __future__ import annotations

from django.contrib import admin

from supine.clinic.models import (
    AlertDelivery,
    AuditEvent,
    Clinic,
    Clinician,
    DeliveryAttempt,
    Patient,
)
from supine.clinic.services import audit
from supine.safety.thresholds import stricter_thresholds


def _operators_only(request) -> bool:
    # The admin shows every clinic's records: it is for the operator (superusers), not
    # for clinic staff, who see only their own clinic through Supine's own pages.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _operators_only
admin.site.site_header = "Supine administration"


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    fields = (
        "name",
        "phone",
        "region",
        "on_call_email",
        "escalation_minutes",
        "safety_thresholds",
        "allow_looser_thresholds",
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _, loosened = stricter_thresholds(
            obj.safety_thresholds or {}, allow_looser=obj.allow_looser_thresholds
        )
        if loosened:
            # A looser safety threshold than the defaults is an explicit, recorded decision.
            audit(
                actor=request.user,
                action="clinic.thresholds.loosened",
                detail=f"{obj.name}: {', '.join(loosened)} = "
                + ", ".join(str(obj.safety_thresholds[name]) for name in loosened),
            )


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ("display_name", "clinic", "profession", "may_clear_holds", "is_admin")
    list_filter = ("clinic",)
    fields = (
        "display_name",
        "clinic",
        "email",
        "is_admin",
        "profession",
        "registration_number",
        "may_clear_holds",
        "assesses_red_flags",
    )


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ("display_name", "clinic", "created_at")
    list_filter = ("clinic",)

    def changelist_view(self, request, extra_context=None):
        audit(actor=request.user, action="admin.patient.list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, object_id)
        if patient is not None:
            action = "admin.patient.change" if request.method == "POST" else "admin.patient.view"
            audit(actor=request.user, patient=patient, action=action)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "patient", "detail")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("number", "at", "sent", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    """What became of each urgent alert's email, for the operator: read-only.

    It names the alert by id, not by its reason, which is a patient's health detail."""

    list_display = (
        "created_at", "alert_id", "kind", "status", "attempts", "sent_at", "next_attempt_at",
        "last_error",
    )  # fmt: skip
    list_filter = ("status", "kind")
    fields = (
        "alert_id", "kind", "status", "attempts", "recipients", "created_at",
        "last_attempt_at", "next_attempt_at", "sent_at", "last_error",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
