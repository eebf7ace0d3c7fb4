"""Coding free-text answers into themes: a theme list per question, several themes per
answer, and the theme counts with their denominators.

The texts coded are the answers to text questions and the « autre, précisez » texts of
choice questions (keyed `<code>.autre`). Free text is for the regional team only: it
never appears in shared results, nor do theme counts derived from it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.analysis import Question, Respondent, SurveyData
from oncolien.surveys.conditions import OTHER
from oncolien.surveys.models import AnswerCoding, Survey, Theme
from oncolien.surveys.summary_tables import Table, percent

OTHER_SUFFIX = ".autre"


@dataclass(frozen=True)
class Codable:
    """A text to code: a text question, or the « autre, précisez » of a choice question."""

    key: str  # the question code, or "<code>.autre"
    question: Question
    label: str

    @property
    def is_other(self) -> bool:
        return self.key.endswith(OTHER_SUFFIX)


def codables(data: SurveyData) -> list[Codable]:
    found = []
    for question in data.questions:
        if question.kind == "text":
            found.append(Codable(question.code, question, question.label))
        elif question.other and question.kind in ("single", "multiple"):
            found.append(
                Codable(
                    question.code + OTHER_SUFFIX,
                    question,
                    f"{question.label} — « Autre, précisez »",
                )
            )
    return found


def codable(data: SurveyData, key: str) -> Codable | None:
    return next((c for c in codables(data) if c.key == key), None)


def text_of(codable: Codable, respondent: Respondent) -> str:
    """The text a respondent wrote for `codable`, or "" (none, or a question not shown)."""
    code = codable.question.code
    if code not in respondent.shown:
        return ""
    if codable.is_other:
        value = respondent.answers.get(code)
        chosen = value if isinstance(value, list) else [value]
        if OTHER not in chosen:
            return ""
        text = respondent.other_texts.get(code, "")
    else:
        text = respondent.answers.get(code, "")
    return text.strip() if isinstance(text, str) else ""


def answers_to_code(
    codable: Codable, respondents: list[Respondent]
) -> list[tuple[Respondent, str]]:
    return [(r, text) for r in respondents if (text := text_of(codable, r))]


def themes_of(survey: Survey, key: str) -> list[Theme]:
    return list(Theme.objects.filter(survey=survey, question_code=key).order_by("label"))


@transaction.atomic
def theme_create(*, survey: Survey, key: str, label: str, author: User) -> Theme:
    authorize(author, SURVEYS_MANAGE)
    label = " ".join(label.split())
    if not label:
        raise ValidationError("Donnez un intitulé au thème.")
    if len(label) > 200:
        raise ValidationError("L'intitulé du thème dépasse 200 caractères.")
    if Theme.objects.filter(survey=survey, question_code=key, label__iexact=label).exists():
        raise ValidationError(f"Le thème « {label} » existe déjà pour cette question.")
    theme = Theme.objects.create(survey=survey, question_code=key, label=label)
    audit_record(actor=author, action="surveys.theme_create", target=theme)
    return theme


@transaction.atomic
def answers_code(*, survey: Survey, key: str, chosen: dict[int, set[int]], author: User) -> int:
    """Record the themes of each answer in `chosen` ({response id: theme ids}); an answer
    in it with no theme is recorded as coded without theme. All or nothing."""
    authorize(author, SURVEYS_MANAGE)
    themes = {theme.pk: theme for theme in themes_of(survey, key)}
    unknown = {pk for ids in chosen.values() for pk in ids} - set(themes)
    if unknown:
        raise ValidationError("Un thème choisi n'existe pas pour cette question.")
    responses = set(survey.responses.filter(pk__in=chosen).values_list("pk", flat=True))
    if responses != set(chosen):
        raise ValidationError("Une réponse codée n'appartient pas à cette enquête.")
    for response_id, theme_ids in chosen.items():
        coding, _ = AnswerCoding.objects.update_or_create(
            response_id=response_id, question_code=key, defaults={"coded_by": author}
        )
        coding.themes.set([themes[pk] for pk in theme_ids])
    audit_record(
        actor=author,
        action="surveys.answers_code",
        target=survey,
        details={"question": key, "answers": len(chosen)},
    )
    return len(chosen)


def codings_of(survey: Survey, key: str) -> dict[int, set[int]]:
    """{response id: theme ids} of the answers coded for `key`."""
    coded: dict[int, set[int]] = {}
    for coding in AnswerCoding.objects.filter(response__survey=survey, question_code=key):
        coded.setdefault(coding.response_id, set())
    through = AnswerCoding.themes.through.objects.filter(
        answercoding__response__survey=survey, answercoding__question_code=key
    ).values_list("answercoding__response_id", "theme_id")
    for response_id, theme_id in through:
        coded.setdefault(response_id, set()).add(theme_id)
    return coded


@dataclass(frozen=True)
class ThemeCounts:
    codable: Codable
    answered: int  # respondents (kept by the filters) who wrote a text
    coded: int  # of those, the answers an analyst coded
    counts: list[tuple[Theme, int]]

    @property
    def table(self) -> Table:
        rows = [
            [
                theme.label,
                str(count),
                _share(count, self.answered),
                _share(count, self.coded),
            ]
            for theme, count in self.counts
        ]
        rows.append(["Réponses codées", str(self.coded), _share(self.coded, self.answered), "—"])
        rows.append(["Réponses écrites", str(self.answered), "—", "—"])
        return Table(
            f"Thèmes — {self.codable.label}",
            [
                "Thème",
                "Réponses",
                "Parmi ceux qui ont écrit une réponse",
                "Parmi les réponses codées",
            ],
            rows,
            [
                "Une réponse peut porter plusieurs thèmes : les parts s'additionnent à plus "
                "de 100 %.",
            ],
            total_rows=2,
        )


def _share(count: int, of: int) -> str:
    return f"{count} sur {of} ({percent(count, of)})" if of else f"{count} sur 0"


def theme_counts(survey: Survey, codable: Codable, respondents: list[Respondent]) -> ThemeCounts:
    written = {r.id for r, _ in answers_to_code(codable, respondents)}
    coded = {pk: ids for pk, ids in codings_of(survey, codable.key).items() if pk in written}
    counts = [
        (theme, sum(1 for ids in coded.values() if theme.pk in ids))
        for theme in themes_of(survey, codable.key)
    ]
    return ThemeCounts(codable, len(written), len(coded), counts)


def all_theme_counts(data: SurveyData, respondents: list[Respondent]) -> list[ThemeCounts]:
    """The theme counts of every question with themes, for the page and the report."""
    keys = set(Theme.objects.filter(survey=data.survey).values_list("question_code", flat=True))
    return [
        theme_counts(data.survey, codable, respondents)
        for codable in codables(data)
        if codable.key in keys
    ]
