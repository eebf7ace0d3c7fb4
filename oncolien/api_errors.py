"""French messages for the API's validation errors.

Pydantic reports errors in English with a stable `type`; the API answers in
French, so each known type gets a French sentence and the others a generic one.
"""

FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "Une valeur oui/non est attendue.",
    "string_type": "Un texte est attendu.",
    "string_too_short": "Ce texte est trop court.",
    "string_too_long": "Ce texte est trop long.",
    "string_pattern_mismatch": "Le format de cette valeur n'est pas valide.",
    "date_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "datetime_parsing": "Une date et heure au format ISO 8601 est attendue.",
    "greater_than": "La valeur est trop petite.",
    "greater_than_equal": "La valeur est trop petite.",
    "less_than": "La valeur est trop grande.",
    "less_than_equal": "La valeur est trop grande.",
    "enum": "Cette valeur ne fait pas partie des choix possibles.",
    "literal_error": "Cette valeur ne fait pas partie des choix possibles.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "list_type": "Une liste est attendue.",
    "value_error": "La valeur n'est pas valide.",
    "extra_forbidden": "Ce champ n'est pas modifiable.",
}
GENERIC_MESSAGE = "La valeur n'est pas valide."


def french_validation_errors(errors: list[dict]) -> list[dict]:
    """One {"champ", "message"} per error; the location skips ninja's transport prefix."""
    translated = []
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload", "form")
        ]
        message = FRENCH_MESSAGES.get(error.get("type", ""), GENERIC_MESSAGE)
        if error.get("type") == "value_error":
            # Our own validators raise ValueError with a French sentence.
            message = str(error.get("msg", "")).removeprefix("Value error, ") or GENERIC_MESSAGE
        translated.append(
            {"champ": ".".join(location), "message": message, "type": error.get("type", "")}
        )
    return translated
