"""The lockfiles `make install` uses pin every dependency pyproject.toml asks for, at a
version inside its range (regenerate them with `make lock`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lockfile: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / lockfile).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"{lockfile}: {line!r} is not pinned with =="
            found[canonicalize_name(name)] = version.strip()
    return found


@pytest.mark.parametrize(
    ("lockfile", "wanted"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_the_lockfile_pins_every_dependency_inside_its_range(lockfile, wanted):
    pinned = pins(lockfile)
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lockfile} lacks {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lockfile} pins {name}=={pinned[name]}, outside {requirement.specifier}"
        )


def test_the_runtime_lock_agrees_with_the_dev_lock():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_make_installs_from_the_lockfiles():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -r requirements.lock" in makefile
    assert "pip install --quiet -r requirements-dev.lock" in makefile
    assert makefile.count("pip install --quiet --no-deps -e .") == 2
