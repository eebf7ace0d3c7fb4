"""Each persona finds its way: from its home, every link of every page it can reach
opens (no 403, no 404, no server error).

The world is the demo of `setup_demo` (directory, one account per role, the
fictitious pathways); each demo account signs in with a verified second factor and
the crawler follows, breadth first, every same-site link of the pages it reaches
(GET only: forms are never sent, the log-out is a form). Similar URLs are visited a
few times only (the same path and query keys with other numbers or values), which
bounds the crawl while still opening each kind of page.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from oncolien.accounts.demo import load_demo_accounts
from oncolien.accounts.models import User
from oncolien.assessments.services import link_issue
from oncolien.demo.pathways import load_demo_pathways
from oncolien.directory.demo import load_demo_directory
from oncolien.pathways.models import Pathway

pytestmark = pytest.mark.django_db

PAGES_PER_PERSONA = 300
SIMILAR_URLS = 2
# Not followed: the JSON API and FHIR endpoints (swept by tests/routes), the
# admin site beyond its index (Django's own pages), static files.
NOT_FOLLOWED = ("/api/", "/fhir/", "/hsds/", "/static/", "/admin/")
PERSONAS = (
    "coordination.nord-aveyron",
    "idec.nord-aveyron",
    "idel.nord-aveyron",
    "medecin.nord-aveyron",
    "dieteticienne.nord-aveyron",
    "coordination.sud-tarn",
    "regional.occitanie",
    "admin.oncolien",
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
            continue  # another site, mailto:, tel:
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def pattern_of(url: str) -> tuple[str, tuple[str, ...]]:
    """The kind of page: the path with numbers masked and the query's keys."""
    parts = urlsplit(url)
    keys = tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return re.sub(r"\d+", "N", parts.path), keys


def follows(url: str) -> bool:
    path = urlsplit(url).path
    if path == reverse("admin:index"):
        return True
    return not path.startswith(NOT_FOLLOWED)


def crawl(
    client: Client, start: str, public: set[str], *, collecting: bool = False
) -> tuple[int, list[str]]:
    """Visit from `start`; return the number of pages opened and the broken links,
    each with the page that showed it. `public` holds the downloads (PDF, CSV…) an
    anonymous visitor opened (`collecting`); signed-in personas skip them: signing in
    never takes away a public file, and rendering each PDF once is enough."""
    queue = deque([(start, "(départ)")])
    seen = {start}
    per_pattern: dict[tuple, int] = {}
    broken, opened = [], 0
    while queue and opened < PAGES_PER_PERSONA:
        url, shown_on = queue.popleft()
        if url in public and not collecting:
            continue
        response = client.get(url)
        opened += 1
        status = response.status_code
        if status in (403, 404) or status >= 500:
            broken.append(f"{status} {url} (lien de {shown_on})")
            continue
        if status in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            targets = links_of(response.content.decode(), url)
        else:
            if collecting and status == 200:
                public.add(url)
            continue
        for target in targets:
            if target in seen or not follows(target):
                continue
            seen.add(target)
            kind = pattern_of(target)
            if per_pattern.get(kind, 0) >= SIMILAR_URLS:
                continue
            per_pattern[kind] = per_pattern.get(kind, 0) + 1
            queue.append((target, url))
    return opened, broken


@pytest.fixture
def demo(base_data, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        load_demo_directory()
        load_demo_accounts()
        load_demo_pathways()


def test_no_page_shows_a_persona_a_link_it_cannot_open(demo, client, login):
    public: set[str] = set()
    opened, problems = {}, []
    opened["visiteur"], broken = crawl(Client(), "/", public, collecting=True)
    problems += [f"visiteur : {line}" for line in broken]
    opened["patient (lien)"], broken = crawl(Client(), patient_link(), public)
    problems += [f"patient (lien) : {line}" for line in broken]
    for username in PERSONAS:
        client.logout()
        opened[username], broken = crawl(login(User.objects.get(username=username)), "/", public)
        problems += [f"{username} : {line}" for line in broken]
    assert not problems, "\n".join(problems)
    # Each persona found work beyond its home.
    assert all(count >= 10 for name, count in opened.items() if name != "patient (lien)"), opened

    # The physician's way: his home leads to his patients and his worklist.
    client.logout()
    client = login(User.objects.get(username="medecin.nord-aveyron"))
    home = links_of(client.get("/").content.decode(), "/")
    assert reverse("pathways:pathway_list") in home
    assert reverse("pathways:worklist") in home
    patients = links_of(client.get(reverse("pathways:pathway_list")).content.decode(), "/")
    assert len({u for u in patients if re.fullmatch(r"/parcours/\d+/", u)}) == 3


def patient_link() -> str:
    nurse = User.objects.get(username="idec.nord-aveyron")
    nurse.is_verified = lambda: True
    issued = link_issue(
        actor=nurse,
        pathway=Pathway.objects.order_by("pk").first(),
        instrument_code="distress-thermometer",
        channel="print",
        build_url=lambda token: reverse("assessments:patient_fill", kwargs={"token": token}),
    )
    return issued.url
