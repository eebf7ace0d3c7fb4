"""The deployment files (deploy/) hold together: no container engine runs here, so
what can be checked without one is checked — the compose file's services and wiring,
that every variable it and the example environment set is one OncoLien (or gunicorn)
reads, that the settings load from that environment as production expects, that the
paths the Containerfile copies exist, and the shape of the systemd units."""

import configparser
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("web1", "web2", "tasks")
# Read by gunicorn itself (worker count, addresses allowed to set X-Forwarded-*).
GUNICORN_VARIABLES = {"WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"}
# The production switch (HSTS, HTTPS redirect, JSON logs) is another part of issue 13.
PRODUCTION_SWITCH = {"ONCOLIEN_ENV"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _example_environment() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "oncolien.env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip().removeprefix("# ")
        if re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line):
            name, value = line.split("=", 1)
            values[name] = value
    return values


def _variables_read_by_oncolien() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "oncolien").rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"""environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']""", text))
        names.update(re.findall(r"""env_\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""", text))
    return names


def _interpolated(value: str) -> str:
    # compose's ${NAME:?message}: a placeholder password is enough to read the URL.
    return re.sub(r"\$\{(\w+)[^}]*\}", "placeholder", value)


def test_compose_has_two_app_servers_a_consumer_postgresql_redis_and_a_proxy(compose):
    services = compose["services"]
    assert set(services) >= {"migrate", "web1", "web2", "tasks", "postgres", "redis", "proxy"}
    # The servers run the image's command (gunicorn), the consumer run_huey.
    assert "command" not in services["web1"] and "command" not in services["web2"]
    assert services["tasks"]["command"] == ["python", "manage.py", "run_huey"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_app_process_uses_the_same_postgresql_redis_and_shared_imports(compose):
    services = compose["services"]
    seen = set()
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        database = urlparse(_interpolated(env["DATABASE_URL"]))
        redis = urlparse(env["REDIS_URL"])
        assert database.hostname in services and database.hostname == "postgres"
        assert database.path == f"/{services['postgres']['environment']['POSTGRES_DB']}"
        assert database.username == services["postgres"]["environment"]["POSTGRES_USER"]
        assert redis.hostname == "redis"
        assert int(env["DATABASE_POOL_MAX_SIZE"]) > 0
        seen.add((env["DATABASE_URL"], env["REDIS_URL"], env["ONCOLIEN_IMPORTS_DIR"]))
    assert len(seen) == 1
    imports_dir = seen.pop()[2]
    for name in APP_SERVICES:
        assert f"imports:{imports_dir}" in services[name]["volumes"], name
    assert "imports" in compose["volumes"]


def test_the_proxy_reaches_both_servers_on_the_port_gunicorn_binds(compose):
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", nginx, flags=re.M)
    assert upstream == [("web1", "8000"), ("web2", "8000")]
    assert '"--bind", "0.0.0.0:8000"' in (DEPLOY / "Containerfile").read_text()
    mounts = compose["services"]["proxy"]["volumes"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in mounts
    # The client's address is replaced, never appended to (ONCOLIEN_TRUST_X_FORWARDED_FOR).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx


def test_every_variable_set_is_one_that_oncolien_or_gunicorn_reads(compose):
    read = _variables_read_by_oncolien() | GUNICORN_VARIABLES | PRODUCTION_SWITCH
    set_by_files = set(_example_environment())
    for name in (*APP_SERVICES, "migrate"):
        set_by_files |= set(compose["services"][name]["environment"])
    assert set_by_files - read == set()
    # And the ones this part of the deployment relies on are read.
    assert {"DATABASE_URL", "DATABASE_POOL_MAX_SIZE", "REDIS_URL", "DJANGO_SECRET_KEY"} <= read


def test_the_settings_load_from_the_compose_environment_as_production_expects(compose, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ONCOLIEN_", "DATABASE_", "REDIS_", "PYTEST"))
    }
    env |= {key: value for key, value in _example_environment().items() if value}
    env |= {k: _interpolated(v) for k, v in compose["services"]["web1"]["environment"].items()}
    env |= {
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
        "DJANGO_SECRET_KEY": "x" * 64,
        "ONCOLIEN_VAR_DIR": str(tmp_path),
    }
    show = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "db = s.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'host': db['HOST'], 'age': db['CONN_MAX_AGE'],"
        "'pool': db['OPTIONS'].get('pool'), 'cache': s.CACHES['default']['BACKEND'],"
        "'cache_at': s.CACHES['default'].get('LOCATION'), 'huey': s.HUEY['huey_class'],"
        "'imports': s.ONCOLIEN_IMPORTS_DIR, 'email': s.EMAIL_BACKEND}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["host"] == "postgres"
    assert loaded["age"] == 0
    assert loaded["pool"]["max_size"] == 4
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["cache_at"] == "redis://redis:6379/0"
    assert loaded["huey"] == "huey.RedisHuey"
    assert loaded["imports"] == "/srv/oncolien/imports"
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_the_containerfile_copies_paths_that_exist_and_runs_as_a_user():
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", text, flags=re.M)
    copied = [
        source
        for line in re.findall(r"^COPY\s+(.+)$", text, flags=re.M)
        for source in line.split()[:-1]
        if not source.startswith("--")
    ]
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), source
    assert "pip install ." in text
    assert "manage.py collectstatic --noinput" in text
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r'^CMD \["gunicorn", "oncolien.wsgi"', text, flags=re.M)
    assert "--no-control-socket" in text


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return parser


def test_the_systemd_units_start_gunicorn_per_port_and_one_consumer():
    web = _unit("oncolien-web@.service")
    tasks = _unit("oncolien-tasks.service")
    for unit in (web, tasks):
        assert {"Unit", "Service", "Install"} <= set(unit.sections())
        assert unit["Service"]["User"] == "oncolien"
        assert unit["Service"]["EnvironmentFile"] == "/etc/oncolien/oncolien.env"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
    start = " ".join(web["Service"]["ExecStart"].replace("\\", " ").split())
    assert "gunicorn oncolien.wsgi --bind 127.0.0.1:%i" in start
    assert "--no-control-socket" in start
    assert tasks["Service"]["ExecStart"].endswith("manage.py run_huey")
