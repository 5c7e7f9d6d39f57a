from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "supine.reports"
    label = "reports"
    verbose_name = "Handouts, reports and exports"
