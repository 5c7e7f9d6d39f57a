"""`supine serve` runs gunicorn and one task worker beside it, and stops them together."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Output:
    """The server's merged output, read line by line as it comes."""

    def __init__(self, stream) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def mark(self) -> int:
        return len(self.seen)

    def wait_for(self, pattern: str, since: int = 0, timeout: float = 120) -> re.Match:
        """The first line matching `pattern` from line `since` on, waiting for it if need be
        (the web server's and the worker's lines come in either order)."""
        for line in self.seen[since:]:
            if match := re.search(pattern, line):
                return match
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        pytest.fail(f"{pattern!r} never appeared in:\n{''.join(self.seen)}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_starts_a_worker_beside_gunicorn_restarts_it_and_stops_both(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPINE_", "DATABASE_"))}
    env.update(SUPINE_DEBUG="1", SUPINE_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "supine", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        output = Output(server.stdout)
        web = int(output.wait_for(r"Web server started \(pid (\d+)\)")[1])
        worker = int(output.wait_for(r"Task worker started \(pid (\d+)\)")[1])
        output.wait_for(rf"Listening at: http://127.0.0.1:{port}")
        output.wait_for(r"Starting worker")
        assert b"worker" in Path(f"/proc/{worker}/cmdline").read_bytes()

        # A worker that dies is started again.
        since = output.mark()
        os.kill(worker, signal.SIGKILL)
        output.wait_for(r"The task worker stopped \(exit code -9\); starting it again", since)
        replacement = int(output.wait_for(r"Task worker started \(pid (\d+)\)", since)[1])
        output.wait_for(r"Starting worker", since)
        assert replacement != worker and alive(replacement)

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert not alive(web)
    assert not alive(replacement)
