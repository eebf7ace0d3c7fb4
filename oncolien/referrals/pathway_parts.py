"""What the referrals add to a pathway (registered in AppConfig.ready): the care-plan
panel of its page, the referral events on its timeline, the referrals without
news on the worklist, and the supportive care proposed and done in visit reports."""

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.extensions import Panel, TimelineEvent, care_types_of_page, read_once
from oncolien.pathways.models import Pathway
from oncolien.referrals import selectors
from oncolien.referrals.selectors import report_section as report_section
from oncolien.referrals.selectors import worklist_section as worklist_section


def _referrals(pathway: Pathway) -> list:
    # The panel and the history show the same referrals: one read for both, and no
    # read of events when the pathway has no referral.
    return read_once(pathway, "referrals.of_pathway", lambda: selectors.referrals_of(pathway))


def timeline_events(pathway: Pathway) -> list[TimelineEvent]:
    return selectors.timeline_events(_referrals(pathway))


def care_plan_panel(user: User, pathway: Pathway) -> Panel:
    """ "Soins de support proposés et réalisés (PPS/PPAC)" on the pathway page."""
    referrals = _referrals(pathway)
    by_care: dict[str, list] = {}
    for referral in referrals:
        by_care.setdefault(referral.care_type.name, []).append(referral)
    return Panel(
        "referrals/_panel.html",
        {
            "pathway": pathway,
            "by_care": sorted(by_care.items(), key=lambda item: item[0]),
            "care_types": [
                care_type for care_type in care_types_of_page(pathway) if care_type.active
            ],
            "can_write": is_allowed(user, PATHWAY_WRITE, pathway),
        },
    )
