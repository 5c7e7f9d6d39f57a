"""No function in Supine runs past MAX_LINES: a longer one is split into named decisions,
so that each rule reads as a few steps with names."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "supine"
MAX_LINES = 60


def function_lengths() -> dict[str, int]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{path.relative_to(SRC).as_posix()}:{node.lineno}:{node.name}"
                found[name] = node.end_lineno - node.lineno + 1
    return found


def test_no_function_is_longer_than_60_lines():
    lengths = function_lengths()
    assert len(lengths) > 500  # the walk found the code
    assert {name: lines for name, lines in lengths.items() if lines > MAX_LINES} == {}
