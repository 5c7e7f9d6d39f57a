import uuid
from datetime import timedelta

from django.db import migrations, models
from django.utils.crypto import salted_hmac

# Tokens issued before this migration last as long as new ones would, from their issue.
LIFETIME = timedelta(days=30)


def _session_auth_hash(password: str) -> str:
    # AbstractBaseUser.get_session_auth_hash(), which a historical model does not have.
    return salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
        password,
        algorithm="sha256",
    ).hexdigest()


def fill(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.public_id = uuid.uuid4()
        token.expires_at = token.created_at + LIFETIME
        token.password_stamp = _session_auth_hash(token.user.password)
        token.save(update_fields=["public_id", "expires_at", "password_stamp"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(max_length=128, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
