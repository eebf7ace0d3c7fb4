"""Versioned data files (reference, vocabulary…) read as one JSON object, with French errors.

Each loader validates its own document; what they share is the first step, turning
the file's bytes into a JSON object or refusing it with one French sentence.
"""

import json
from typing import Any, NoReturn, Protocol


class Refusal(Protocol):
    def __call__(self, errors: list[str], *, source: str) -> Exception: ...


def json_object(raw: bytes, *, refused: Refusal, source: str) -> dict[str, Any]:
    """The JSON object in `raw`; otherwise `refused([...], source=source)` is raised."""

    def refuse(message: str) -> NoReturn:
        raise refused([message], source=source) from None

    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        refuse("Le fichier n'est pas encodé en UTF-8.")
    except json.JSONDecodeError as exc:
        refuse(f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}.")
    if not isinstance(document, dict):
        refuse("Le document doit être un objet JSON.")
    return document
