from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "supine.safety"
    label = "safety"
