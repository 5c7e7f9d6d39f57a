from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "supine.appointments"
    label = "appointments"
