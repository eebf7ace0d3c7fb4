"""Settings for the benchmark server: the real project, plus a hello-world view."""

from oncolien.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"
ONCOLIEN_REQUIRE_2FA = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
