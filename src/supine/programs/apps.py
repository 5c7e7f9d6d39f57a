from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "supine.programs"
    label = "programs"
