"""What the assessments hold about a patient, for the data rights (registered in
AppConfig.ready): the assessments with their answers, the patient links (never
their token's hash) and the satisfaction questionnaires. The erasure removes the
answers typed freely (text items); the choices, scores and needs stay, counted by
the indicators."""

from collections.abc import Sequence

from oncolien.assessments.models import AccessLink, Assessment, SatisfactionSurvey
from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart


def _text_items(definition: dict) -> set[str]:
    return {
        item["id"]
        for item in definition.get("items", [])
        if isinstance(item, dict) and item.get("type") == "text" and "id" in item
    }


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [p.pk for p in pathways]
    return [
        HeldSection(
            "assessments",
            "Évaluations des besoins",
            list(
                Assessment.objects.filter(pathway__in=ids)
                .select_related("instrument")
                .order_by("started_at", "pk")
            ),
        ),
        HeldSection(
            "access_links",
            "Liens d'auto-questionnaire",
            list(AccessLink.objects.filter(assessment__pathway__in=ids).order_by("pk")),
            hidden=frozenset({"token_hash"}),
        ),
        HeldSection(
            "satisfaction_surveys",
            "Questionnaires de satisfaction",
            list(SatisfactionSurvey.objects.filter(pathway__in=ids).order_by("pk")),
        ),
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    changed = 0
    for assessment in Assessment.objects.filter(
        pathway__in=[p.pk for p in pathways]
    ).select_related("instrument"):
        texts = _text_items(assessment.instrument.definition) & set(assessment.answers)
        if texts:
            assessment.answers = {k: v for k, v in assessment.answers.items() if k not in texts}
            Assessment.objects.filter(pk=assessment.pk).update(answers=assessment.answers)
            changed += 1
    return {"assessments": changed}


PART = PatientDataPart(name="assessments", held=held, erase=erase)
