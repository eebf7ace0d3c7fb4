"""N synthetic directory services spread over the real communes in the database.

For benchmarks only: the rows are written with bulk inserts (no history, no
per-row validation) so that 100,000 services take under a minute, then the
search index is built by `search.index.rebuild_all`, from the same document
builder that every directory write calls (`refresh`), so that the documents
are the ones real writes would produce.

Services fall on communes with a probability growing with the square root of
their population: towns hold more providers than villages, without Toulouse
holding half of them. Communes are grouped into synthetic CPTS of about 40 km
across (CPTS are made of neighbouring communes); each organisation runs one to
four services at one location, 10 % of services are home services serving
the communes around.

    from bench.synthetic_directory import generate
    generate(100_000, seed=1)
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from oncolien.directory.models import (
    Access,
    Cost,
    Label,
    Location,
    Organization,
    OrganizationKind,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from oncolien.directory.search import index
from oncolien.reference.models import CareType, Profession
from oncolien.territories.models import Commune, Cpts

# Degrees of latitude / longitude of a synthetic CPTS cell (about 40 km each way).
CPTS_CELL = (0.36, 0.48)
BATCH = 2_000
SLUG_PREFIX = "cpts-synthetique-"

# (care type code, profession codes, service names, organisation patterns)
OFFERS = [
    (
        "nutrition",
        ["dietitian", "nutrition_physician"],
        ["Consultation diététique", "Atelier nutrition et cancer", "Bilan nutritionnel"],
        ["Cabinet de diététique de {commune}", "{person}, diététicienne"],
    ),
    (
        "psychological",
        ["psychologist", "psycho_oncologist"],
        ["Soutien psychologique individuel", "Consultation de psycho-oncologie"],
        ["Cabinet de psychologie de {commune}", "{person}, psychologue"],
    ),
    (
        "physical_activity",
        ["apa_teacher", "physiotherapist"],
        ["Activité physique adaptée", "Gym douce après cancer", "Marche nordique santé"],
        ["Maison sport-santé de {commune}", "Association Bouger en {commune}"],
    ),
    (
        "pain",
        ["pain_specialist_physician", "pain_referent_nurse"],
        ["Consultation douleur", "Hypnose et douleur"],
        ["Centre hospitalier de {commune}", "Clinique de {commune}"],
    ),
    (
        "social",
        ["social_worker"],
        ["Permanence sociale", "Aide au retour à l'emploi"],
        ["CCAS de {commune}", "Espace Ligue de {commune}"],
    ),
    (
        "carer_support",
        ["psychologist"],
        ["Groupe de soutien des aidants", "Café des aidants"],
        ["Association Aidants {commune}", "Plateforme de répit de {commune}"],
    ),
    (
        "sexual_health",
        ["sexologist", "midwife"],
        ["Consultation de sexologie", "Santé sexuelle après cancer"],
        ["{person}, sage-femme", "Centre de santé sexuelle de {commune}"],
    ),
    (
        "healthy_lifestyle",
        ["tobacco_nurse", "addiction_physician"],
        ["Aide à l'arrêt du tabac", "Conseils d'hygiène de vie"],
        ["Maison de santé de {commune}", "Centre de santé de {commune}"],
    ),
    (
        "socio_aesthetics",
        [],
        ["Soins de socio-esthétique", "Atelier image de soi"],
        ["Espace Ligue de {commune}", "{person}, socio-esthéticienne"],
    ),
    (
        "sophrology",
        [],
        ["Séances de sophrologie", "Relaxation et sophrologie"],
        ["{person}, sophrologue", "Association Zen en {commune}"],
    ),
    (
        "support_groups",
        ["psychologist"],
        ["Groupe de parole", "Rencontres entre patients"],
        ["Association de patients de {commune}", "Espace Ligue de {commune}"],
    ),
    (
        "creative_workshops",
        [],
        ["Atelier couture et peinture", "Art-thérapie"],
        ["Association Créer à {commune}", "Atelier des arts de {commune}"],
    ),
    (
        "fertility",
        ["gynaecologist", "oncofertility_referent"],
        ["Consultation onco-fertilité"],
        ["Centre hospitalier de {commune}"],
    ),
]
FIRST_NAMES = [
    "Claire",
    "Julie",
    "Marie",
    "Sophie",
    "Anne",
    "Lucie",
    "Camille",
    "Élodie",
    "Hélène",
    "Inès",
    "Léa",
    "Chloé",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Garcia",
    "Roux",
    "Fabre",
    "Vidal",
    "Bonnet",
    "Girard",
    "Rey",
]
DESCRIPTIONS = [
    "Accompagnement des personnes touchées par un cancer, pendant et après les traitements.",
    "Séances individuelles ou en groupe, sur rendez-vous, au cabinet ou à domicile.",
    "Prise en charge adaptée à la fatigue et aux effets secondaires des traitements.",
    "Ouvert aux patients et à leurs proches ; premier entretien d'orientation gratuit.",
    "Professionnelle formée à l'oncologie, en lien avec le médecin traitant.",
]


@dataclass
class Generated:
    services: int
    organizations: int
    cpts: int


def _synthetic_cpts(communes: list[Commune]) -> dict[int, Cpts]:
    """One synthetic CPTS per cell of about 40 km holding communes: commune id -> CPTS."""
    cells: dict[tuple[int, int], list[Commune]] = defaultdict(list)
    for commune in communes:
        key = (
            math.floor(commune.latitude / CPTS_CELL[0]),
            math.floor(commune.longitude / CPTS_CELL[1]),
        )
        cells[key].append(commune)
    by_commune = {}
    for (row, column), members in sorted(cells.items()):
        largest = max(members, key=lambda commune: commune.population)
        cpts, _ = Cpts.objects.get_or_create(
            slug=f"{SLUG_PREFIX}{row}-{column}",
            defaults={"name": f"CPTS synthétique de {largest.name} ({row}-{column})"},
        )
        cpts.communes.set(members)
        for commune in members:
            by_commune[commune.pk] = cpts
    return by_commune


def generate(count: int, *, seed: int = 1, departments: list[str] | None = None) -> Generated:
    """Add `count` active services (and their organisations and locations)."""
    rng = random.Random(seed)
    communes = list(Commune.objects.select_related("department"))
    if departments:
        communes = [c for c in communes if c.department.code in departments]
    if not communes:
        raise SystemExit("Aucune commune en base : chargez d'abord les communes.")
    weights = [math.sqrt(max(commune.population, 1)) for commune in communes]
    care_types = {c.code: c for c in CareType.objects.all()}
    professions = {p.code: p for p in Profession.objects.all()}
    labels = list(Label.objects.all())
    offers = [offer for offer in OFFERS if offer[0] in care_types]
    with transaction.atomic():
        cpts_of = _synthetic_cpts(communes)
        neighbours = _neighbours(communes)
        made, organizations = 0, 0
        while made < count:
            batch = min(BATCH, count - made)
            created, orgs = _batch(
                rng=rng,
                size=batch,
                start=made,
                communes=communes,
                weights=weights,
                cpts_of=cpts_of,
                neighbours=neighbours,
                offers=offers,
                care_types=care_types,
                professions=professions,
                labels=labels,
            )
            made += created
            organizations += orgs
        # The index of the whole directory, as `rebuild_search_index` builds it:
        # the documents `refresh` writes, their name ranks spaced in one pass.
        index.rebuild_all()
    return Generated(made, organizations, len(set(cpts_of.values())))


def _neighbours(communes: list[Commune]) -> dict[int, list[Commune]]:
    """For home services: a few communes in the same 0.2° cell as each commune."""
    cells: dict[tuple[int, int], list[Commune]] = defaultdict(list)
    for commune in communes:
        cells[(math.floor(commune.latitude * 5), math.floor(commune.longitude * 5))].append(commune)
    return {
        commune.pk: cells[(math.floor(commune.latitude * 5), math.floor(commune.longitude * 5))]
        for commune in communes
    }


def _batch(
    *,
    rng,
    size,
    start,
    communes,
    weights,
    cpts_of,
    neighbours,
    offers,
    care_types,
    professions,
    labels,
):
    """One batch of organisations, their location and services, inserted in bulk."""
    plans = []
    planned = 0
    while planned < size:
        commune = rng.choices(communes, weights)[0]
        offer = rng.choice(offers)
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        number = start + planned
        org_name = rng.choice(offer[3]).format(commune=commune.name, person=person)
        organization = Organization(
            cpts=cpts_of[commune.pk],
            # The number keeps names unique per CPTS, as the model requires.
            name=f"{org_name} n° {number}",
            kind=rng.choice(OrganizationKind.values),
            phone="05 65 00 00 00",
            is_fictitious=True,
        )
        location = Location(
            commune=commune,
            address=f"{rng.randint(1, 60)} rue de la République",
            postal_code="",
            latitude=commune.latitude,
            longitude=commune.longitude,
        )
        services = min(rng.randint(1, 4), size - planned)
        plans.append((organization, location, commune, offer, services))
        planned += services
    Organization.objects.bulk_create([plan[0] for plan in plans])
    for organization, location, *_ in plans:
        location.organization = organization
    Location.objects.bulk_create([plan[1] for plan in plans])
    services, links = [], []
    for organization, location, commune, offer, count in plans:
        for position in range(count):
            # Mostly the organisation's own care, sometimes another one.
            code, profession_codes, names, _ = offer if position == 0 else rng.choice(offers)
            extra = rng.choice(list(care_types)) if rng.random() < 0.3 else None
            cost = rng.choice(Cost.values)
            service = Service(
                organization=organization,
                name=f"{rng.choice(names)} ({position + 1})",
                description=" ".join(rng.sample(DESCRIPTIONS, 2)),
                for_patients=True,
                for_relatives=rng.random() < 0.3,
                phase_diagnosis=rng.random() < 0.6,
                phase_treatment=rng.random() < 0.8,
                phase_after_treatment=rng.random() < 0.8,
                access=rng.choice(Access.values),
                cost=cost,
                remaining_cost_amount=rng.choice([20, 35, 50])
                if cost == "remaining_cost"
                else None,
                is_home_service=rng.random() < 0.1,
                status=ServiceStatus.ACTIVE,
            )
            services.append(service)
            links.append(
                (
                    service,
                    location,
                    commune,
                    {code} | ({extra} if extra else set()),
                    [p for p in profession_codes if p in professions][: rng.randint(0, 2)],
                )
            )
    Service.objects.bulk_create(services)
    _bulk_links(rng, links, care_types, professions, labels, neighbours)
    return len(services), len(plans)


def _bulk_links(rng, links, care_types, professions, labels, neighbours) -> None:
    care_link = Service.care_types.through
    profession_link = Service.professions.through
    label_link = Service.labels.through
    served_link = Service.communes_served.through
    care_rows, profession_rows, label_rows, served_rows, places = [], [], [], [], []
    for service, location, commune, codes, profession_codes in links:
        places.append(ServiceAtLocation(service=service, location=location))
        care_rows += [
            care_link(service_id=service.pk, caretype_id=care_types[code].pk) for code in codes
        ]
        profession_rows += [
            profession_link(service_id=service.pk, profession_id=professions[code].pk)
            for code in profession_codes
        ]
        if labels and rng.random() < 0.1:
            label_rows.append(label_link(service_id=service.pk, label_id=rng.choice(labels).pk))
        if service.is_home_service:
            around = neighbours[commune.pk]
            served_rows += [
                served_link(service_id=service.pk, commune_id=other.pk)
                for other in rng.sample(around, min(len(around), 5))
            ]
    ServiceAtLocation.objects.bulk_create(places)
    care_link.objects.bulk_create(care_rows)
    profession_link.objects.bulk_create(profession_rows)
    label_link.objects.bulk_create(label_rows)
    served_link.objects.bulk_create(served_rows)
