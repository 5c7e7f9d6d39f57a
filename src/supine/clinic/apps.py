from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "supine.clinic"
    label = "clinic"

    def ready(self) -> None:
        from supine.clinic import checks  # noqa: F401 — registers the start-up checks
