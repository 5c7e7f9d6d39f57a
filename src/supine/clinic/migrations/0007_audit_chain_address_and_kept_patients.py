import hashlib
import ipaddress
import json
from datetime import UTC

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _row_hash(previous_hash, event):
    # supine.clinic.audit.row_hash as it was when the chain began.
    payload = [
        previous_hash,
        event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        str(event.patient_id) if event.patient_id is not None else None,
        event.action,
        event.detail,
        str(ipaddress.ip_address(event.address)) if event.address else None,
    ]
    encoded = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("clinic", "AuditEvent")
    previous = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = previous = _row_hash(previous, event)
        event.save(update_fields=["previous_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_alert_delivery"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="address",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="patient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.patient",
            ),
        ),
        migrations.AlterField(
            model_name="patient",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="patient",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
