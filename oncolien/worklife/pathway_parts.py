"""What the return to work adds to a pathway (registered in AppConfig.ready): a panel
of its page, beside the needs (the social, family and work support of the INCa
basket, read from the page's care types), and a section of the visit reports."""

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.extensions import Panel, care_types_of_page
from oncolien.pathways.models import Pathway, PathwayStatus
from oncolien.worklife import selectors
from oncolien.worklife.selectors import report_section as report_section


def work_panel(user: User, pathway: Pathway) -> Panel:
    situation = selectors.work_situation_of(pathway)
    care_type = next(
        (c for c in care_types_of_page(pathway) if c.code == selectors.CARE_TYPE and c.active),
        None,
    )
    return Panel(
        "worklife/_panel.html",
        {
            "pathway": pathway,
            "situation": situation,
            "lines": selectors.professional_lines(situation) if situation else [],
            "care_type": care_type,
            "can_write": pathway.status != PathwayStatus.CLOSED
            and is_allowed(user, PATHWAY_WRITE, pathway),
        },
    )
