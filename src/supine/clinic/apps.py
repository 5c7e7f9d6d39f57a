from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "supine.clinic"
    label = "clinic"
