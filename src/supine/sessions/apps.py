from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "supine.sessions"
    label = "exercise_sessions"
