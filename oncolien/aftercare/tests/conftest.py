"""The hand-built world of the ARS activity file, shared by its tests."""

from datetime import date

import pytest

from oncolien.aftercare.services import act_record_done
from oncolien.aftercare.tests.ars_world import TODAY
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.pathways.services import pathway_update, treatment_add


@pytest.fixture
def world(base_data, coordinating_nurse):
    """Seven patients; the file active of 2026-S1 holds Martin, Roques and Vidal at A,
    Bessière at B, Bouissou at C (Sud Tarn); Cayla (prescribed on 1 July) and Laur
    (window over on 20 December 2025) are out of it.

    | patient  | structure | born       | sex | site        | treatments     | prescribed |
    | Martin   | A         | 1958-04-12 | F   | breast      | surgery, chemo | 2026-02-01 |
    | Roques   | A         | 1980-07-01 | M   | colorectal  | radiotherapy   | 2026-06-30 |
    | Vidal    | A         | 1940-05-05 | M   | —           | —              | 2025-03-01 |
    | Laur     | A         | 1960-01-01 | F   | lung        | —              | 2024-10-01 |
    | Cayla    | A         | 1990-01-15 | F   | skin        | —              | 2026-07-01 |
    | Bessière | B         | 2010-03-03 | M   | haemato     | chemo          | 2025-02-01 |
    | Bouissou | C         | 1970-06-30 | F   | breast      | —              | 2026-03-01 |
    """
    a = make_labelled_service()
    b = make_labelled_service(name="Espace après cancer")
    c = make_labelled_service(name="Après cancer Sud Tarn", cpts="cpts-sud-tarn")
    nurse = coordinating_nurse

    def patient(last_name, born, sex, site, prescribed_on, service, treatments=(), **acts):
        pathway = make_eligible_pathway(
            actor=nurse,
            end_of_treatment=date(prescribed_on.year - 1, 12, 1)
            if prescribed_on.month < 3
            else date(prescribed_on.year, prescribed_on.month - 1, 1),
            last_name=last_name,
            birth_date=born,
            sex=sex,
        )
        if site:
            pathway = pathway_update(actor=nurse, pathway=pathway, cancer_site=site)
        for kind in treatments:
            treatment_add(actor=nurse, pathway=pathway, kind=kind)
        return prescribe(
            actor=nurse, pathway=pathway, service=service, prescribed_on=prescribed_on, **acts
        )

    def done(programme, kind, day, amount=None):
        act = programme.acts.filter(kind=kind, done_on__isnull=True).first()
        act_record_done(actor=nurse, act=act, done_on=day, amount=amount, today=TODAY)

    martin = patient(
        "Martin",
        date(1958, 4, 12),
        "F",
        "breast",
        date(2026, 2, 1),
        a,
        ("surgery", "chemotherapy", "surgery"),
        dietary_assessment=True,
        dietary_follow_ups=2,
    )
    done(martin, "dietary_assessment", date(2026, 2, 10))
    done(martin, "dietary_follow_up", date(2026, 6, 30))  # last day of S1
    done(martin, "dietary_follow_up", date(2026, 7, 1))  # first day of S2
    roques = patient(
        "Roques",
        date(1980, 7, 1),
        "M",
        "colorectal",
        date(2026, 6, 30),
        a,
        ("radiotherapy",),
        psychological_assessment=True,
        psychological_follow_ups=1,
    )
    done(roques, "psychological_assessment", date(2026, 7, 1), "40.00")
    vidal = patient(
        "Vidal", date(1940, 5, 5), "M", "", date(2025, 3, 1), a, physical_activity_assessment=True
    )
    done(vidal, "physical_activity_assessment", date(2025, 3, 15))  # window to 2026-03-15
    laur = patient(
        "Laur", date(1960, 1, 1), "F", "lung", date(2024, 10, 1), a, dietary_assessment=True
    )
    done(laur, "dietary_assessment", date(2024, 12, 20))  # window over on 2025-12-20
    cayla = patient(
        "Cayla",
        date(1990, 1, 15),
        "F",
        "skin",
        date(2026, 7, 1),
        a,
        physical_activity_assessment=True,
    )
    done(cayla, "physical_activity_assessment", date(2026, 7, 3))
    # Prescribed, never came: in the file active until 2026-02-01.
    patient(
        "Bessière",
        date(2010, 3, 3),
        "M",
        "haematological",
        date(2025, 2, 1),
        b,
        ("chemotherapy",),
        dietary_assessment=True,
    )
    bouissou = patient(
        "Bouissou", date(1970, 6, 30), "F", "breast", date(2026, 3, 1), c, dietary_assessment=True
    )
    done(bouissou, "dietary_assessment", date(2026, 3, 5))
