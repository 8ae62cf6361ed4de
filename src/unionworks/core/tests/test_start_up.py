"""Production refuses to start without its secrets: losing the data key must be impossible to miss."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]


def start(env_overrides: dict, code: str = "") -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "UNIONWORKS_DATA_KEY", "UNIONWORKS_ENV")
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "unionworks.settings", "PYTHONPATH": str(SRC), **env_overrides}
    )
    code = "import django; django.setup(); print('started'); " + code
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_the_data_key_refuses_to_start():
    result = start({"UNIONWORKS_ENV": "production", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "UNIONWORKS_DATA_KEY" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = start({"UNIONWORKS_ENV": "production", "UNIONWORKS_DATA_KEY": "A" * 43 + "="})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_malformed_data_key_stops_start_up():
    result = start({"UNIONWORKS_DATA_KEY": "not-base64"})
    assert result.returncode != 0 and "UNIONWORKS_DATA_KEY" in result.stderr


def test_production_with_both_keys_starts():
    key = "q" * 43 + "="
    result = start(
        {
            "UNIONWORKS_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "UNIONWORKS_DATA_KEY": key,
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
