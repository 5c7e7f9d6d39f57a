"""Writes tests/coach/fixtures/sports2d_reference.json: the landmarks that the browser
test (tests/browser/test_coach_pose.py) compares with.

Derived apart from the browser: MediaPipe's Python package (its native build) runs the
same .task files that `supine coach_assets` makes, on the same frames of the Sports2D
demo, decoded and scaled by the same ffmpeg. Each still is shown to the landmarker in
VIDEO mode as often as the browser test shows it, and the last result is kept.

Run from the repository root, in an environment with `mediapipe==0.10.21` and
`imageio-ffmpeg` (not Supine's dependencies: this is run by hand, when the model, the
footage or the frames chosen change):

    python -m tests.coach.make_reference var/coach
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.coach import footage
from tests.coach.footage import REFERENCE, SETTLE_FRAMES

# Frames where the landmarker finds one person (at this size it misses the man on the box:
# small people are missed), walking (100, 180) and jumping (220).
FRAMES = (100, 180, 220)


def landmarks(task: Path, rgb: bytes) -> list[dict]:
    import mediapipe as mp
    import numpy as np
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(task)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    pixels = np.frombuffer(rgb, dtype=np.uint8).reshape(footage.HEIGHT, footage.WIDTH, 3)
    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=pixels)
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for shown in range(SETTLE_FRAMES):
            result = landmarker.detect_for_video(image, shown * 1000 // footage.FPS)
    pose = result.pose_landmarks[0]
    return [
        {"x": round(p.x, 5), "y": round(p.y, 5), "z": round(p.z, 5),
         "visibility": round(p.visibility, 5)}
        for p in pose
    ]  # fmt: skip


def main(assets: Path) -> None:
    wanted = dict.fromkeys(FRAMES)
    for index, frame in enumerate(footage.frames("rgb24")):
        if index in wanted:
            wanted[index] = frame
    stills = [
        {
            "index": index,
            "models": {
                model: {
                    "width": footage.WIDTH,
                    "height": footage.HEIGHT,
                    "landmarks": landmarks(assets / f"pose_landmarker_{model}.task", rgb),
                }
                for model in ("lite", "full")
            },
        }
        for index, rgb in wanted.items()
    ]
    import mediapipe

    document = {
        "source": (
            f"Frames {', '.join(map(str, FRAMES))} of the Sports2D demo video "
            f"({footage.SPORTS2D}, BSD-3-Clause) at {footage.WIDTH}×{footage.HEIGHT}; "
            f"landmarks from MediaPipe's Python package {mediapipe.__version__} with "
            "Supine's pose_landmarker_lite.task and pose_landmarker_full.task, each still "
            f"shown {SETTLE_FRAMES} times in VIDEO mode (tests/coach/make_reference.py)."
        ),
        "width": footage.WIDTH,
        "height": footage.HEIGHT,
        "frames": stills,
    }
    REFERENCE.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
