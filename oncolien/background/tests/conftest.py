"""A real huey consumer (thread workers, in this process) against a storage of the test."""

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.utils.module_loading import autodiscover_modules


@contextmanager
def real_queue(storage) -> Iterator[object]:
    """The project's huey, out of immediate mode, on `storage` (restored afterwards)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    HUEY.storage = storage
    try:
        yield HUEY
    finally:
        # A storage the test made unreachable (Redis down) has nothing to flush.
        with suppress(Exception):
            storage.flush_all()
        HUEY.immediate = True  # back to the suite's in-memory, at-once mode


@contextmanager
def running_consumer(huey) -> Iterator[object]:
    # As `manage.py run_huey` does: every app's tasks.py registers its tasks.
    autodiscover_modules("tasks")
    # One worker: the suite's in-memory SQLite database is shared between threads with
    # table locks that do not wait, so the test thread does not read the database while
    # the consumer runs either (it watches the outbox), and reads once it has stopped.
    consumer = huey.create_consumer(
        workers=1, worker_type="thread", periodic=True, scheduler_interval=1, max_delay=0.5
    )
    # The consumer would take over the signals of the test process; pytest keeps them.
    consumer._set_signal_handlers = lambda: None
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)


def wait_for(check: Callable[[], bool], *, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sqlite_storage(tmp_path: Path):
    from huey.storage import SqliteStorage

    return SqliteStorage("oncolien-test", filename=str(tmp_path / "tasks.sqlite3"))


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """Debian's redis-server on a free port, without persistence, stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server manque : bash scripts/install-system-packages.sh")
    port = _free_port()
    pidfile = tmp_path / "redis.pid"
    subprocess.run(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(tmp_path),
        ],
        check=True,
    )
    try:
        assert wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ),
            seconds=10,
        )
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        if wait_for(pidfile.exists, seconds=5):
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
