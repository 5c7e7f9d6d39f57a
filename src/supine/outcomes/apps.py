from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "supine.outcomes"
    label = "outcomes"
