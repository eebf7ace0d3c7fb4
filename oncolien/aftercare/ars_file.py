"""The activity file the labelled structures return to the ARS each semester, in the
shape of the PACA evaluation (OncoPaca-Corse): file active, patient profile (age
bands, sex, cancer sites, treatment types), activity (acts and amounts) and
satisfaction; per labelled structure the user may see, and in total.

Definitions (stated in the file itself, `DEFINITIONS`):

- File active of a semester: the patients with a programme prescribed to the
  structure on or before the semester's last day and not ended before its first
  day. A programme ends at the end of its allowance window (12 months, the rules'
  `window_months`, after the first assessment done; with no assessment done yet,
  after the prescription, so that a patient who never came leaves the file after
  a year instead of staying in it for ever), or on the day its pathway is closed,
  whichever comes first. The PACA document gives the figure (« File active 2024 :
  1er semestre, 461 patients ») but not its rule: this one is ours.
- New inclusions: patients of the file active prescribed during the semester.
- Patients without any act done: of the file active, those with no act done on
  or before the semester's last day (« perdus » between prescription and care).
- Profile: one patient counted once per structure (and once in the total), from
  their latest programme: age at prescription, sex, cancer site of the pathway,
  each treatment kind recorded (a patient may have several: those shares add up
  to more than 100 %).
- Acts prescribed: acts of the programmes prescribed during the semester, priced
  at the tariff of the programme's rules. Acts done: acts done during the
  semester, at the amount recorded.

The age bands are not given by the PACA document (its chart's bands are not in
the text): the age bands are the app's one list (pathways/ages.py).

Aggregates only: no name, no date of birth, nothing that points to a patient
leaves this module; every share carries its denominator (« 12 sur 40 »).
"""

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from oncolien.accounts.authorization import authorize, visible
from oncolien.accounts.models import User
from oncolien.aftercare import rules
from oncolien.aftercare.extensions import ProgrammeSatisfaction, satisfaction_by_group
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.aftercare.report import REPORT_PERMISSION, protected_for
from oncolien.aftercare.semesters import Semester
from oncolien.aftercare.services import labelled_services
from oncolien.directory.models import Organization, Service
from oncolien.pathways.ages import AGE_BANDS, age_band, age_on
from oncolien.pathways.models import CancerSite, Sex, Treatment, TreatmentKind

NBSP = "\u00a0"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# (first age, last age or None, label)
NOT_GIVEN = "Non renseignée"
NO_TREATMENT = "Aucun traitement renseigné"
SATISFACTION_UNAVAILABLE = (
    "non disponible : le questionnaire de satisfaction à un an n'est pas chargé"
)

DEFINITIONS = (
    (
        "File active",
        "Patients dont le parcours a été prescrit à la structure au plus tard le dernier "
        "jour du semestre et n'était pas terminé avant son premier jour. Un parcours se "
        "termine 12 mois après le premier bilan réalisé (sans bilan réalisé : 12 mois après "
        "la prescription), ou à la clôture du parcours du patient si elle vient avant.",
    ),
    ("Nouvelles inclusions", "Patients de la file active prescrits pendant le semestre."),
    (
        "Patients sans acte réalisé",
        "Patients de la file active dont aucun acte n'est réalisé au dernier jour du semestre.",
    ),
    (
        "Profil",
        "Chaque patient compte une fois par structure : âge à la prescription, sexe, "
        "localisation du cancer, types de traitement (un patient peut en avoir plusieurs).",
    ),
    (
        "Actes",
        "Prescrits : actes des parcours prescrits pendant le semestre, au tarif des règles du "
        "parcours. Réalisés : actes réalisés pendant le semestre, au montant enregistré.",
    ),
)


def percent(count: int, of: int) -> str:
    return f"{round(100 * count / of)}{NBSP}%" if of else "—"


def euros(amount: Decimal) -> str:
    return f"{amount:.2f}{NBSP}€".replace(".", ",")


@dataclass(frozen=True)
class Share:
    """A count among a denominator: shown « 12 sur 40 (30 %) »."""

    label: str
    count: int
    of: int

    @property
    def percent(self) -> str:
        return percent(self.count, self.of)

    @property
    def text(self) -> str:
        return f"{self.count} sur {self.of} ({self.percent})" if self.of else "0 sur 0"


@dataclass(frozen=True)
class ActFigures:
    kind: str
    label: str
    prescribed: int
    prescribed_amount: Decimal
    done: int
    done_amount: Decimal


@dataclass(frozen=True)
class StructureFigures:
    name: str  # "Organisation — offre", or « Ensemble des structures »
    file_active: int
    new_inclusions: Share
    without_act: Share
    age_bands: list[Share]
    sexes: list[Share]
    cancer_sites: list[Share]
    treatments: list[Share]
    acts: list[ActFigures]
    satisfaction: ProgrammeSatisfaction | None  # None: no questionnaire to read

    @property
    def acts_prescribed(self) -> int:
        return sum(act.prescribed for act in self.acts)

    @property
    def acts_done(self) -> int:
        return sum(act.done for act in self.acts)

    @property
    def prescribed_amount(self) -> Decimal:
        return sum((act.prescribed_amount for act in self.acts), ZERO)

    @property
    def done_amount(self) -> Decimal:
        return sum((act.done_amount for act in self.acts), ZERO)

    @property
    def satisfaction_text(self) -> str:
        return satisfaction_text(self.satisfaction)


@dataclass(frozen=True)
class ArsFile:
    semester: Semester
    edited_at: datetime  # Paris time
    structures: list[StructureFigures]
    total: StructureFigures
    definitions: tuple[tuple[str, str], ...] = field(default=DEFINITIONS)
    # Regional staff get the file with its small counts protected (ars_disclosure.py);
    # the coordinator who sends it to the ARS, the exact figures.
    protected: bool = False

    @property
    def structure_names(self) -> list[str]:
        return [structure.name for structure in self.structures]


@dataclass(frozen=True)
class _Patient:
    """One patient's latest programme in a group, read for the counts only."""

    programme_id: int
    prescribed_on: date
    age: int
    sex: str
    cancer_site: str
    pathway_id: int
    started: bool  # an act done on or before the semester's last day


# --- Satisfaction ---------------------------------------------------------------------


def satisfaction_text(found: ProgrammeSatisfaction | None) -> str:
    if found is None:
        return SATISFACTION_UNAVAILABLE
    if not found.due:
        return "aucun questionnaire à un an dû sur le semestre"
    plural = "s" if found.answered > 1 else ""
    text = (
        f"questionnaires à un an : {found.sent} envoyé{'s' if found.sent > 1 else ''} "
        f"sur {found.due} dû{'s' if found.due > 1 else ''}, "
        f"{Share('', found.answered, found.sent).text} rempli{plural}"
    )
    if found.rated:
        text += f" ; satisfaits (très ou plutôt) : {Share('', found.satisfied, found.rated).text}"
    return text


def _satisfaction(
    groups: dict[Hashable, list[int]], semester: Semester
) -> dict[Hashable, ProgrammeSatisfaction | None]:
    """Each group's one-year satisfaction, read once for the whole file."""
    found = satisfaction_by_group(groups, semester.first_day, semester.last_day)
    return {key: None if found is None else found.get(key) for key in groups}


# --- Reading ----------------------------------------------------------------------------


def _programme_end(prescribed_on: date, first_assessment, closed_on, rules_version: str) -> date:
    window = rules.rules_version(rules_version).window_months
    end = rules.add_months(first_assessment or prescribed_on, window)
    return min(end, closed_on) if closed_on else end


def visible_structures(organizations) -> list[Service]:
    """The labelled structures of the file: those active and labelled today, and those
    that are no longer but had programmes (a past semester keeps its structures)."""
    with_programmes = Service.objects.filter(
        organization__in=organizations, post_cancer_programmes__isnull=False
    )
    labelled = labelled_services().filter(organization__in=organizations)
    return list(
        Service.objects.filter(Q(pk__in=labelled.values("pk")) | Q(pk__in=with_programmes))
        .select_related("organization")
        .order_by("organization__name", "name")
        .distinct()
    )


def _candidates(organizations, semester: Semester):
    """Programmes that may be in the file active (the exact end is computed in Python,
    from the rules version of each programme)."""
    longest = max(version.window_months for version in rules.all_rules())
    cutoff = rules.add_months(semester.first_day, -longest)
    return (
        PostCancerProgramme.objects.filter(
            service__organization__in=organizations, prescribed_on__lte=semester.last_day
        )
        .filter(Q(pathway__closed_on__isnull=True) | Q(pathway__closed_on__gte=semester.first_day))
        .annotate(
            first_assessment=Min(
                "acts__done_on",
                filter=Q(
                    acts__kind__in=rules.ASSESSMENT_KINDS,
                    acts__done_on__lte=semester.last_day,
                ),
            ),
            done_by_end=Count("acts", filter=Q(acts__done_on__lte=semester.last_day)),
        )
        .filter(
            Q(first_assessment__gte=cutoff)
            | Q(first_assessment__isnull=True, prescribed_on__gte=cutoff)
        )
    )


def _shares(counter: Counter, labels: list[str], of: int) -> list[Share]:
    return [Share(label, counter.get(label, 0), of) for label in labels]


SEX_LABELS = [label for _, label in Sex.choices]
SITE_LABELS = [*(label for _, label in CancerSite.choices), NOT_GIVEN]
TREATMENT_LABELS = [*(label for _, label in TreatmentKind.choices), NO_TREATMENT]
SEX_BY_CODE = dict(Sex.choices)
SITE_BY_CODE = dict(CancerSite.choices)
TREATMENT_BY_CODE = dict(TreatmentKind.choices)


def _figures(
    name: str,
    patients: dict[int, _Patient],
    semester: Semester,
    treatments: dict[int, set[str]],
    acts: list[ActFigures],
    satisfaction: ProgrammeSatisfaction | None,
) -> StructureFigures:
    people = list(patients.values())
    total = len(people)
    treated: Counter = Counter()
    for patient in people:
        kinds = treatments.get(patient.pathway_id) or {NO_TREATMENT}
        treated.update(kinds)
    new = sum(1 for p in people if semester.first_day <= p.prescribed_on <= semester.last_day)
    return StructureFigures(
        name=name,
        file_active=total,
        new_inclusions=Share("Nouvelles inclusions", new, total),
        without_act=Share(
            "Patients sans acte réalisé", sum(1 for p in people if not p.started), total
        ),
        age_bands=_shares(
            Counter(age_band(p.age) for p in people), [b[2] for b in AGE_BANDS], total
        ),
        sexes=_shares(Counter(SEX_BY_CODE.get(p.sex, p.sex) for p in people), SEX_LABELS, total),
        cancer_sites=_shares(
            Counter(SITE_BY_CODE.get(p.cancer_site, NOT_GIVEN) for p in people), SITE_LABELS, total
        ),
        treatments=_shares(treated, TREATMENT_LABELS, total),
        acts=acts,
        satisfaction=satisfaction,
    )


def _acts_by_service(organizations, semester: Semester) -> dict[int | None, dict[str, list]]:
    """{service id: {kind: [prescribed, prescribed amount, done, done amount]}}, and the
    total under None."""
    table: dict[int | None, dict[str, list]] = defaultdict(
        lambda: {kind: [0, ZERO, 0, ZERO] for kind in rules.KIND_LABELS}
    )
    acts = ProgrammeAct.objects.filter(programme__service__organization__in=organizations)
    prescribed = (
        acts.filter(
            programme__prescribed_on__gte=semester.first_day,
            programme__prescribed_on__lte=semester.last_day,
        )
        .values("programme__service_id", "kind", "programme__rules_version")
        .annotate(n=Count("pk"))
    )
    for row in prescribed:
        amount = rules.rules_version(row["programme__rules_version"]).tariff(row["kind"]) * row["n"]
        for key in (row["programme__service_id"], None):
            cell = table[key][row["kind"]]
            cell[0] += row["n"]
            cell[1] += amount
    done = (
        acts.filter(done_on__gte=semester.first_day, done_on__lte=semester.last_day)
        .values("programme__service_id", "kind")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    for row in done:
        for key in (row["programme__service_id"], None):
            cell = table[key][row["kind"]]
            cell[2] += row["n"]
            cell[3] += row["amount"] or ZERO
    return table


def _act_rows(cells: dict[str, list]) -> list[ActFigures]:
    return [
        ActFigures(
            kind=kind,
            label=label,
            prescribed=cells[kind][0],
            # SQLite's SUM drops the scale of decimals: give it back.
            prescribed_amount=Decimal(cells[kind][1]).quantize(CENT),
            done=cells[kind][2],
            done_amount=Decimal(cells[kind][3]).quantize(CENT),
        )
        for kind, label in rules.KIND_LABELS.items()
    ]


def ars_file(user: User, semester: Semester, *, now: datetime | None = None) -> ArsFile:
    """The ARS activity file of `semester` for the structures `user` may report on.

    Raises AccessDenied (audited) for a user without the report permission; a
    coordinator sees the labelled structures of their CPTS's directory only.
    """
    authorize(user, REPORT_PERMISSION)
    organizations = visible(user, REPORT_PERMISSION, Organization.objects.all())
    structures = visible_structures(organizations)
    rows = _candidates(organizations, semester).values(
        "pk",
        "service_id",
        "prescribed_on",
        "rules_version",
        "first_assessment",
        "done_by_end",
        "pathway_id",
        "pathway__closed_on",
        "pathway__cancer_site",
        "pathway__patient_id",
        "pathway__patient__birth_date",
        "pathway__patient__sex",
    )
    by_service: dict[int, dict[int, _Patient]] = defaultdict(dict)
    everyone: dict[int, _Patient] = {}
    for row in rows.order_by("prescribed_on", "pk"):
        end = _programme_end(
            row["prescribed_on"],
            row["first_assessment"],
            row["pathway__closed_on"],
            row["rules_version"],
        )
        if end < semester.first_day:
            continue
        patient = _Patient(
            programme_id=row["pk"],
            prescribed_on=row["prescribed_on"],
            age=age_on(row["pathway__patient__birth_date"], row["prescribed_on"]),
            sex=row["pathway__patient__sex"],
            cancer_site=row["pathway__cancer_site"],
            pathway_id=row["pathway_id"],
            started=row["done_by_end"] > 0,
        )
        patient_id = row["pathway__patient_id"]
        # Ordered by prescription: the latest programme of a patient wins; "started"
        # is whether any of their programmes has an act done.
        for group in (by_service[row["service_id"]], everyone):
            earlier = group.get(patient_id)
            if earlier and earlier.started and not patient.started:
                patient = _Patient(**{**patient.__dict__, "started": True})
            group[patient_id] = patient
    pathway_ids = {p.pathway_id for p in everyone.values()}
    for group in by_service.values():
        pathway_ids |= {p.pathway_id for p in group.values()}
    treatments: dict[int, set[str]] = defaultdict(set)
    treatment_rows = (
        Treatment.objects.filter(
            pathway__post_cancer_programme__in=_candidates(organizations, semester)
        )
        .values_list("pathway_id", "kind")
        .distinct()
    )
    for pathway_id, kind in treatment_rows:
        if pathway_id in pathway_ids:
            treatments[pathway_id].add(TREATMENT_BY_CODE.get(kind, kind))
    acts = _acts_by_service(organizations, semester)
    groups: dict[Hashable, list[int]] = {
        service.pk: sorted(p.programme_id for p in by_service.get(service.pk, {}).values())
        for service in structures
    }
    groups[None] = sorted(p.programme_id for p in everyone.values())
    satisfaction = _satisfaction(groups, semester)
    figures = [
        _figures(
            f"{service.organization.name} — {service.name}",
            by_service.get(service.pk, {}),
            semester,
            treatments,
            _act_rows(acts[service.pk]),
            satisfaction[service.pk],
        )
        for service in structures
    ]
    total = _figures(
        "Ensemble des structures",
        everyone,
        semester,
        treatments,
        _act_rows(acts[None]),
        satisfaction[None],
    )
    return ArsFile(
        semester=semester,
        edited_at=timezone.localtime(now or timezone.now()),
        structures=figures,
        total=total,
        protected=protected_for(user),
    )
