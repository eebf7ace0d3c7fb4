"""Importing responses collected elsewhere (the export of an online survey tool), all
or nothing.

Columns (names case-insensitive):
- `identifiant`: the row's identifier in the other tool, required and unique in the
  file; a re-import of the same file updates its responses, never duplicates them;
- `cpts`: the name of the CPTS, as in the survey's register; `groupe`: the respondent
  group (« professionnel de santé », « coordination »), optional;
- `<code>`: one question (a choice by its code or its label); a multiple choice
  either as one column holding a list separated by « ; » or « | », or as one column
  per option `<code>__<choice>` holding 1/0, oui/non or x;
- `<code>__autre`: the « autre, précisez » text (in the one-column-per-option layout,
  the option's column itself, which may hold the text);
- `<code>__<item>`: one line of a grid.
An unknown column is refused by its name. Every row is checked by the answering
pages' rules (`answers.py`), required questions included when shown; answers to
questions a row's other answers hide are dropped, and said so in the report.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.answering import current_version
from oncolien.surveys.answers import (
    AnswerError,
    RawAnswer,
    choices_of,
    clean_answer,
    fold,
    keep_shown,
    missing_required,
)
from oncolien.surveys.conditions import OTHER, questions
from oncolien.surveys.invitations import group_of
from oncolien.surveys.models import (
    CptsRegisterEntry,
    Response,
    ResponseImport,
    ResponseSource,
    ResponseStatus,
    Survey,
)
from oncolien.table_reading import UnreadableFile, read_table

ID, ENTRY, GROUP = "identifiant", "cpts", "groupe"
KEY_MAX = 100
TRUE_MARKS = {"1", "oui", "x", "vrai", "true", "yes", "o"}
FALSE_MARKS = {"", "0", "non", "faux", "false", "no", "n"}
LIST_SEPARATORS = re.compile(r"[;|]")


@dataclass
class Verdict:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[Verdict] = field(default_factory=list)
    warnings: list[Verdict] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    record: ResponseImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Column:
    index: int
    header: str
    role: str  # id, entry, group, value, option, other, item
    code: str = ""
    sub: str = ""


@dataclass
class ParsedRow:
    line: int
    key: str
    entry: CptsRegisterEntry
    group: str
    answers: dict
    other_texts: dict


def _columns(headers: list[str], definition: dict, report: ImportReport) -> list[Column]:
    by_code = {fold(q["code"]): q for _, q in questions(definition)}
    columns: list[Column] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        name = fold(header)
        if not name:
            continue
        if name in seen:
            report.errors.append(Verdict(1, header, "Cette colonne figure deux fois."))
            continue
        seen.add(name)
        if name in (ID, ENTRY, GROUP):
            columns.append(Column(index, header, {ID: "id", ENTRY: "entry", GROUP: "group"}[name]))
            continue
        if name in by_code:
            columns.append(Column(index, header, "value", by_code[name]["code"]))
            continue
        code, _, sub = name.partition("__")
        question = by_code.get(code)
        column = None
        if question is not None and sub:
            kind = question["kind"]
            choices = {fold(o["code"]): o["code"] for o in choices_of(question)}
            items = {fold(i["code"]): i["code"] for i in question.get("items", [])}
            if kind in ("single", "multiple") and sub == OTHER and question.get("other"):
                column = Column(index, header, "other", question["code"], OTHER)
            elif kind == "multiple" and sub in choices:
                column = Column(index, header, "option", question["code"], choices[sub])
            elif kind == "grid" and sub in items:
                column = Column(index, header, "item", question["code"], items[sub])
        if column is None:
            report.errors.append(
                Verdict(
                    1,
                    header,
                    f"Colonne inconnue : « {header.strip()} » (ni une question de l'enquête, "
                    f"ni {ID}, {ENTRY} ou {GROUP}).",
                )
            )
            continue
        columns.append(column)
    roles = {column.role for column in columns}
    if "id" not in roles:
        report.errors.append(
            Verdict(1, ID, f"Colonne « {ID} » manquante : elle identifie chaque réponse.")
        )
    if "entry" not in roles:
        report.errors.append(
            Verdict(
                1, ENTRY, f"Colonne « {ENTRY} » manquante : chaque réponse doit connaître sa CPTS."
            )
        )
    # A multiple choice comes in one layout or the other, never both.
    listed = {c.code for c in columns if c.role == "value"}
    for c in columns:
        if c.role == "option" and c.code in listed:
            report.errors.append(
                Verdict(
                    1,
                    c.header,
                    f"La question « {c.code} » a à la fois une colonne « {c.code} » et des "
                    "colonnes par option : gardez l'une ou l'autre présentation.",
                )
            )
            listed.discard(c.code)
    return columns


def _mark(cell: str, option_labels: set[str]) -> bool | None:
    folded = fold(cell)
    if folded in TRUE_MARKS or folded in option_labels:
        return True
    if folded in FALSE_MARKS:
        return False
    return None


def _raw_answers(
    row_cells: list[str], columns: list[Column], definition: dict, line: int, report: ImportReport
) -> dict[str, RawAnswer]:
    by_code = {q["code"]: q for _, q in questions(definition)}
    per_option = {c.code for c in columns if c.role == "option"}
    raw: dict[str, RawAnswer] = {}

    def cell(column: Column) -> str:
        return row_cells[column.index].strip() if column.index < len(row_cells) else ""

    for column in columns:
        if column.role not in ("value", "option", "other", "item"):
            continue
        question = by_code[column.code]
        answer = raw.setdefault(column.code, RawAnswer())
        text = cell(column)
        if column.role == "value":
            if question["kind"] == "multiple":
                answer.values = [part for part in LIST_SEPARATORS.split(text) if part.strip()]
            else:
                answer.values = [text]
        elif column.role == "item":
            answer.items[column.sub] = text
        elif column.role == "option" or (column.role == "other" and column.code in per_option):
            labels = {fold(o["label"]) for o in choices_of(question) if o["code"] == column.sub} | {
                fold(column.sub)
            }
            marked = _mark(text, labels)
            if marked is None and column.sub == OTHER:
                # The « autre » option's column may hold the text itself.
                answer.values.append(OTHER)
                answer.other = text
            elif marked is None:
                report.errors.append(
                    Verdict(line, column.header, f"« {text} » : attendu 1 ou 0, oui ou non, ou x.")
                )
            elif marked:
                answer.values.append(column.sub)
        else:
            answer.other = text
    return raw


def _parse(
    survey: Survey, definition: dict, data: bytes, filename: str, report: ImportReport
) -> list[ParsedRow]:
    try:
        table = read_table(data, filename)
    except UnreadableFile as error:
        report.errors.append(Verdict(0, "", str(error)))
        return []
    columns = _columns(table.headers, definition, report)
    if report.errors:
        return []
    entries = {
        fold(e.name): e for e in CptsRegisterEntry.objects.filter(register_id=survey.register_id)
    }
    by_code = {q["code"]: q for _, q in questions(definition)}
    role = {c.role: c for c in columns if c.role in ("id", "entry", "group")}
    keys: dict[str, int] = {}
    parsed = []
    for row in table.rows:
        if not any(c.strip() for c in row.cells):
            continue
        report.rows += 1
        line = row.line

        def cell(name: str, cells: list[str] = row.cells) -> str:
            column = role.get(name)
            if column is None or column.index >= len(cells):
                return ""
            return cells[column.index].strip()

        key = cell("id")
        if not key:
            report.errors.append(Verdict(line, ID, "Identifiant manquant."))
        elif len(key) > KEY_MAX:
            report.errors.append(Verdict(line, ID, f"Identifiant de plus de {KEY_MAX} caractères."))
        elif key in keys:
            report.errors.append(
                Verdict(line, ID, f"Identifiant « {key} » déjà présent à la ligne {keys[key]}.")
            )
        else:
            keys[key] = line
        entry = entries.get(fold(cell("entry")))
        if entry is None:
            message = (
                "CPTS manquante."
                if not cell("entry")
                else f"CPTS absente du registre de l'enquête : « {cell('entry')} »."
            )
            report.errors.append(Verdict(line, ENTRY, message))
        try:
            group = group_of(cell("group"))
        except ValueError as error:
            report.errors.append(Verdict(line, GROUP, str(error)))
            group = ""
        header_of = {c.code: c.header for c in columns if c.code and c.role == "value"}
        answers: dict = {}
        texts: dict = {}
        errors_before = len(report.errors)
        for code, raw in _raw_answers(row.cells, columns, definition, line, report).items():
            try:
                value, other = clean_answer(by_code[code], raw)
            except AnswerError as error:
                report.errors.append(Verdict(line, header_of.get(code, code), str(error)))
                continue
            if value is not None:
                answers[code] = value
                if other:
                    texts[code] = other
        kept, texts = keep_shown(definition, answers, texts)
        for code in answers.keys() - kept.keys():
            report.warnings.append(
                Verdict(
                    line,
                    header_of.get(code, code),
                    "Réponse ignorée : la question n'était pas posée à ce répondant "
                    "(sa condition d'affichage n'est pas remplie).",
                )
            )
        if len(report.errors) == errors_before:
            for code, message in missing_required(definition, kept).items():
                report.errors.append(Verdict(line, header_of.get(code, code), message))
        if entry is not None and key:
            parsed.append(ParsedRow(line, key, entry, group, kept, texts))
    if not report.rows:
        report.errors.append(Verdict(0, "", "Aucune réponse dans le fichier."))
    return parsed


def responses_import(*, actor: User, survey: Survey, data: bytes, filename: str) -> ImportReport:
    """Check every row, then write them all, or nothing when one row is wrong."""
    authorize(actor, SURVEYS_MANAGE)
    report = ImportReport()
    version = current_version(survey)
    if version is None:
        report.errors.append(Verdict(0, "", "L'enquête n'a pas encore de questionnaire."))
        return report
    if survey.register_id is None:
        report.errors.append(
            Verdict(
                0,
                "",
                "Associez d'abord un registre des CPTS à l'enquête : chaque réponse doit connaître sa CPTS.",
            )
        )
        return report
    parsed = _parse(survey, version.definition, data, filename, report)
    if report.errors:
        return report
    with transaction.atomic():
        now = timezone.now()
        existing = {
            r.import_key: r
            for r in Response.objects.select_for_update().filter(
                survey=survey, import_key__in=[row.key for row in parsed]
            )
        }
        for row in parsed:
            fields = {
                "version": version,
                "entry": row.entry,
                "group": row.group,
                "answers": row.answers,
                "other_texts": row.other_texts,
                "status": ResponseStatus.SUBMITTED,
                "source": ResponseSource.IMPORT,
            }
            response = existing.get(row.key)
            if response is None:
                Response.objects.create(
                    survey=survey, import_key=row.key, submitted_at=now, **fields
                )
                report.created += 1
            else:
                for name, value in fields.items():
                    setattr(response, name, value)
                response.save()
                report.updated += 1
        report.record = ResponseImport.objects.create(
            survey=survey,
            filename=filename[:255],
            imported_by=actor,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
        )
        audit_record(
            actor=actor,
            action="survey.responses.import",
            target=survey,
            details={
                "import": report.record.pk,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
            },
        )
    return report
