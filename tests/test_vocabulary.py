"""Each shared word is defined once (supine.vocabulary); the models, the API's schemas,
the pages and the player's own copy all agree with that definition."""

from __future__ import annotations

import re
from pathlib import Path

from supine.api import api
from supine.clinic.models import Alert
from supine.programs.models import DoseChange, PrescribedExercise
from supine.programs.progression import Change
from supine.safety.models import SafetyBlock, Screening
from supine.safety.screening import AlertSeverity as ScreeningSeverity
from supine.safety.screening import Urgency as ScreeningUrgency
from supine.safety.stop_rules import ACCEPTED_STOP_REASONS, DEVICE_ADVICE_KEYS, StopRule
from supine.sessions.models import ExerciseSession
from supine.vocabulary import (
    LEGACY_NUMBNESS,
    AlertSeverity,
    DoseChangeKind,
    StopReason,
    Urgency,
)

STOP_RULES_JS = (
    Path(__file__).resolve().parents[1] / "src/supine/static/supine/player/stop-rules.js"
).read_text()


def _js_object(name: str) -> dict[str, str]:
    body = re.search(rf"const {name} = \{{(.*?)\}};", STOP_RULES_JS, re.S)
    assert body, name
    return dict(re.findall(r"(\w+): \"(\w+)\"", body.group(1)))


def _js_set(name: str) -> set[str]:
    body = re.search(rf"const {name} = new Set\(\[(.*?)\]\);", STOP_RULES_JS, re.S)
    assert body, name
    return set(re.findall(r'"(\w+)"', body.group(1)))


def test_the_rules_use_the_one_definition():
    assert ScreeningUrgency is Urgency and ScreeningSeverity is AlertSeverity
    assert Change is DoseChangeKind


def test_the_models_choices_are_the_vocabulary():
    fields = [
        (ExerciseSession, "stop_reason", StopReason),
        (Alert, "severity", AlertSeverity),
        (Screening, "urgency", Urgency),
        (SafetyBlock, "urgency", Urgency),
        (DoseChange, "change", DoseChangeKind),
        (PrescribedExercise, "dose_change", DoseChangeKind),
    ]
    for model, name, vocabulary in fields:
        assert model._meta.get_field(name).choices == vocabulary.choices, (model, name)


def test_the_api_schemas_offer_exactly_the_vocabulary():
    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]

    def values(schema: str, field: str) -> list[str]:
        found = schemas[schema]["properties"][field]
        for option in found.get("anyOf", [found]):
            if "$ref" in option:
                option = schemas[option["$ref"].rsplit("/", 1)[-1]]
            if "enum" in option:
                return option["enum"]
        raise AssertionError(f"{schema}.{field} has no enum: {found}")

    assert values("ScreeningOut", "urgency") == Urgency.values
    assert values("AlertOut", "severity") == AlertSeverity.values
    assert values("SessionRecordOut", "stop_reason") == StopReason.values
    assert set(ACCEPTED_STOP_REASONS) == {*StopReason.values, LEGACY_NUMBNESS}


def test_the_players_stop_rules_agree_with_the_python_ones():
    # The reasons that end today's session by themselves are those that are also rules.
    rules = set(StopRule)
    assert _js_set("REASON_RULES") == {reason.value for reason in StopReason if reason in rules}
    assert f'reason === "{LEGACY_NUMBNESS}"' in STOP_RULES_JS
    # Every rule and reason has advice on the device, under the key the plan carries it by.
    advice = _js_object("ADVICE_KEYS")
    assert set(advice) == set(StopRule) | set(StopReason)
    for rule_or_reason, key in advice.items():
        assert DEVICE_ADVICE_KEYS[key] == rule_or_reason, key


def test_the_player_offers_the_reasons_with_their_labels(client, patient):
    client.force_login(patient.user)
    html = client.get("/session/").content.decode()
    offered = re.findall(r'name="reason" value="(\w+)"><span>([^<]+)</span>', html)
    assert offered == [(value, str(label)) for value, label in StopReason.choices]


def test_a_stored_legacy_stop_reason_becomes_one_of_the_choices(client, patient):
    import importlib

    from django.apps import apps

    from tests.api.helpers import bearer_client
    from tests.sessions.helpers import start

    migration = importlib.import_module("supine.sessions.migrations.0003_stop_reason_choices")
    session_id = start(bearer_client(patient.user))
    ExerciseSession.objects.filter(id=session_id).update(stop_reason="numbness")
    migration.read_legacy_numbness(apps, None)
    assert ExerciseSession.objects.get(id=session_id).stop_reason == StopReason.LEG_SYMPTOMS
