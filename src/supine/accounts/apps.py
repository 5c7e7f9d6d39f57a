from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supine.accounts"
    label = "accounts"
