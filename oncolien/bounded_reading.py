"""Reading an uploaded table in a child process with a memory and a time limit.

The checks of `table_reading` and `xlsx_checks` bound what a file may declare, but the
reading runs openpyxl and the csv module on bytes from anyone: a file that gets past
every check must still not take the worker (a web server's, or the task consumer's)
with it. So the reading runs in a child process whose address space is capped
(RLIMIT_AS) and which is killed past a number of seconds; what it answers is the table
or a French refusal. A child killed or crashed is a French refusal too.

The child is a fork of this process (quick: no new interpreter, pages shared until
written). It only reads the bytes it was given and sends back plain data: no database,
no log, no lock of the parent's. A fork server or a fresh interpreter would re-import
the parent's main module (manage.py, gunicorn, pytest) in every child.

Limits come from the settings ONCOLIEN_TABLE_READING_MEMORY_MB (memory the reading may
add to what the process already holds) and ONCOLIEN_TABLE_READING_SECONDS (0 for
either: the reading runs in this process).
"""

import logging
import multiprocessing
import resource
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

logger = logging.getLogger(__name__)

TOO_LONG = (
    "La lecture du fichier a duré plus de {seconds} s : il est refusé. Découpez-le "
    "en plusieurs fichiers ou enregistrez-le à nouveau depuis votre tableur."
)
TOO_HEAVY = (
    "La lecture du fichier demande plus de mémoire que permis ({mb} Mo) : il est refusé. "
    "Découpez-le en plusieurs fichiers ou enregistrez-le à nouveau depuis votre tableur."
)
CRASHED = (
    "Le fichier n'a pas pu être lu (la lecture s'est arrêtée) : il est refusé. "
    "Enregistrez-le à nouveau depuis votre tableur."
)

_context = multiprocessing.get_context("fork")


def read_bounded(
    parse: Callable[[bytes, str], T], data: bytes, filename: str, *, refusal: type[Exception]
) -> T:
    """`parse(data, filename)` in a bounded child; its `refusal` exceptions, and every
    limit passed, raised here as `refusal` with a French message."""
    memory_mb = settings.ONCOLIEN_TABLE_READING_MEMORY_MB
    seconds: float = settings.ONCOLIEN_TABLE_READING_SECONDS
    if not memory_mb or not seconds:
        return parse(data, filename)
    receiving, sending = _context.Pipe(duplex=False)
    child = _context.Process(
        target=_read_in_child,
        args=(sending, parse, data, filename, memory_mb, seconds, refusal),
        name="oncolien-table-reading",
        daemon=True,
    )
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            logger.warning("Table reading stopped after %s s (%s)", seconds, filename)
            raise refusal(TOO_LONG.format(seconds=seconds))
        try:
            kind, payload = receiving.recv()
        except (EOFError, OSError):
            logger.warning("Table reading died (%s): exit code %s", filename, child.exitcode)
            raise refusal(CRASHED) from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if kind == "table":
        return payload  # what `parse` returned
    if kind == "memory":
        raise refusal(TOO_HEAVY.format(mb=memory_mb))
    if kind == "fault":
        logger.error("Table reading failed (%s):\n%s", filename, payload)
        raise refusal(CRASHED)
    raise refusal(str(payload))


def _address_space() -> int:
    """The bytes of address space this process holds (the fork inherits the parent's)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


def _read_in_child(
    sending: Connection,
    parse: Callable[[bytes, str], object],
    data: bytes,
    filename: str,
    memory_mb: int,
    seconds: float,
    refusal: type[Exception],
) -> None:
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # CPU seconds as a second bound (the parent also kills the child on its clock).
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        answer: tuple[str, object] = ("table", parse(data, filename))
    except refusal as refused:
        answer = ("refused", str(refused))
    except MemoryError:
        answer = ("memory", None)
    except Exception:  # a fault of the reader itself: the parent logs it, and refuses
        answer = ("fault", traceback.format_exc())
    del data
    try:
        sending.send(answer)
    except MemoryError:
        sending.send(("memory", None))
    finally:
        sending.close()
