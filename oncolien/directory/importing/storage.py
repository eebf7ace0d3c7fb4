"""Where an import waits between its requests: ONCOLIEN_IMPORTS_DIR/<random token>/
(VAR_DIR/imports/ by default; storage shared by every app server and the consumer
when there are several).

No database table: the uploaded file, its progress and its verdicts are files
in a directory named by a random token. Pages carry the token signed together
with the user's id and a timestamp (django.core.signing), so that a token cannot
be guessed, forged, used by someone else, nor used after 24 hours. The
directory is removed once the import is applied, and any directory older than
24 hours is removed at the next upload (``purge_expired``).

Validating and applying run as huey tasks (``directory.tasks``): the request
writes a job file (which step, queued for whom) and queues only the directory's
name and the job's id; the task claims the job, works, and writes its outcome
there. Progress is a small JSON file rewritten atomically (write, then rename)
while the task works; the status page reads both. A job said to be running whose
files have not changed for STALE_SECONDS lost its worker: the page says so.
"""

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core import signing
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.directory.importing.verdicts import Verdicts

SALT = "oncolien.directory.import"
MAX_AGE_SECONDS = 24 * 3600
# Rewrite the progress file at most this often: enough for a bar, cheap for the disk.
PROGRESS_INTERVAL_SECONDS = 0.25
# A running job that wrote nothing for this long lost its worker (its transaction is
# rolled back with it): validation writes every row, the apply every write.
STALE_SECONDS = 600
# The states of a job (job.json).
QUEUED, RUNNING, DONE, FAILED = "en_attente", "en_cours", "termine", "echec"
ACTIVE_STATES = (QUEUED, RUNNING)
INTERRUPTED_MESSAGE = (
    "Le traitement s'est interrompu avant la fin : rien n'a été modifié. "
    "Recommencez ; si cela se reproduit, prévenez l'administrateur."
)


def imports_root() -> Path:
    # VAR_DIR/imports by default; shared storage with several app servers (settings).
    return Path(settings.ONCOLIEN_IMPORTS_DIR or Path(settings.VAR_DIR) / "imports")


def new_signed_token(*, user: User) -> str:
    """A fresh token for an upload form, bound to `user`."""
    return signing.dumps({"t": secrets.token_urlsafe(24), "u": user.pk}, salt=SALT)


def _signed_data(signed: str) -> dict[str, object] | None:
    """What a genuine, unexpired token says; None for anything else."""
    try:
        data = signing.loads(signed, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _unsign(signed: str, *, user: User) -> str | None:
    data = _signed_data(signed)
    if data is None or data.get("u") != user.pk:
        return None
    token = str(data.get("t", ""))
    # The token names a directory: never let it be a path.
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return token


def belongs_to_someone_else(signed: str, *, user: User) -> bool:
    """True for a genuine, unexpired token issued to another user: someone is trying
    a colleague's import, which is a refusal to record, not a page that does not exist."""
    data = _signed_data(signed)
    return data is not None and data.get("u") not in (None, user.pk)


def is_valid_token(signed: str, *, user: User) -> bool:
    return _unsign(signed, user=user) is not None


@dataclass
class Workspace:
    signed: str
    path: Path

    # --- the uploaded file and who uploaded it for which CPTS

    @property
    def meta(self) -> dict:
        return json.loads((self.path / "meta.json").read_text(encoding="utf-8"))

    def save_source(self, *, filename: str, data: bytes, cpts) -> None:
        extension = PurePath(filename).suffix.lower()
        (self.path / f"source{extension}").write_bytes(data)
        _write_json(
            self.path / "meta.json",
            {
                "filename": PurePath(filename).name,
                "extension": extension,
                "cpts": cpts.slug,
                "uploaded_at": timezone.now().isoformat(),
            },
        )

    def source(self) -> tuple[str, bytes]:
        meta = self.meta
        return meta["filename"], (self.path / f"source{meta['extension']}").read_bytes()

    # --- progress, read by the page while another request works

    def progress_writer(self):
        """A callback progress(phase, done, total) that writes at most every 0.25 s."""
        last = 0.0

        def write(phase: str, done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if done < total and now - last < PROGRESS_INTERVAL_SECONDS:
                return
            last = now
            self.write_progress(phase, done, total)

        return write

    def write_progress(self, phase: str, done: int, total: int) -> None:
        _write_json(self.path / "progress.json", {"phase": phase, "done": done, "total": total})

    def progress(self) -> dict | None:
        try:
            return json.loads((self.path / "progress.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    # --- verdicts of the last validation

    def save_verdicts(self, verdicts: Verdicts) -> None:
        _write_json(self.path / "verdicts.json", verdicts.to_dict())

    def verdicts(self) -> Verdicts | None:
        try:
            data = json.loads((self.path / "verdicts.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Verdicts.from_dict(data)

    # --- the job of a task: one step at a time, queued by a request, run by a task

    @property
    def name(self) -> str:
        """The directory's name: what a task receives to find the workspace."""
        return self.path.name

    def start_job(self, step: str, *, user: User) -> str:
        """Record that `step` is queued for `user`; the id the task must claim."""
        job_id = secrets.token_hex(8)
        self.write_progress("attente", 0, 0)
        _write_json(
            self.path / "job.json",
            {"id": job_id, "step": step, "state": QUEUED, "user": user.pk, "message": ""},
        )
        return job_id

    def job(self) -> dict | None:
        """The last job, its state as the page should tell it: a running job whose
        worker went silent is a failure."""
        path = self.path / "job.json"
        try:
            job = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if job["state"] == RUNNING and time.time() - self._last_change() > STALE_SECONDS:
            job |= {"state": FAILED, "message": INTERRUPTED_MESSAGE}
        return job

    def job_active(self) -> bool:
        job = self.job()
        return job is not None and job["state"] in ACTIVE_STATES

    def claim_job(self, job_id: str) -> dict | None:
        """Take the queued job `job_id` for this task; None if it is not queued any more,
        or another task took it (a claim file is created once, atomically)."""
        job = self.job()
        if job is None or job["id"] != job_id or job["state"] != QUEUED:
            return None
        try:
            os.close(os.open(self.path / f"claim-{job_id}", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return None
        job["state"] = RUNNING
        _write_json(self.path / "job.json", job)
        return job

    def finish_job(self, job: dict, *, state: str, message: str = "") -> None:
        _write_json(self.path / "job.json", {**job, "state": state, "message": message})

    def _last_change(self) -> float:
        times = [
            (self.path / name).stat().st_mtime
            for name in ("job.json", "progress.json")
            if (self.path / name).exists()
        ]
        return max(times, default=0.0)

    def forget_source(self) -> None:
        """Remove the file and its verdicts once applied; the outcome stays for the page."""
        for path in self.path.glob("source*"):
            path.unlink(missing_ok=True)
        (self.path / "verdicts.json").unlink(missing_ok=True)

    def delete(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def open_workspace(signed: str, *, user: User, create: bool = False) -> Workspace | None:
    """The workspace a signed token names, for this user; None if it is not theirs,
    has expired, or (unless `create`) does not exist."""
    token = _unsign(signed, user=user)
    if token is None:
        return None
    path = imports_root() / token
    if create:
        path.mkdir(parents=True, exist_ok=True)
    elif not (path / "meta.json").exists():
        return None
    return Workspace(signed=signed, path=path)


def workspace_named(name: str) -> Workspace | None:
    """The workspace a task was given (the directory's name, never a path); None when
    it is gone (applied, purged)."""
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        return None
    path = imports_root() / name
    if not (path / "meta.json").exists():
        return None
    return Workspace(signed="", path=path)


def purge_expired() -> int:
    """Remove the workspaces older than 24 hours; the number removed."""
    root = imports_root()
    if not root.is_dir():
        return 0
    limit = time.time() - MAX_AGE_SECONDS
    removed = 0
    for path in root.iterdir():
        if path.is_dir() and path.stat().st_mtime < limit:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _write_json(path: Path, data: dict) -> None:
    # Write then rename, so that a reader never sees half a file.
    temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(temporary, path)
