from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "supine.library"
    label = "library"
