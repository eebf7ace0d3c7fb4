"""What the contacts add to a patient's booklet: whom to call after the announcement."""

from oncolien.booklets.extensions import BookletSection
from oncolien.contacts.selectors import contact_line, contacts_of
from oncolien.pathways.models import Pathway


def contacts_section(pathway: Pathway) -> BookletSection:
    return BookletSection(
        "Qui appeler après l'annonce",
        [contact_line(contact) for contact in contacts_of(pathway.cpts_id)],
        "La CPTS n'a pas encore indiqué ses contacts : demandez-les à votre équipe de soins.",
        intro="Les services de l'hôpital et de la clinique à joindre pour vos questions.",
    )
