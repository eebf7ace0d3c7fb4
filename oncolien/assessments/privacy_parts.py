"""What the assessments hold about a patient, for the data rights (registered in
AppConfig.ready): the assessments with their answers, the patient links (never
their token's hash) and the satisfaction questionnaires. The erasure removes the
answers typed freely (text items); the choices, scores and needs stay, counted by
the indicators."""

from collections.abc import Sequence

from oncolien.assessments.engine import scale_labels
from oncolien.assessments.models import AccessLink, Assessment, SatisfactionSurvey
from oncolien.assessments.selectors import need_rows
from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart
from oncolien.reference.selectors import care_types_in_order


def _text_items(definition: dict) -> set[str]:
    return {
        item["id"]
        for item in definition.get("items", [])
        if isinstance(item, dict) and item.get("type") == "text" and "id" in item
    }


def answers_text(assessment: Assessment) -> str:
    """The answers as the patient read them: each question asked, then the words chosen
    (an option's label, never its code), one question a line."""
    lines = []
    for item in assessment.instrument.definition.get("items", []):
        value = assessment.answers.get(item.get("id"))
        if value in (None, "", []):
            continue
        options = {o.get("value"): o.get("label") for o in item.get("options", [])}
        if item.get("type") == "yes_no":
            options = {"yes": "oui", "no": "non"}
        chosen = value if isinstance(value, list) else [value]
        words = ", ".join(str(options.get(v) or v) for v in chosen)
        lines.append(f"{item.get('text', item.get('id'))} : {words}")
    return "\n".join(lines)


def results_text(assessment: Assessment, care_type_names: dict[str, str]) -> str:
    """What the answers gave: each need by care type (`care_type_names`, code → name,
    in display order) and level, each scale's sum, each alert's message."""
    results = assessment.results or {}
    lines = [f"{row.name} : {row.label}" for row in need_rows(results, care_type_names)]
    labels = scale_labels(assessment.instrument.definition)
    lines += [
        f"{labels.get(key, key)} : {value}"
        for key, value in (results.get("scales") or {}).items()
        if value is not None
    ]
    lines += [f"Alerte : {alert.get('message', '')}" for alert in results.get("alerts") or []]
    return "\n".join(lines)


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [p.pk for p in pathways]
    names = {care_type.code: care_type.name for care_type in care_types_in_order()}
    return [
        HeldSection(
            "assessments",
            "Évaluations des besoins",
            list(
                Assessment.objects.filter(pathway__in=ids)
                .select_related("instrument")
                .order_by("started_at", "pk")
            ),
            described={
                "answers": answers_text,
                "results": lambda assessment: results_text(assessment, names),
            },
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
