from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supine.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from supine.accounts.session_lifetime import stamp_on_sign_in

        # Every browser sign-in starts its session's clock, however it signs in.
        user_logged_in.connect(stamp_on_sign_in, dispatch_uid="supine-session-lifetime")
