"""A real OpenID Connect provider for the Pro Santé Connect tests.

`tests/oidc/provider.mjs` runs panva's oidc-provider (OpenID-certified, from
package.json) in a node process on a free port of 127.0.0.1, with a fresh RS256 key:
OncoLien talks to it over HTTP exactly as to PSC (discovery, authorization, code
exchange, JWKS, userinfo, end of session). Nothing of OncoLien is replaced.
"""

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from oncolien import settings as project_settings
from oncolien.accounts import psc

PROVIDER_SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
CLIENT_ID = "oncolien-test"
CLIENT_SECRET = "secret-de-test-du-client-oncolien"  # noqa: S105 — a test provider's

# The professionals the provider knows: a known RPPS, an RPPS no account has, and an
# identity with no RPPS (PSC's test accounts look like this one).
KNOWN_RPPS = "10003381430"
UNKNOWN_RPPS = "10101010104"
ACCOUNTS = {
    "dr.connue": {
        "SubjectNameID": "8" + KNOWN_RPPS,
        "preferred_username": "8" + KNOWN_RPPS,
        "given_name": "Claire",
        "family_name": "Connue",
    },
    "dr.inconnue": {
        "SubjectNameID": "8" + UNKNOWN_RPPS,
        "preferred_username": "8" + UNKNOWN_RPPS,
        "given_name": "Inès",
        "family_name": "Inconnue",
    },
    "sans.rpps": {
        "SubjectNameID": "ANS20231122132732",
        "preferred_username": "ANS20231122132732",
        "given_name": "Fistinien",
        "family_name": "Grominoch",
    },
}


@dataclass
class TestProvider:
    issuer: str
    process: subprocess.Popen

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


@contextmanager
def running_provider(
    *, redirect_uris: list[str], logout_uris: list[str], signed_userinfo: bool
) -> Iterator[TestProvider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node est introuvable : installez nodejs et lancez `npm ci` (make test le fait)."
        )
    client: dict = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": logout_uris,
    }
    if signed_userinfo:
        client["userinfo_signed_response_alg"] = "RS256"
    config = json.dumps({"client": client, "accounts": ACCOUNTS})
    process = subprocess.Popen(  # noqa: S603 — our own script, no shell
        [node, str(PROVIDER_SCRIPT), config],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=PROVIDER_SCRIPT.parent.parent.parent,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            pytest.fail("Le fournisseur OpenID Connect de test n'a pas démarré.")
        yield TestProvider(issuer=json.loads(line)["issuer"], process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def psc_settings(op: TestProvider, **overrides):
    """OncoLien configured for the test provider, as the environment would set it."""
    from django.conf import settings

    values = {
        "ONCOLIEN_PSC_ENABLED": True,
        "ONCOLIEN_PSC_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "ONCOLIEN_PSC_DISCOVERY_URL": op.discovery_url,
        "AUTHENTICATION_BACKENDS": [
            *settings.AUTHENTICATION_BACKENDS,
            "oncolien.accounts.psc.ProSanteConnectBackend",
        ],
        # As settings.py does when ONCOLIEN_PSC_CLIENT_ID is set: log-out's redirect to
        # the provider is a form's, held to form-action.
        "CONTENT_SECURITY_POLICY": {
            "DIRECTIVES": project_settings.psc_form_action(
                project_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], op.discovery_url
            )
        },
    }
    return override_settings(**(values | overrides))


@pytest.fixture(autouse=True)
def _discovery_read_afresh():
    """Each test reads its provider's discovery document (ports change between tests)."""
    psc._DISCOVERED.clear()
    yield
    psc._DISCOVERED.clear()
