"""What every PDF of the app shares with WeasyPrint: nothing is ever fetched.

Each document embeds its stylesheet and draws its charts as inline SVG, so a
renderer never needs a URL; refusing every fetch means that no text typed by a
person (a sheet, a structure's name, a practice) can make the server request one.
"""

from typing import Any


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> None:
    """WeasyPrint's `url_fetcher` for every PDF of the app."""
    raise ValueError(f"Ressource externe refusée dans le PDF : {url}")
