"""The questionnaire engine: what an instrument file must contain, which items are asked,
what a valid answer is, and how answers turn into need levels and scale scores.

It works on the plain `definition` dict of an instrument (INSTRUMENT_FORMAT.md), never
on a particular questionnaire: a new instrument or version is a data file, not code.
Every error message is in French, because it is shown as is to the person who loads a
file or fills a form.
"""

import re

from django.core.exceptions import ValidationError

ITEM_TYPES = ("single_choice", "multiple_choice", "yes_no", "scale_0_10", "text")
CHOICE_TYPES = ("single_choice", "multiple_choice")
AUDIENCES = ("patient", "professional")
RESPONDENTS = ("professional", "patient", "relative")
PHASES = ("diagnosis", "treatment", "after_treatment", "any")
SCORE_KINDS = ("symptom", "distress")
YES_NO = ("yes", "no")
TEXT_MAX = 2000
OPERATORS = ("equals", "in", "gte", "lte")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

NONE, TO_DISCUSS, PRIORITY = "none", "to_discuss", "priority"
REQUIRED_MESSAGE = "Merci de répondre à cette question."


class InstrumentError(ValidationError):
    """An instrument file that cannot be loaded; `messages` lists every problem found."""


# --- Conditions (enable_when and scoring rules) ----------------------------------------


def condition_holds(condition: dict, answers: dict) -> bool:
    """One condition on the answers. An unanswered (or disabled) item makes it false.

    On a multiple-choice item, "equals" means "includes this option" and "in" means
    "includes at least one of these options".
    """
    if "all" in condition:
        return all(condition_holds(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, answers) for part in condition["any"])
    value = answers.get(condition["item"])
    if value is None:
        return False
    chosen = value if isinstance(value, list) else [value]
    if "equals" in condition:
        return condition["equals"] in chosen
    if "in" in condition:
        return any(option in condition["in"] for option in chosen)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    if "gte" in condition:
        return value >= condition["gte"]
    return value <= condition["lte"]


def enabled_ids(definition: dict, answers: dict) -> list[str]:
    """The items asked, in order, given the answers. A disabled item's answer does not
    count for the items after it (conditions see only enabled answers)."""
    seen: dict = {}
    enabled = []
    for item in definition["items"]:
        rule = item.get("enable_when")
        if rule is None or condition_holds(rule, seen):
            enabled.append(item["id"])
            if item["id"] in answers:
                seen[item["id"]] = answers[item["id"]]
    return enabled


# --- Answers ----------------------------------------------------------------------------


def clean_value(item: dict, value):
    """The stored form of one answer, or None for "no answer"; ValueError with a French
    message when the value is not a possible answer to this item."""
    kind = item["type"]
    if value is None or value == "" or value == []:
        return None
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("La réponse doit être un texte.")
        value = value.strip()
        if len(value) > TEXT_MAX:
            raise ValueError(f"La réponse est trop longue (au plus {TEXT_MAX} caractères).")
        return value or None
    if kind == "scale_0_10":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValueError("La réponse doit être un nombre entier de 0 à 10.")
        return value
    if kind == "yes_no":
        if value not in YES_NO:
            raise ValueError("Répondez par oui ou par non.")
        return value
    allowed = [option["value"] for option in item["options"]]
    if kind == "single_choice":
        if value not in allowed:
            raise ValueError("Choisissez une des réponses proposées.")
        return value
    values = value if isinstance(value, list) else [value]
    if any(v not in allowed for v in values):
        raise ValueError("Choisissez parmi les réponses proposées.")
    # Stored in the instrument's order, once each, so equal answers compare equal.
    return [option for option in allowed if option in values]


def clean_answers(definition: dict, answers: dict, *, previous: dict | None = None) -> dict:
    """Merge `answers` into `previous` and return the stored answers.

    An empty value removes an answer; answers to items disabled by the result are
    dropped. Raises ValidationError {item_id: message} and changes nothing when a
    value is not possible or an item unknown.
    """
    items = {item["id"]: item for item in definition["items"]}
    merged = dict(previous or {})
    errors = {}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            errors[item_id] = "Cette question n'existe pas dans ce questionnaire."
            continue
        try:
            cleaned = clean_value(item, value)
        except ValueError as error:
            errors[item_id] = str(error)
            continue
        if cleaned is None:
            merged.pop(item_id, None)
        else:
            merged[item_id] = cleaned
    if errors:
        raise ValidationError(errors)
    enabled = enabled_ids(definition, merged)
    return {item_id: merged[item_id] for item_id in enabled if item_id in merged}


def missing_required(definition: dict, answers: dict) -> dict:
    """{item_id: message} for each enabled required item left without an answer."""
    enabled = set(enabled_ids(definition, answers))
    return {
        item["id"]: REQUIRED_MESSAGE
        for item in definition["items"]
        if item.get("required") and item["id"] in enabled and item["id"] not in answers
    }


# --- Scoring ------------------------------------------------------------------------------


def score(definition: dict, answers: dict) -> dict:
    """{"needs": {care_type: level}, "scales": {key: sum or None}, "scores": [...]}.

    A need is "priority" when any of its priority conditions holds, else "to_discuss"
    when any of its to-discuss conditions holds, else "none". A scale is the sum of its
    answered items (None when none is answered).
    """
    answers = {k: v for k, v in answers.items() if k in enabled_ids(definition, answers)}
    scoring = definition.get("scoring", {})
    needs: dict[str, str] = {}
    for rule in scoring.get("needs", []):
        if any(condition_holds(c, answers) for c in rule.get("priority_if", [])):
            level = PRIORITY
        elif any(condition_holds(c, answers) for c in rule.get("to_discuss_if", [])):
            level = TO_DISCUSS
        else:
            level = NONE
        # Two rules on one care type (e.g. two symptoms feeding nutrition): keep the higher.
        needs[rule["care_type"]] = max(
            needs.get(rule["care_type"], NONE), level, key=(NONE, TO_DISCUSS, PRIORITY).index
        )
    scales = {}
    for scale in scoring.get("scales", []):
        values = [answers[i] for i in scale["sum_of"] if i in answers]
        scales[scale["key"]] = sum(values) if values else None
    scores = [
        {**item["score"], "value": answers[item["id"]]}
        for item in definition["items"]
        if "score" in item and item["id"] in answers
    ]
    # Alert rules of the instrument itself (e.g. pain ≥ 7 or not relieved): the pathway's
    # alert table judges nothing here, it raises the named rule with its message.
    alerts = [
        {"rule": rule["rule"], "message": rule["message"]}
        for rule in scoring.get("alerts", [])
        if any(condition_holds(c, answers) for c in rule["when_any"])
    ]
    return {"needs": needs, "scales": scales, "scores": scores, "alerts": alerts}


def scale_labels(definition: dict) -> dict:
    return {s["key"]: s["label"] for s in definition.get("scoring", {}).get("scales", [])}


def scale_maxima(definition: dict) -> dict:
    """The highest possible value of each scale (10 per item summed)."""
    return {
        s["key"]: 10 * len(s["sum_of"]) for s in definition.get("scoring", {}).get("scales", [])
    }


# --- Validation of a whole instrument file ---------------------------------------------------


def _check_condition(condition, items: dict, before: set, where: str, errors: list) -> None:
    if not isinstance(condition, dict):
        errors.append(f"{where} : la condition doit être un objet.")
        return
    for group in ("all", "any"):
        if group in condition:
            parts = condition[group]
            if not isinstance(parts, list) or not parts:
                errors.append(f"{where} : « {group} » doit être une liste non vide de conditions.")
                return
            for part in parts:
                _check_condition(part, items, before, where, errors)
            return
    item_id = condition.get("item")
    if item_id not in items:
        errors.append(f"{where} : la question « {item_id} » n'existe pas.")
        return
    if item_id not in before:
        errors.append(f"{where} : la question « {item_id} » doit précéder celle qui en dépend.")
        return
    operators = [op for op in OPERATORS if op in condition]
    if len(operators) != 1:
        errors.append(f"{where} : il faut exactement un opérateur parmi {', '.join(OPERATORS)}.")
        return
    item, op = items[item_id], operators[0]
    operand = condition[op]
    if op in ("gte", "lte"):
        if item["type"] != "scale_0_10" or not isinstance(operand, int):
            errors.append(
                f"{where} : « {op} » s'applique à une échelle de 0 à 10 avec un nombre entier."
            )
        return
    possible: list[object] | None = (
        list(YES_NO)
        if item["type"] == "yes_no"
        else [o.get("value") for o in item.get("options", [])]
        if item["type"] in CHOICE_TYPES
        else list(range(11))
        if item["type"] == "scale_0_10"
        else None
    )
    operands = operand if op == "in" else [operand]
    if op == "in" and (not isinstance(operand, list) or not operand):
        errors.append(f"{where} : « in » attend une liste de valeurs.")
    elif possible is None:
        errors.append(f"{where} : une question texte ne peut pas servir de condition.")
    elif any(v not in possible for v in operands):
        errors.append(f"{where} : valeur impossible pour la question « {item_id} ».")


def _check_item(item, index: int, items: dict, errors: list) -> None:
    where = f"Question n° {index + 1}"
    if not isinstance(item, dict):
        errors.append(f"{where} : doit être un objet.")
        return
    item_id = item.get("id")
    if not isinstance(item_id, str) or not SLUG.match(item_id):
        errors.append(f"{where} : identifiant « id » manquant ou invalide.")
        return
    where = f"Question « {item_id} »"
    if item_id in items:
        errors.append(f"{where} : identifiant en double.")
    kind = item.get("type")
    if kind not in ITEM_TYPES:
        errors.append(f"{where} : type « {kind} » inconnu (attendu : {', '.join(ITEM_TYPES)}).")
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        errors.append(f"{where} : le texte de la question manque.")
    if kind in CHOICE_TYPES:
        options = item.get("options")
        values = [o.get("value") for o in options or [] if isinstance(o, dict)]
        if not options or len(values) != len(options):
            errors.append(f"{where} : une liste « options » de {{value, label}} est attendue.")
        elif len(set(values)) != len(values) or not all(
            isinstance(o.get("label"), str) and o["label"] for o in options
        ):
            errors.append(f"{where} : valeurs en double ou libellés manquants dans les options.")
    elif "options" in item:
        errors.append(f"{where} : seules les questions à choix ont des « options ».")
    if "score" in item:
        scored = item["score"]
        if kind != "scale_0_10":
            errors.append(f"{where} : seule une échelle de 0 à 10 peut porter un « score ».")
        elif not isinstance(scored, dict) or scored.get("kind") not in SCORE_KINDS:
            errors.append(f"{where} : « score.kind » doit valoir symptom ou distress.")
        elif not scored.get("key") or not scored.get("label"):
            errors.append(f"{where} : « score » doit avoir une clé et un libellé.")


def _check_default_for(default_for, errors: list) -> None:
    """Optional {"respondents": [...], "phases": [...]}: whom and at which pathway phases
    the instrument is proposed first when an assessment is started."""
    if default_for is None:
        return
    where = "« default_for »"
    if not isinstance(default_for, dict) or set(default_for) != {"respondents", "phases"}:
        errors.append(f"{where} doit être un objet avec « respondents » et « phases ».")
        return
    for key, allowed in (("respondents", RESPONDENTS), ("phases", PHASES[:-1])):
        values = default_for[key]
        if not isinstance(values, list) or not values or any(v not in allowed for v in values):
            errors.append(
                f"{where} : « {key} » doit lister des valeurs parmi {', '.join(allowed)}."
            )


def is_default_for(definition: dict, *, respondent: str, phase: str) -> bool:
    default_for = definition.get("default_for") or {}
    return respondent in default_for.get("respondents", []) and phase in default_for.get(
        "phases", []
    )


def validate_definition(definition, *, care_types: set[str] | None = None) -> None:
    """Raise InstrumentError listing every problem of an instrument file, or return."""
    errors: list[str] = []
    if not isinstance(definition, dict):
        raise InstrumentError(["Le fichier doit contenir un objet JSON."])
    code = definition.get("code")
    if not isinstance(code, str) or not SLUG.match(code):
        errors.append("« code » manquant ou invalide (lettres minuscules, chiffres, tirets).")
    for field in ("version", "title"):
        if not isinstance(definition.get(field), str) or not definition[field].strip():
            errors.append(f"« {field} » manquant.")
    if definition.get("audience") not in AUDIENCES:
        errors.append("« audience » doit valoir patient ou professional.")
    if definition.get("phase") not in PHASES:
        errors.append(f"« phase » doit valoir l'une de : {', '.join(PHASES)}.")
    _check_default_for(definition.get("default_for"), errors)
    sources = definition.get("sources")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, dict) and s.get("title") for s in sources)
    ):
        errors.append("« sources » : au moins une source citée (avec un titre) est obligatoire.")
    raw_items = definition.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        errors.append("« items » : le questionnaire doit contenir au moins une question.")
        raise InstrumentError(errors)
    items: dict = {}
    declared = {
        i["id"]: i for i in raw_items if isinstance(i, dict) and isinstance(i.get("id"), str)
    }
    score_keys: set = set()
    for index, item in enumerate(raw_items):
        _check_item(item, index, items, errors)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if "enable_when" in item:
                where = f"Question « {item['id']} »"
                _check_condition(item["enable_when"], declared, set(items), where, errors)
            scored = item.get("score")
            key = scored.get("key") if isinstance(scored, dict) else None
            if key in score_keys:
                errors.append(f"Question « {item['id']} » : clé de score « {key} » en double.")
            if key:
                score_keys.add(key)
            items.setdefault(item["id"], item)
    all_ids = set(items)
    scoring = definition.get("scoring", {})
    if not isinstance(scoring, dict):
        errors.append("« scoring » doit être un objet.")
        scoring = {}
    for rule in scoring.get("needs", []):
        care_type = rule.get("care_type") if isinstance(rule, dict) else None
        where = f"Règle de besoin « {care_type} »"
        if not care_type or (care_types is not None and care_type not in care_types):
            errors.append(f"{where} : type de soin inconnu du référentiel.")
            continue
        for key in ("priority_if", "to_discuss_if"):
            conditions = rule.get(key, [])
            if not isinstance(conditions, list):
                errors.append(f"{where} : « {key} » doit être une liste.")
                continue
            for condition in conditions:
                _check_condition(condition, items, all_ids, where, errors)
    alert_rules = scoring.get("alerts", [])
    if not isinstance(alert_rules, list):
        errors.append("« scoring.alerts » doit être une liste.")
        alert_rules = []
    for index, rule in enumerate(alert_rules):
        where = f"Règle d'alerte n° {index + 1}"
        if not isinstance(rule, dict) or not isinstance(rule.get("rule"), str) or not rule["rule"]:
            errors.append(f"{where} : « rule » (le code de la règle d'alerte) manque.")
            continue
        where = f"Règle d'alerte « {rule['rule']} »"
        if not isinstance(rule.get("message"), str) or not rule["message"].strip():
            errors.append(f"{where} : le « message » de l'alerte manque.")
        conditions = rule.get("when_any")
        if not isinstance(conditions, list) or not conditions:
            errors.append(f"{where} : « when_any » doit être une liste non vide de conditions.")
            continue
        for condition in conditions:
            _check_condition(condition, items, all_ids, where, errors)
    scale_keys = set()
    for scale in scoring.get("scales", []):
        key = scale.get("key") if isinstance(scale, dict) else None
        if not key or not scale.get("label") or key in scale_keys:
            errors.append(f"Échelle « {key} » : clé manquante, en double ou libellé manquant.")
            continue
        scale_keys.add(key)
        summed = scale.get("sum_of")
        if (
            not isinstance(summed, list)
            or not summed
            or not all(i in items and items[i].get("type") == "scale_0_10" for i in summed)
        ):
            errors.append(
                f"Échelle « {key} » : « sum_of » doit lister des questions de type échelle 0–10."
            )
    if errors:
        raise InstrumentError(errors)
