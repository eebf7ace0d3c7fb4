"""Loading the demonstration directory into a database that has none yet.

Apart from test_demo_directory.py, whose tests share one loaded directory.
"""

import json

import pytest

from oncolien.directory import demo
from oncolien.directory.demo import DemoDirectoryError, load_demo_directory
from oncolien.directory.models import Service

from .test_demo_directory import DEMO_SLUGS, counts

pytestmark = pytest.mark.django_db


def test_there_is_no_demo_directory_before_it_is_loaded(base_data):
    assert not Service.objects.filter(organization__cpts__slug__in=DEMO_SLUGS).exists()


def test_a_file_naming_a_commune_outside_the_cpts_is_refused_and_writes_nothing(
    base_data, tmp_path, monkeypatch
):
    spec = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
    spec["cpts"][0]["organizations"][0]["locations"][0]["insee_code"] = "31555"  # Toulouse
    broken = tmp_path / "demo_directory.json"
    broken.write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(demo, "DEMO_FILE", broken)
    before = counts()
    with pytest.raises(DemoDirectoryError, match="n'appartient pas à la CPTS cpts-nord-aveyron"):
        load_demo_directory()
    assert counts() == before


def test_the_command_loads_the_directory_and_says_so(base_data, call):
    out, _ = call("load_demo_directory")
    assert "Annuaire de démonstration" in out
    assert "Contacts fictifs" in out
    assert Service.objects.filter(organization__cpts__slug__in=DEMO_SLUGS).exists()
