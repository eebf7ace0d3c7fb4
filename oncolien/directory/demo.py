"""The demonstration directory of the three demo CPTS, from data/demo_directory.json.

The kinds of actors are those the field documents name for these territories
(hospital and clinic, an Espace Ligue contre le cancer at Espalion, the patient
association "Cancer émoi" in the Volvestre, dietitians, psychologists, APA
teachers, physiotherapists, a Maison Sport-Santé…). Every contact is invented and
every organisation is marked `is_fictitious`: phone numbers come from the
05 36 49 range that the Arcep numbering plan reserves for works of fiction (the
06 39 98 range is reserved too but phonenumbers rejects it, hence 05), e-mails
and websites use the reserved `.invalid` top-level domain, and no person is named.

Everything is written through `directory.services` by a system account, as a
coordinator would, so that the history and the search index are kept. Loading
is idempotent: organisations are found by (CPTS, name), locations by
(organisation, name), services by (organisation, name); an entry whose content
already matches the file is left untouched (no new history row). What is missing
is created; an entry that a person changed (its history holds a change by anyone
but the system account, e.g. a coordinator's moderated correction) is never
overwritten: the file only restores entries no one but the loader has touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import Membership, Role, User
from oncolien.directory import identifiers
from oncolien.directory.models import Label, Location, Organization, Service
from oncolien.directory.services import location_save, organization_save, service_save
from oncolien.reference.models import CareType, Profession
from oncolien.territories.models import Commune, Cpts

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_directory.json"
DEMO_ACTOR_USERNAME = "systeme.demo"
ALL_PHASES = ("diagnosis", "treatment", "after_treatment")


class DemoDirectoryError(RuntimeError):
    """The demo directory cannot be loaded; the French message says why and what to do."""


@dataclass
class DemoDirectoryReport:
    organizations_created: int = 0
    organizations_updated: int = 0
    locations_created: int = 0
    locations_updated: int = 0
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0
    # Entries left as a person changed them (organisations, places and services).
    kept_as_changed: int = 0

    def summary(self) -> str:
        return (
            f"Annuaire de démonstration : {self.organizations_created} structure(s) créée(s), "
            f"{self.organizations_updated} mise(s) à jour ; {self.services_created} offre(s) "
            f"créée(s), {self.services_updated} mise(s) à jour, {self.services_unchanged} "
            f"inchangée(s) ; {self.kept_as_changed} fiche(s) modifiée(s) par une personne, "
            "laissée(s) telle(s) quelle(s). Contacts fictifs."
        )


def demo_directory_spec() -> list[dict]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["cpts"]


def demo_actor() -> User:
    """The system account that writes the demo entries (an administrator that cannot log in)."""
    user, created = User.objects.get_or_create(
        username=DEMO_ACTOR_USERNAME,
        defaults={"first_name": "Système", "last_name": "(démonstration)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.ADMINISTRATOR, cpts=None)
    return user


@dataclass(frozen=True)
class _References:
    """Everything the file names, resolved once (and checked before anything is written)."""

    cpts: dict[str, Cpts]
    communes: dict[str, Commune]
    postal_codes: dict[str, str]
    care_types: dict[str, CareType]
    professions: dict[str, Profession]
    labels: dict[str, Label]


def _resolve(spec: list[dict]) -> _References:
    slugs = {item["slug"] for item in spec}
    cpts = {c.slug: c for c in Cpts.objects.filter(slug__in=slugs)}
    if missing := sorted(slugs - set(cpts)):
        raise DemoDirectoryError(
            f"CPTS de démonstration absente(s) : {', '.join(missing)}. "
            "Lancez d'abord : python manage.py load_demo_territory"
        )
    wanted: dict[str, set[str]] = {"care_types": set(), "professions": set(), "labels": set()}
    problems: list[str] = []
    communes: dict[str, Commune] = {}
    for item in spec:
        members = {
            c.insee_code: c for c in cpts[item["slug"]].communes.prefetch_related("postal_codes")
        }
        for org in item["organizations"]:
            codes = [loc["insee_code"] for loc in org["locations"]]
            for service in org["services"]:
                codes += service.get("home_communes", [])
                for key in wanted:
                    wanted[key].update(service.get(key, []))
            for code in codes:
                if code in members:
                    communes[code] = members[code]
                else:
                    problems.append(
                        f"la commune {code} de « {org['name']} » n'appartient pas à "
                        f"la CPTS {item['slug']}"
                    )
    care_types = {c.code: c for c in CareType.objects.filter(code__in=wanted["care_types"])}
    professions = {p.code: p for p in Profession.objects.filter(code__in=wanted["professions"])}
    labels = {label.code: label for label in Label.objects.filter(code__in=wanted["labels"])}
    found = {"care_types": set(care_types), "professions": set(professions), "labels": set(labels)}
    names = {"care_types": "soin de support", "professions": "profession", "labels": "label"}
    for key, name in names.items():
        problems += [f"{name} inconnu : {code}" for code in sorted(wanted[key] - found[key])]
    if problems:
        raise DemoDirectoryError(
            "Le fichier de l'annuaire de démonstration ne correspond pas aux données chargées : "
            + " ; ".join(problems)
            + ". Chargez les données de référence et les communes (manage.py setup_demo)."
        )
    postal_codes = {
        code: min((p.code for p in commune.postal_codes.all()), default="")
        for code, commune in communes.items()
    }
    return _References(cpts, communes, postal_codes, care_types, professions, labels)


def _changed_by_a_person(instance: Organization | Location | Service, actor: User) -> bool:
    """True when someone other than the system account changed the entry: its
    history (django-simple-history) holds a row written by another author."""
    return instance.history.exclude(history_user=actor).exists()


def _differs(instance, values: dict) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


def _phone(value: str) -> str:
    # Stored in national format by the services; compare in the same form.
    return identifiers.check_phone(value).value


def _organization(actor: User, cpts: Cpts, spec: dict, report: DemoDirectoryReport) -> Organization:
    values = {
        "name": spec["name"],
        "kind": spec["kind"],
        "description": spec.get("description", ""),
        "phone": _phone(spec.get("phone", "")),
        "email": spec.get("email", ""),
        "website": spec.get("website", ""),
        "is_fictitious": True,
    }
    organization = Organization.objects.filter(cpts=cpts, name=spec["name"]).first()
    if organization is None:
        report.organizations_created += 1
        return organization_save(actor=actor, cpts=cpts, **values).obj
    if _changed_by_a_person(organization, actor):
        report.kept_as_changed += 1
    elif _differs(organization, values):
        report.organizations_updated += 1
        organization_save(actor=actor, cpts=cpts, organization=organization, **values)
    return organization


def _location(
    actor: User,
    organization: Organization,
    spec: dict,
    refs: _References,
    report: DemoDirectoryReport,
) -> Location:
    commune = refs.communes[spec["insee_code"]]
    values = {
        "name": spec["name"],
        "address": spec.get("address", ""),
        "postal_code": refs.postal_codes[spec["insee_code"]],
        "accessibility": spec.get("accessibility", ""),
        "opening_hours": spec.get("opening_hours", ""),
        "phone": _phone(spec.get("phone", "")),
        "email": spec.get("email", ""),
    }
    location = Location.objects.filter(organization=organization, name=spec["name"]).first()
    if location is None:
        report.locations_created += 1
        return location_save(actor=actor, organization=organization, commune=commune, **values).obj
    if _changed_by_a_person(location, actor):
        report.kept_as_changed += 1
    elif _differs(location, values) or location.commune_id != commune.pk:
        report.locations_updated += 1
        location_save(
            actor=actor, organization=organization, commune=commune, location=location, **values
        )
    return location


def _service(
    actor: User,
    organization: Organization,
    spec: dict,
    places: dict[str, Location],
    refs: _References,
    today: date,
    report: DemoDirectoryReport,
) -> None:
    phases = set(spec.get("phases", ALL_PHASES))
    amount = spec.get("remaining_cost_amount")
    values: dict[str, Any] = {
        "name": spec["name"],
        "description": spec.get("description", ""),
        "for_patients": spec.get("for_patients", True),
        "for_relatives": spec.get("for_relatives", False),
        "phase_diagnosis": "diagnosis" in phases,
        "phase_treatment": "treatment" in phases,
        "phase_after_treatment": "after_treatment" in phases,
        "access": spec.get("access", "direct"),
        "cost": spec["cost"],
        "remaining_cost_amount": Decimal(amount) if amount is not None else None,
        "cost_details": spec.get("cost_details", ""),
        "is_home_service": bool(spec.get("home_communes")),
        "phone": _phone(spec.get("phone", "")),
        "email": spec.get("email", ""),
        "url": spec.get("url", ""),
        "status": spec.get("status", "active"),
    }
    # Without a "locations" key, the service is delivered at every place of the organisation.
    location_names = spec.get("locations", list(places))
    # The related objects of each many-to-many relation of the service (of several models).
    relations: dict[str, Any] = {
        "care_types": [refs.care_types[code] for code in spec["care_types"]],
        "professions": [refs.professions[code] for code in spec.get("professions", [])],
        "labels": [refs.labels[code] for code in spec.get("labels", [])],
        "communes_served": [refs.communes[code] for code in spec.get("home_communes", [])],
        "locations": [places[name] for name in location_names],
    }
    service = Service.objects.filter(organization=organization, name=spec["name"]).first()
    if service is None:
        days = spec.get("verified_days_ago")
        verified = today - timedelta(days=days) if days is not None else None
        service_save(
            actor=actor,
            organization=organization,
            last_verified_on=verified,
            **values,
            **relations,
        )
        report.services_created += 1
        return
    if _changed_by_a_person(service, actor):
        report.kept_as_changed += 1
        return
    current = {name: set(getattr(service, name).all()) for name in relations}
    if _differs(service, values) or any(
        current[name] != set(objs) for name, objs in relations.items()
    ):
        # The verification date stays as a coordinator may have set it during a demo.
        service_save(actor=actor, organization=organization, service=service, **values, **relations)
        report.services_updated += 1
    else:
        report.services_unchanged += 1


@transaction.atomic
def load_demo_directory(*, today: date | None = None) -> DemoDirectoryReport:
    """Create or update the demo directory of the three demo CPTS. Idempotent, all or nothing."""
    spec = demo_directory_spec()
    refs = _resolve(spec)
    actor = demo_actor()
    today = today or timezone.localdate()
    report = DemoDirectoryReport()
    for item in spec:
        cpts = refs.cpts[item["slug"]]
        for org_spec in item["organizations"]:
            organization = _organization(actor, cpts, org_spec, report)
            places = {
                loc["name"]: _location(actor, organization, loc, refs, report)
                for loc in org_spec["locations"]
            }
            for service_spec in org_spec["services"]:
                _service(actor, organization, service_spec, places, refs, today, report)
    return report
