from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from supine import views
from supine.accounts import join_views
from supine.api import api
from supine.appointments import views as appointment_views
from supine.clinic import enrol_views, settings_views
from supine.clinic import program_views as builder_views
from supine.clinic import views as clinic_views
from supine.coach import views as coach_views
from supine.library import views as library_views
from supine.programs import views as program_views
from supine.safety import views as safety_views
from supine.sessions import views as session_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_change_done",
    ),
    path("today/", program_views.today, name="today"),
    path("session/", session_views.player, name="session"),
    path("session/sw.js", session_views.service_worker, name="service-worker"),
    path("help/", views.get_help, name="help"),
    path(
        "help/sw.js", session_views.service_worker, {"scope": "/help/"}, name="help-service-worker"
    ),
    path("manifest.webmanifest", session_views.manifest, name="manifest"),
    # The motion coach's runtime, models and their notices (`supine coach_assets`).
    path("coach/assets/<path:name>", coach_views.asset, name="coach-asset"),
    path("exercises/", library_views.exercise_list, name="exercise-list"),
    path("exercises/<slug:slug>/", library_views.exercise_detail, name="exercise-detail"),
    path("exercises/<slug:slug>/figure.svg", library_views.exercise_figure, name="exercise-figure"),
    path(
        "exercises/<slug:slug>/thumbnail.svg",
        library_views.exercise_thumbnail_svg,
        name="exercise-thumbnail",
    ),
    path("learn/", library_views.learn_list, name="learn"),
    path("learn/<slug:slug>/", library_views.learn_page, name="learn-page"),
    path("learn/<slug:slug>/figure.svg", library_views.learn_figure, name="learn-figure"),
    path("today/checkin", program_views.morning_checkin, name="morning-checkin"),
    path("safety/screening/", safety_views.screening, name="screening"),
    path("safety/symptoms/", safety_views.symptoms, name="symptoms"),
    path("safety/advised/", safety_views.advised, name="advised"),
    path("safety/checked/", safety_views.checked_by_doctor, name="checked-by-doctor"),
    path("clinic/", clinic_views.clinic_home, name="clinic-home"),
    path("clinic/patients/<uuid:patient_id>/", clinic_views.patient_detail, name="clinic-patient"),
    path("clinic/patients/<uuid:patient_id>/clear", clinic_views.clear, name="clinic-clear"),
    path("clinic/alerts/<uuid:alert_id>/ack", clinic_views.ack, name="clinic-ack"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Issue 9, Part P: the program builder.
    path(
        "clinic/patients/<uuid:patient_id>/program/",
        builder_views.program,
        name="clinic-program",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/program/status",
        builder_views.program_status,
        name="clinic-program-status",
    ),
    # Issue 9, part E: clinic settings, enrolment, joining, forgotten passwords.
    path("clinic/settings/", settings_views.clinic_settings, name="clinic-settings"),
    path("clinic/settings/clinic", settings_views.save_clinic, name="clinic-settings-save"),
    path(
        "clinic/settings/clinicians/<uuid:clinician_id>",
        settings_views.save_roles,
        name="clinic-clinician-roles",
    ),
    path("clinic/settings/invite", settings_views.invite, name="clinic-invite-clinician"),
    path(
        "clinic/settings/invitations/<uuid:invitation_id>/revoke",
        settings_views.revoke_colleague_invitation,
        name="clinic-clinician-invitation-revoke",
    ),
    path("clinic/patients/new", enrol_views.add_patient, name="clinic-add-patient"),
    path("clinic/invitations/", enrol_views.invitations, name="clinic-invitations"),
    path(
        "clinic/invitations/<uuid:invitation_id>/resend",
        enrol_views.resend,
        name="clinic-invitation-resend",
    ),
    path(
        "clinic/invitations/<uuid:invitation_id>/revoke",
        enrol_views.revoke,
        name="clinic-invitation-revoke",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/reset-link",
        enrol_views.reset_link,
        name="clinic-reset-link",
    ),
    path("join/", join_views.join_by_code, name="join"),
    path("join/clinician/<str:token>/", join_views.join_as_colleague, name="join-clinician"),
    path("join/<str:token>/", join_views.join_by_link, name="join-link"),
    path("accounts/password/reset/", join_views.ForgotPassword.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # Issue 9, Part A: visits, calendar feeds, reminders.
    path(
        "clinic/patients/<uuid:patient_id>/visits",
        appointment_views.book,
        name="clinic-book-visit",
    ),
    path(
        "clinic/visits/<uuid:appointment_id>/move",
        appointment_views.move,
        name="clinic-move-visit",
    ),
    path(
        "clinic/visits/<uuid:appointment_id>/cancel",
        appointment_views.cancel,
        name="clinic-cancel-visit",
    ),
    path("calendar/<str:token>.ics", appointment_views.calendar_feed, name="calendar-feed"),
    path("me/reminders/", appointment_views.reminders, name="reminders"),
    path("me/calendar/rotate", appointment_views.rotate_calendar, name="calendar-rotate"),
]
