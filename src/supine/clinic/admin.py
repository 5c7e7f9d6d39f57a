from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from supine.clinic.access import patient_of
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


admin.site.has_permission = _operators_only  # type: ignore[method-assign]
admin.site.site_header = "Supine administration"


class ClinicAdminForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ("safety_thresholds", "allow_looser_thresholds")

    def clean(self):
        data = super().clean() or {}
        # Stricter thresholds only, unless the looser ones are explicitly allowed.
        try:
            stricter_thresholds(
                data.get("safety_thresholds") or {},
                allow_looser=bool(data.get("allow_looser_thresholds")),
            )
        except ValueError as error:
            self.add_error("safety_thresholds", str(error))
        return data


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    form = ClinicAdminForm
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
    list_display = ("display_name", "clinic", "created_at", "account_open")
    list_filter = ("clinic",)
    actions = ["close_accounts"]

    @admin.display(boolean=True, description="Account open")
    def account_open(self, patient: Patient) -> bool:
        return patient.user.is_active

    # A patient's records must be kept: a patient who leaves has their account closed,
    # never their record deleted (which would also orphan the audit log's rows).
    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        patient = self.get_object(request, unquote(object_id))
        audit(actor=request.user, patient=patient, action="admin.patient.delete_refused")
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Close the selected accounts (their records are kept)")
    def close_accounts(self, request, queryset):
        for patient in queryset.select_related("user"):
            if patient.user.is_active:
                patient.user.is_active = False
                patient.user.save(update_fields=["is_active"])
                audit(actor=request.user, patient=patient, action="admin.patient.close")
        messages.success(request, "Closed. They can no longer sign in; their records are kept.")

    def changelist_view(self, request, extra_context=None):
        audit(actor=request.user, action="admin.patient.list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, object_id)
        if patient is not None:
            action = "admin.patient.change" if request.method == "POST" else "admin.patient.view"
            audit(actor=request.user, patient=patient, action=action)
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(UserAdmin):
    """Django's user admin, with password resets recorded and patients' accounts kept."""

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                audit(
                    actor=request.user,
                    patient=patient_of(user),
                    action="admin.password.reset",
                    detail=f"user {user.pk}",
                )
        return response

    def has_delete_permission(self, request, obj=None):
        if obj is not None and patient_of(obj) is not None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "patient", "detail", "address")
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
