"""Which queue a process gets: a SQLite file in var/ by default, Redis with REDIS_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOW = (
    "import django; django.setup();"
    "from huey.contrib.djhuey import HUEY;"
    "print(type(HUEY).__name__, HUEY.immediate, getattr(HUEY.storage, 'filename', ''))"
)
ROOT = Path(__file__).resolve().parents[3]


def _queue_of(tmp_path, **env) -> list[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "ONCOLIEN_TASKS_IMMEDIATE"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
        "ONCOLIEN_VAR_DIR": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_without_redis_the_queue_is_a_sqlite_file_in_var(tmp_path):
    assert _queue_of(tmp_path) == ["SqliteHuey", "False", str(tmp_path / "tasks.sqlite3")]


def test_redis_url_switches_the_queue_to_redis(tmp_path):
    # Nothing listens on port 1: RedisHuey connects lazily, at the first task.
    assert _queue_of(tmp_path, REDIS_URL="redis://127.0.0.1:1/0") == ["RedisHuey", "False"]


def test_misspelt_retry_delays_stop_start_up_with_the_variable_named(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _queue_of(tmp_path, ONCOLIEN_NOTIFY_RETRY_SECONDS="60,soixante")
    assert "ONCOLIEN_NOTIFY_RETRY_SECONDS" in failure.value.stderr
