"""mypy checks every view behind `patient_required`, `clinician_required` and
`admin_required`: the person it receives, and the arguments the URL gives it.

`make lint` runs mypy over src/; this runs the same configuration on small files of
views, right and wrong, and reads what it says.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RIGHT = """
from django.http import HttpRequest, HttpResponse

from supine.clinic.access import admin_required, clinician_required, patient_required
from supine.clinic.models import Clinician, Patient


@patient_required
def today(request: HttpRequest, patient: Patient) -> HttpResponse:
    return HttpResponse(patient.display_name)


@clinician_required
def page(request: HttpRequest, clinician: Clinician, number: int) -> HttpResponse:
    return HttpResponse(clinician.display_name * number)


@admin_required
def settings(request: HttpRequest, admin: Clinician) -> HttpResponse:
    return HttpResponse(admin.clinic_id)


def call_them(request: HttpRequest) -> None:
    today(request)
    page(request, 3)
    page(request, number=3)
    settings(request)
"""

WRONG = """
from django.http import HttpRequest, HttpResponse

from supine.clinic.access import admin_required, clinician_required, patient_required
from supine.clinic.models import Clinician, Patient


@clinician_required  # line 8: a clinician's page that expects a patient
def mixed_up(request: HttpRequest, patient: Patient) -> HttpResponse:
    return HttpResponse(patient.display_name)


@patient_required  # line 13: a patient's page that expects a clinician
def also_mixed_up(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    return HttpResponse(clinician.display_name)


@admin_required  # line 18: an admin is a clinician
def admin_page(request: HttpRequest, admin: Patient) -> HttpResponse:
    return HttpResponse(admin.display_name)


@patient_required
def uses_it_wrongly(request: HttpRequest, patient: Patient) -> HttpResponse:
    return HttpResponse(patient.is_admin)  # line 25: a patient has no is_admin


@clinician_required
def page(request: HttpRequest, clinician: Clinician, number: int) -> HttpResponse:
    return HttpResponse(clinician.display_name * number)


def call_it(request: HttpRequest, clinician: Clinician) -> None:
    page(request, "3")  # line 34: the URL's argument of the wrong type
    page(request, clinician, 3)  # line 35: the person is not passed by the caller
"""


def run_mypy(tmp_path: Path, **sources: str) -> dict[str, list[tuple[int, str]]]:
    """mypy's errors for each file, with the project's configuration."""
    paths = []
    for name, source in sources.items():
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        paths.append(path)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SUPINE_DEBUG"] = "1"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            # The files here get the settings of the typed view modules.
            "--strict",
            *map(str, paths),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    errors: dict[str, list[tuple[int, str]]] = {name: [] for name in sources}
    for line in result.stdout.splitlines():
        if ": error:" not in line:
            continue
        match = re.match(r"(.+?)\.py:(\d+): error: (.*)", line)
        # Nothing else went wrong: every error is in one of these files.
        assert match and Path(match[1]).name in errors, result.stdout
        errors[Path(match[1]).name].append((int(match[2]), match[3]))
    return errors


def test_mypy_checks_the_person_and_arguments_of_every_decorated_view(tmp_path):
    errors = run_mypy(tmp_path, right=RIGHT, wrong=WRONG)
    assert errors["right"] == []
    lines = {line for line, _ in errors["wrong"]}
    assert lines == {8, 13, 18, 25, 34, 35}, errors["wrong"]
    said = dict(errors["wrong"])
    assert "Clinician" in said[8] and "Patient" in said[8]
    assert "Patient" in said[13] and "Clinician" in said[13]
    assert '"Patient" has no attribute "is_admin"' in said[25]
    assert '"str"' in said[34] and '"int"' in said[34]


ROLE_DECORATORS = {"patient_required", "clinician_required", "admin_required"}


def _strict_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    return {
        module
        for override in config["overrides"]
        if override.get("disallow_untyped_defs") and override.get("disallow_any_generics")
        for module in override["module"]
    }


def test_every_module_with_a_role_decorated_view_is_checked_strictly():
    """An unannotated view would be let through (its arguments are Any): every module
    with a page for one role is in the strict list, where a missing annotation is an
    error."""
    src = ROOT / "src"
    decorated = set()
    for path in (src / "supine").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id in ROLE_DECORATORS for d in node.decorator_list
            ):
                decorated.add(".".join(path.relative_to(src).with_suffix("").parts))
    assert {"supine.clinic.views", "supine.sessions.views"} <= decorated  # the walk works
    assert decorated - _strict_modules() == set()
