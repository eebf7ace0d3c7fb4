"""Needs-assessment instruments as FHIR R4 Questionnaire, and responses to them as
QuestionnaireResponse.

Item mapping (see assessments/INSTRUMENT_FORMAT.md):
- single_choice → `choice`, one `answerOption.valueCoding` per option (our option
  value as `code`, its label as `display`); multiple_choice → the same with
  `repeats: true`; yes_no → `boolean`; text → `text`.
- scale_0_10 → `integer` bounded by the standard minValue/maxValue extensions, not a
  `choice` of 0..10: our conditions compare scales (`gte`, `lte`), and FHIR allows
  the ordered enableWhen operators ('>=', '<=') on integers only, never on Codings.
  The end labels become `display` children with itemControl lower/upper, and `help`
  a `display` child with itemControl help, as the SDC rendering conventions do.
- enable_when → enableWhen: `equals` → '=', `gte` → '>=', `lte` → '<=' (answerCoding,
  answerBoolean or answerInteger after the type of the item referred to); `in` →
  one '=' per value with enableBehavior "any"; a flat `any`/`all` group of such
  conditions → its conditions with enableBehavior any/all. A condition FHIR cannot
  say that way (a group inside a group, an `in` inside an `all`) is not exported:
  the item is then always enabled, and carries the `NOT_EXPORTED_CONDITION`
  extension with a French note saying so.

A response names no patient: its subject is the pathway's identifier (no Patient
resource is served). Only for assessments obtained through
`assessments.selectors.assessment_for`.
"""

import re
from typing import Any

from django.utils import timezone

from oncolien.assessments.models import Assessment, AssessmentStatus, InstrumentVersion
from oncolien.fhir import codesystems as cs
from oncolien.fhir.resources_referrals import PATHWAY_ID_SYSTEM

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
NOT_EXPORTED_CONDITION = f"{cs.CANONICAL_BASE}/StructureDefinition/condition-non-exportee"
ASSESSMENT_ID_SYSTEM = f"{cs.CANONICAL_BASE}/NamingSystem/evaluation"

ITEM_TYPES = {
    "single_choice": "choice",
    "multiple_choice": "choice",
    "yes_no": "boolean",
    "scale_0_10": "integer",
    "text": "text",
}
OPERATORS = {"equals": "=", "gte": ">=", "lte": "<="}


def questionnaire_id(version: InstrumentVersion) -> str:
    """`{code}-{version}` restricted to the FHIR id characters (A-Z a-z 0-9 - .), 64 at most."""
    return re.sub(r"[^A-Za-z0-9\-.]", "-", f"{version.code}-{version.version}")[:64]


def questionnaire_url(version: InstrumentVersion) -> str:
    return f"{cs.CANONICAL_BASE}/Questionnaire/{version.code}"


def _instant(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _coding(item: dict, value: str) -> dict:
    labels = {o["value"]: o["label"] for o in item.get("options", [])}
    coding = {"code": str(value)}
    if value in labels:
        coding["display"] = labels[value]
    return coding


def _typed(item: dict, value) -> dict:
    """One FHIR answer value (`{"valueX": …}`) of our stored value for `item`."""
    kind = item["type"]
    if kind in ("single_choice", "multiple_choice"):
        return {"valueCoding": _coding(item, value)}
    if kind == "yes_no":
        return {"valueBoolean": value == "yes"}
    if kind == "scale_0_10":
        return {"valueInteger": int(value)}
    return {"valueString": str(value)}


def _enable_when(condition: dict, items: dict) -> list[dict] | None:
    """The enableWhen entries of one simple condition; None if FHIR cannot say it."""
    item = items.get(condition.get("item"))
    if item is None:
        return None
    if "in" in condition:
        values, operator = condition["in"], "="
    else:
        key = next((k for k in OPERATORS if k in condition), None)
        if key is None:
            return None
        values, operator = [condition[key]], OPERATORS[key]
    entries = []
    for value in values:
        answer = _typed(item, value)
        ((name, typed),) = answer.items()
        entries.append(
            {"question": item["id"], "operator": operator, name.replace("value", "answer"): typed}
        )
    return entries


def _conditions(condition: dict, items: dict) -> tuple[list[dict], str] | None:
    """(enableWhen entries, enableBehavior) of an item's condition, or None if not exportable."""
    if "any" in condition or "all" in condition:
        behaviour = "any" if "any" in condition else "all"
        entries: list[dict] = []
        for part in condition[behaviour]:
            # An `in` means "any of": inside an `all` it would need a nested group.
            if "any" in part or "all" in part or (behaviour == "all" and "in" in part):
                return None
            simple = _enable_when(part, items)
            if simple is None:
                return None
            entries.extend(simple)
        return entries, behaviour
    simple = _enable_when(condition, items)
    return (simple, "any") if simple is not None else None


def _control(code: str) -> dict:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


def _display(link_id: str, text: str, control: str) -> dict:
    return {"linkId": link_id, "text": text, "type": "display", "extension": [_control(control)]}


def _question(item: dict, items: dict) -> dict:
    question: dict = {
        "linkId": item["id"],
        "text": item["text"],
        "type": ITEM_TYPES[item["type"]],
        "required": bool(item.get("required")),
    }
    if item["type"] == "multiple_choice":
        question["repeats"] = True
    if item["type"] in ("single_choice", "multiple_choice"):
        question["answerOption"] = [
            {"valueCoding": _coding(item, o["value"])} for o in item["options"]
        ]
    children = []
    if item["type"] == "scale_0_10":
        question["extension"] = [
            {"url": MIN_VALUE, "valueInteger": 0},
            {"url": MAX_VALUE, "valueInteger": 10},
        ]
        ends = item.get("scale_labels", {})
        if ends.get("0"):
            children.append(_display(f"{item['id']}.min", ends["0"], "lower"))
        if ends.get("10"):
            children.append(_display(f"{item['id']}.max", ends["10"], "upper"))
    if item.get("help"):
        children.append(_display(f"{item['id']}.aide", item["help"], "help"))
    if children:
        question["item"] = children
    condition = item.get("enable_when")
    if condition:
        exported = _conditions(condition, items)
        if exported is None:
            question.setdefault("extension", []).append(
                {
                    "url": NOT_EXPORTED_CONDITION,
                    "valueString": "Question posée sous une condition que cet export FHIR "
                    "ne sait pas décrire ; elle y apparaît toujours active.",
                }
            )
        else:
            entries, behaviour = exported
            question["enableWhen"] = entries
            if len(entries) > 1:
                question["enableBehavior"] = behaviour
    return question


def questionnaire_resource(version: InstrumentVersion) -> dict:
    definition = version.definition
    items = {item["id"]: item for item in definition["items"]}
    resource = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(version),
        "url": questionnaire_url(version),
        "version": version.version,
        "title": version.title,
        "status": "active" if version.active else "retired",
        "subjectType": ["Patient"],
        "date": _instant(version.loaded_at),
        "publisher": "OncoLien",
        "item": [_question(item, items) for item in definition["items"]],
    }
    if definition.get("intro"):
        resource["description"] = definition["intro"]
    return resource


def _answers(item: dict, value) -> list[dict]:
    if value is None or value == "" or value == []:
        return []
    values = value if isinstance(value, list) else [value]
    return [_typed(item, v) for v in values]


def questionnaire_response_resource(assessment: Assessment) -> dict:
    version = assessment.instrument
    completed = assessment.status == AssessmentStatus.COMPLETED
    items = []
    for item in version.definition["items"]:
        answers = _answers(item, assessment.answers.get(item["id"]))
        if answers:
            items.append({"linkId": item["id"], "text": item["text"], "answer": answers})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(assessment.pk),
        "identifier": {"system": ASSESSMENT_ID_SYSTEM, "value": str(assessment.pk)},
        "questionnaire": f"{questionnaire_url(version)}|{version.version}",
        "status": "completed" if completed else "in-progress",
        "subject": {
            "identifier": {"system": PATHWAY_ID_SYSTEM, "value": str(assessment.pathway_id)},
            "display": f"Parcours n° {assessment.pathway_id}",
        },
        "authored": _instant(assessment.completed_at if completed else assessment.updated_at),
        # Who answered, without naming the patient or a relative.
        "source": {"display": assessment.get_respondent_display()},
    }
    if assessment.filled_by is not None:
        author = assessment.filled_by
        resource["author"] = {"display": author.get_full_name() or author.get_username()}
    if items:
        resource["item"] = items
    return resource
