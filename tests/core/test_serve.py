"""`constellation serve` starts the production server (gunicorn) with several workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.core.test_task_workers import database_url

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_with_several_workers(network_a):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "constellation.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/networks", timeout=5) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.3)

        assert body is not None, "the server did not answer within 60 s"
        assert '"acronym": "NETA"' in body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert output.count("Booting worker") == 2, output
