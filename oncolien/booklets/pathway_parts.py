"""What the booklets add to the pathway page: the « Livret » panel, with the links to
the booklet page and its printing. It reads nothing (the page's reads stay bounded,
tests/test_pathway_page_reads.py); the booklet page says what was printed and sent."""

from oncolien.accounts.models import User
from oncolien.pathways.extensions import Panel
from oncolien.pathways.models import Pathway


def booklet_panel(user: User, pathway: Pathway) -> Panel:
    return Panel("booklets/_panel.html", {"pathway": pathway})
