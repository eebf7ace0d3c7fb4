"""Demo roster, training and calendar of CPTS Nord Aveyron, from « CPTS en pratique »
n° 2: the 9 nurses trained in oncology coordination (the demo accounts and fictitious
names: the document names none), the March 2023 training of the CHU de
Clermont-Ferrand with its three sessions, and a few upcoming events, among them a
« jeudi Onco-Occitanie » (regional, public)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.territories.models import Cpts
from oncolien.trainings.models import Event, EventKind, TrainedProfessional, Training

PARIS = ZoneInfo("Europe/Paris")
CPTS_SLUG = "cpts-nord-aveyron"
OCCITANIE = "76"
ACCOUNTS = ["idec.nord-aveyron", "idel.nord-aveyron"]  # oncolien/accounts/demo.py
FICTITIOUS = [
    ("Marie", "Bessière"),
    ("Laure", "Calmels"),
    ("Agnès", "Cayla"),
    ("Isabelle", "Delpuech"),
    ("Martine", "Falguières"),
    ("Odile", "Lacombe"),
    ("Sandrine", "Vernhes"),
]
TRAINING_TITLE = "Rôle de l'infirmier de coordination (IDEC) en cancérologie"


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _next_thursday(weeks: int = 0) -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(3 - today.weekday()) % 7 or 7, weeks=weeks)
    return _at(day.year, day.month, day.day, 13)


@transaction.atomic
def load_demo_trainings() -> tuple[int, int]:
    """Create what is missing (roster by name, training and events by title); what a
    person changed stays. Returns (professionals in the roster, upcoming events)."""
    cpts = Cpts.objects.get(slug=CPTS_SLUG)
    people = []
    for user in User.objects.filter(username__in=ACCOUNTS):
        people.append(
            TrainedProfessional.objects.get_or_create(
                cpts=cpts,
                user=user,
                defaults={"last_name": user.last_name, "first_name": user.first_name},
            )[0]
        )
    for first_name, last_name in FICTITIOUS:
        people.append(
            TrainedProfessional.objects.get_or_create(
                cpts=cpts, last_name=f"{last_name} (fictive)", first_name=first_name
            )[0]
        )
    training, created = Training.objects.get_or_create(
        cpts=cpts,
        title=TRAINING_TITLE,
        defaults={
            "organiser": "Centre de Formation du CHU de Clermont-Ferrand",
            # The poster says « Laguille »: Laguiole, a commune of the CPTS.
            "place": "Laguiole",
            "remote": True,
            "description": "Formation en cancérologie pour 9 infirmières (mars 2023).",
        },
    )
    if created:
        training.sessions.create(starts_at=_at(2023, 3, 8, 9), ends_at=_at(2023, 3, 8, 12, 30))
        training.sessions.create(starts_at=_at(2023, 3, 16, 13, 30), ends_at=_at(2023, 3, 16, 17))
        training.sessions.create(
            starts_at=_at(2023, 3, 23, 9, 30), ends_at=_at(2023, 3, 23, 16, 30)
        )
        training.participants.set(people)
    author = User.objects.get(username="coordination.nord-aveyron")
    regional = User.objects.filter(username="regional.occitanie").first() or author
    thursday = _next_thursday()
    events = [
        {
            "region_code": OCCITANIE,
            "kind": EventKind.WEBINAR,
            "title": "Jeudi Onco-Occitanie : les soins oncologiques de support en ville",
            "organiser": "Onco-Occitanie (DSRC)",
            "starts_at": thursday,
            "ends_at": thursday + timedelta(hours=1),
            "remote": True,
            "url": "https://onco-occitanie.fr/",
            "is_public": True,
            "created_by": regional,
        },
        {
            "region_code": OCCITANIE,
            "kind": EventKind.TRAINING,
            "title": "Expertises et coordination des parcours en cancérologie",
            "organiser": "Appui Santé Occitanie, avec le DSRC Onco-Occitanie",
            "starts_at": (thursday + timedelta(weeks=3)).replace(hour=9),
            "ends_at": (thursday + timedelta(weeks=3)).replace(hour=17),
            "place": "Toulouse",
            "remote": True,
            "description": "Un jour en présentiel et une demi-journée en distanciel.",
            "is_public": True,
            "created_by": regional,
        },
        {
            "cpts": cpts,
            "kind": EventKind.MEETING,
            "title": "Réunion des infirmières coordinatrices en cancérologie",
            "organiser": "CPTS Nord Aveyron",
            "starts_at": (thursday + timedelta(days=5)).replace(hour=19),
            "ends_at": (thursday + timedelta(days=5)).replace(hour=21),
            "place": "Espalion",
            "is_public": False,
            "created_by": author,
        },
    ]
    for values in events:
        title = values.pop("title")
        Event.objects.get_or_create(title=title, defaults=values)
    upcoming = Event.objects.filter(ends_at__gte=timezone.now()).count()
    return TrainedProfessional.objects.filter(cpts=cpts).count(), upcoming
