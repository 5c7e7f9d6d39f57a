from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from supine import views
from supine.api import api
from supine.appointments import views as appointment_views
from supine.clinic import views as clinic_views
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
    path("manifest.webmanifest", session_views.manifest, name="manifest"),
    path("exercises/", library_views.exercise_list, name="exercise-list"),
    path("exercises/<slug:slug>/", library_views.exercise_detail, name="exercise-detail"),
    path("exercises/<slug:slug>/figure.svg", library_views.exercise_figure, name="exercise-figure"),
    path(
        "exercises/<slug:slug>/thumbnail.svg",
        library_views.exercise_thumbnail_svg,
        name="exercise-thumbnail",
    ),
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
