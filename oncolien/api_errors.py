"""The API's one error shape, and French messages for its validation errors.

Every refusal under /api/v1/ answers `ErrorOut`: English keys, French messages.
A request the schema refuses (pydantic) and a domain `ValidationError` raised by
a service both become a 422 listing one `{"field", "message", "type"}` per
problem; the endpoints do not catch them (see the handlers in `oncolien.api`).

Pydantic reports errors in English with a stable `type`; the API answers in
French, so each known type gets a French sentence and the others a generic one.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import TextChoices
from ninja import Schema
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

INVALID = "Données invalides."
AUTHENTICATION_REQUIRED = "Authentification requise."
NOT_FOUND = "Ressource introuvable."
UNREADABLE_BODY = "Le corps de la requête ne peut pas être lu."
METHOD_NOT_ALLOWED = "Méthode non permise pour cette adresse."
CSRF_FAILED = (
    "Vérification CSRF échouée : une écriture avec la session du site doit porter "
    "l'en-tête X-CSRFToken (valeur du cookie csrftoken)."
)
# django-ninja's own English messages, by their beginning (in DEBUG it appends the cause).
NINJA_MESSAGES = {
    "CSRF check Failed": CSRF_FAILED,
    "Cannot parse request body": UNREADABLE_BODY,
}


def french_http_error(message: str) -> str:
    for english, french in NINJA_MESSAGES.items():
        if message.startswith(english):
            return french
    return message


class FieldErrorOut(Schema):
    field: str
    message: str
    type: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "Une valeur oui/non est attendue.",
    "bool_type": "Une valeur oui/non est attendue.",
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
# Messages that tell the limit, from the error's context: type -> (message, context key).
BOUNDED_MESSAGES = {
    "greater_than": ("La valeur doit être supérieure à {limit}.", "gt"),
    "greater_than_equal": ("La valeur doit être supérieure ou égale à {limit}.", "ge"),
    "less_than": ("La valeur doit être inférieure à {limit}.", "lt"),
    "less_than_equal": ("La valeur doit être inférieure ou égale à {limit}.", "le"),
    "string_too_short": ("Ce texte doit compter au moins {limit} caractère(s).", "min_length"),
    "string_too_long": ("Ce texte doit compter au plus {limit} caractères.", "max_length"),
    "too_long": ("Cette liste doit compter au plus {limit} élément(s).", "max_length"),
}


def _french_choices(expected: str) -> str:
    """Pydantic's « 'a', 'b' or 'c' » as « a, b ou c »."""
    return expected.replace("'", "").replace(" or ", " ou ")


def french_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One {"field", "message", "type"} per error; the location skips ninja's transport prefix."""
    translated = []
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload", "form")
        ]
        message = FRENCH_MESSAGES.get(error.get("type", ""), GENERIC_MESSAGE)
        bounded = BOUNDED_MESSAGES.get(error.get("type", ""))
        context = error.get("ctx") or {}
        if bounded and bounded[1] in context:
            message = bounded[0].format(limit=context[bounded[1]])
        if error.get("type") in ("enum", "literal_error") and "expected" in context:
            message = f"{message[:-1]} : {_french_choices(str(context['expected']))}."
        if error.get("type") == "value_error":
            # Our own validators raise ValueError with a French sentence.
            message = str(error.get("msg", "")).removeprefix("Value error, ") or GENERIC_MESSAGE
        translated.append(
            {"field": ".".join(location), "message": message, "type": error.get("type", "")}
        )
    return translated


class RequestInvalid(ValidationError):
    """A domain ValidationError told in the request's terms: field names as the
    request body spells them, and optionally the one message that sums it up."""

    def __init__(
        self,
        error: ValidationError,
        *,
        fields: Mapping[str, str] | None = None,
        detail: str = INVALID,
    ) -> None:
        fields = fields or {}
        if hasattr(error, "error_dict"):
            super().__init__(
                {fields.get(name, name): errors for name, errors in error.error_dict.items()}
            )
        else:
            super().__init__(error.error_list)
        self.detail = detail


def domain_errors(error: ValidationError) -> list[dict[str, str]]:
    """One {"field", "message", "type"} per message of a domain ValidationError."""
    if hasattr(error, "error_dict"):
        pairs = [(name, item) for name, items in error.error_dict.items() for item in items]
    else:
        pairs = [(NON_FIELD_ERRORS, item) for item in error.error_list]
    return [
        {
            "field": "" if name == NON_FIELD_ERRORS else name,
            "message": message,
            "type": item.code or "invalid",
        }
        for name, item in pairs
        for message in item.messages
    ]


class Coded:
    """A coded text field, `Annotated[str, Coded(SomeChoices)]`: one of the codes of a
    Django `TextChoices`, listed in the OpenAPI document (`enum`) and in the refusal
    (« … choix possibles : a, b ou c. »). With `blank=True`, "" (no value) is accepted too."""

    def __init__(self, choices: type[TextChoices], *, blank: bool = False) -> None:
        self.codes = [str(code) for code in choices.values]
        self.accepted = [*self.codes, ""] if blank else list(self.codes)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema = dict(handler(schema))
        json_schema["enum"] = self.accepted
        return json_schema

    def _check(self, value: str) -> str:
        if value not in self.accepted:
            quoted = [f"'{code}'" for code in self.codes]
            expected = f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
            raise PydanticCustomError("enum", "Input should be {expected}", {"expected": expected})
        return value
