"""A survey's results as one page, one export or one PDF shows them: the method (versions,
dates, respondents, filters), every question's tables and chart, the themes of free
text — exact for the regional team, protected when shared beyond it."""

from dataclasses import dataclass

from oncolien.disclosure import RULE
from oncolien.surveys.analysis import Respondent, SurveyData, summaries
from oncolien.surveys.coding import ThemeCounts, all_theme_counts
from oncolien.surveys.filters import Filters
from oncolien.surveys.summary_tables import SHARED_NOTE, PresentedQuestion, present_page


@dataclass(frozen=True)
class Results:
    data: SurveyData
    filters: Filters
    respondents: list[Respondent]
    questions: list[PresentedQuestion]
    themes: list[ThemeCounts]
    protected: bool

    @property
    def statement(self) -> str:
        if self.protected:
            return "Aucun filtre : les résultats partagés portent sur tous les répondants."
        return self.filters.statement(len(self.respondents), len(self.data.respondents))

    @property
    def versions(self) -> str:
        numbers = self.data.version_numbers
        if not numbers:
            return "aucune réponse envoyée"
        word = "Version comptée" if len(numbers) == 1 else "Versions comptées"
        return f"{word} : {', '.join(str(n) for n in numbers)}"

    @property
    def method(self) -> list[str]:
        data = self.data
        survey = data.survey
        lines = [self.versions + "."]
        if survey.opens_on:
            closing = f" au {survey.closes_on:%d/%m/%Y}" if survey.closes_on else ""
            lines.append(f"Enquête ouverte du {survey.opens_on:%d/%m/%Y}{closing}.")
        if data.first_submitted:
            lines.append(
                f"Réponses envoyées du {data.first_submitted:%d/%m/%Y} "
                f"au {data.last_submitted:%d/%m/%Y}."
            )
        count = len(data.respondents)
        if self.protected:
            lines.append("Répondants : réponses envoyées (effectifs protégés ci-dessous).")
        else:
            lines.append(
                f"Répondants : {count} réponse{'s' if count > 1 else ''} envoyée{'s' if count > 1 else ''} (les réponses en cours ne sont pas comptées)."
            )
        lines.append(
            "Pour chaque question, trois dénominateurs : l'ensemble des répondants, ceux à "
            "qui la question a été posée (selon ses conditions d'affichage), ceux qui y ont "
            "répondu."
        )
        if self.protected:
            lines += [SHARED_NOTE, RULE]
        return lines


def results(data: SurveyData, filters: Filters, *, protected: bool = False) -> Results:
    """The results for the regional team (exact, filtered) or shared (protected, not
    filtered: a filter would let a reader subtract two shared tables)."""
    if protected:
        filters = Filters()
    kept = filters.apply(data.respondents)
    presented = present_page(summaries(data.questions, kept), kept, protected=protected)
    themes = [] if protected else all_theme_counts(data, kept)
    return Results(data, filters, kept, presented, themes, protected)
