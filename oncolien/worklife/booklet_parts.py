"""What the return to work adds to the patient's booklet (registered in AppConfig.ready):
the plan in the patient's words, for a pathway that has one. The pathway is one the
booklets app already authorised."""

from oncolien.booklets.extensions import BookletSection
from oncolien.pathways.models import Pathway
from oncolien.worklife.selectors import work_plan_lines


def work_section(pathway: Pathway) -> BookletSection | None:
    lines = work_plan_lines(pathway)
    if not lines:
        return None  # no work situation recorded, or no plan: no section
    # The lines end with whom to ask (work_plan_lines): no intro repeats it.
    return BookletSection("Votre reprise d'activité professionnelle", lines)
