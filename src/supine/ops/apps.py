from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "supine.ops"
    label = "ops"
    verbose_name = "Operations"
