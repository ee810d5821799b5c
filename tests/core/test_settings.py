from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from constellation.settings import envbool


def test_envbool_reads_true_and_false(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False


def test_envbool_rejects_a_typo(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")

    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        envbool("FLAG", False)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "constellation.cli", *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_production_profile_passes_check_deploy(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        CONSTELLATION_PRODUCTION="true",
        SECRET_KEY="x" * 60 + "production-secret-key-for-the-check",
        ALLOWED_HOSTS="constellation.example.org",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/constellation",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DATA_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = run_manage("check", CONSTELLATION_PRODUCTION="true", SECRET_KEY="", DATA_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_rq_backend_without_redis_is_a_system_error(settings):
    from constellation.core.checks import check_configuration

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.REDIS_URL = ""

    ids = [problem.id for problem in check_configuration(None)]

    assert ids == ["constellation.E001"]
