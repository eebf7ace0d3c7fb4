from oncolien.practices.models import Practice, Status
from oncolien.reference.models import CareType


def make_practice(
    cpts,
    *,
    title="Une ligne téléphonique d'entrée dans le parcours",
    status=Status.DRAFT,
    care_types=("psychological",),
    **fields,
):
    practice = Practice.objects.create(
        cpts=cpts,
        title=title,
        summary=fields.pop("summary", "Des infirmières coordinatrices à domicile."),
        status=status,
        **fields,
    )
    practice.care_types.set(CareType.objects.filter(code__in=care_types))
    return practice
