"""Real processes for the deployment tests: Debian's redis-server, gunicorn app servers
and a huey consumer (`manage.py run_huey`), each started on a free local port with its
own environment and stopped by its own process id."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], *, seconds: float = 20, every: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


@dataclass
class Redis:
    port: int
    pidfile: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, check=True
        )
        return done.stdout


@contextmanager
def redis_server(directory: Path) -> Iterator[Redis]:
    """redis-server without persistence, daemonized, stopped by the pid it wrote."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server manque : bash scripts/install-system-packages.sh")
    port = free_port()
    pidfile = directory / "redis.pid"
    subprocess.run(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile),
         "--dir", str(directory)],
        check=True,
    )  # fmt: skip
    redis = Redis(port=port, pidfile=pidfile)
    try:
        if not wait_for(lambda: _pong(redis), seconds=10):
            raise RuntimeError(f"redis-server ne répond pas sur le port {port}")
        yield redis
    finally:
        if wait_for(pidfile.exists, seconds=5):
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


def _pong(redis: Redis) -> bool:
    try:
        return redis.cli("ping").strip() == "PONG"
    except subprocess.CalledProcessError:
        return False


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    url: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


def _spawn(name: str, command: list[str], *, env: dict[str, str], directory: Path) -> Process:
    log = directory / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return Process(name=name, popen=popen, log=log)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return response.status < 500
    except OSError:
        return False


def start_app_server(
    name: str, *, env: dict[str, str], directory: Path, workers: int = 1
) -> Process:
    """gunicorn as in production (deploy/), on a free port of 127.0.0.1."""
    port = free_port()
    process = _spawn(
        name,
        [str(GUNICORN), "oncolien.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--timeout", "60", "--graceful-timeout", "5",
         # gunicorn 27 opens a control socket at one fixed path per user: a second
         # server on the machine takes it over and the first one stops.
         "--no-control-socket"],
        env=env,
        directory=directory,
    )  # fmt: skip
    process.url = f"http://127.0.0.1:{port}"
    return process


def start_consumer(name: str, *, env: dict[str, str], directory: Path) -> Process:
    return _spawn(name, [sys.executable, "manage.py", "run_huey"], env=env, directory=directory)


def wait_until_serving(process: Process, *, seconds: float = 120) -> None:
    if not wait_for(
        lambda: process.popen.poll() is None and _answers(f"{process.url}/compte/connexion/"),
        seconds=seconds,
        every=0.3,
    ):
        raise RuntimeError(f"{process.name} ne répond pas :\n{process.output()[-3000:]}")
