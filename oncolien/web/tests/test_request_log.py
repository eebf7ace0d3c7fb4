"""Structured logs with a request id and the request's timing (issue 13)."""

import io
import json
import logging

import pytest
from django.test import RequestFactory
from django.urls import resolve

from oncolien.web import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the console handler writes, as the settings configure it with `json`."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_each_request_gets_an_id_in_its_answer_and_one_json_line(client, base_data, json_lines):
    response = client.get("/annuaire/?q=dietetique&commune=12096")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [entry for entry in json_lines() if entry["logger"] == "oncolien.requests"]
    assert line["request_id"] == request_id
    assert line["method"] == "GET" and line["path"] == "/annuaire/" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["user_id"] is None
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert "dietetique" not in json.dumps(line)  # never the query string


def test_the_proxy_request_id_is_kept_when_valid(client, base_data, json_lines):
    response = client.get("/sante/vivant/", HTTP_X_REQUEST_ID="proxy-4f1c2a9e-0001")
    assert response["X-Request-ID"] == "proxy-4f1c2a9e-0001"
    [line] = [entry for entry in json_lines() if entry["logger"] == "oncolien.requests"]
    assert line["request_id"] == "proxy-4f1c2a9e-0001"


@pytest.mark.parametrize(
    "given", ["", "short", "a" * 129, "id with spaces", "x\r\nSet-Cookie: a=b"]
)
def test_an_invalid_request_id_is_replaced(client, base_data, given):
    response = client.get("/sante/vivant/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_lines_written_during_the_request_carry_its_id(client, base_data, json_lines):
    response = client.get("/chemin-qui-n-existe-pas/")
    assert response.status_code == 404
    entries = json_lines()
    not_found = [entry for entry in entries if entry["logger"] == "django.request"]
    assert not_found and all(e["request_id"] == response["X-Request-ID"] for e in not_found)


def test_the_user_id_is_given_never_the_name(login, coordinating_nurse, json_lines):
    login(coordinating_nurse).get("/")
    [line] = [entry for entry in json_lines() if entry["logger"] == "oncolien.requests"]
    assert line["user_id"] == coordinating_nurse.pk
    assert coordinating_nurse.username not in json.dumps(line)


def test_a_path_shows_numbers_but_hides_tokens_and_other_values():
    factory = RequestFactory()
    request = factory.get("/evaluations/lien/AbCdEf0123456789-_xyzXYZ/")
    request.resolver_match = resolve(request.path)
    assert logs.loggable_path(request) == "/evaluations/lien/<token>/"
    request = factory.get("/parcours/42/")
    request.resolver_match = resolve(request.path)
    assert logs.loggable_path(request) == "/parcours/42/"
    # No route matched: a long, token-like segment is hidden all the same.
    request = factory.get("/evaluations/lien/AbCdEf0123456789-_xyzXYZ/oups")
    assert logs.loggable_path(request) == "/evaluations/lien/…/oups"


def test_django_not_found_lines_hide_the_token(client, base_data, json_lines):
    response = client.get("/evaluations/lien/AbCdEf0123456789-_xyzXYZ-unknown/")
    assert response.status_code == 404
    text = "\n".join(json.dumps(entry) for entry in json_lines())
    assert "AbCdEf0123456789" not in text
    assert "/evaluations/lien/<token>/" in text


def test_an_exception_is_logged_with_its_stack_but_not_its_message():
    phone = "06" + "12345678"
    try:
        raise ValueError(f"duplicate key (phone)=({phone})")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "échec", (), None)
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["exc_type"] == "ValueError" and "test_request_log.py" in entry["stack"]
    assert phone not in json.dumps(entry)
    assert phone not in logs.TextFormatter().format(record)


def test_the_line_tells_processor_time_from_database_time(login, coordinating_nurse, json_lines):
    """A slow request says why: the worker's processor time, the number of SQL queries
    and the time spent waiting for their answers."""
    login(coordinating_nurse).get("/")
    [line] = [entry for entry in json_lines() if entry["logger"] == "oncolien.requests"]
    assert isinstance(line["cpu_ms"], float) and line["cpu_ms"] >= 0
    assert isinstance(line["db_queries"], int) and line["db_queries"] >= 3  # session, user…
    assert isinstance(line["db_ms"], float) and 0 <= line["db_ms"] <= line["duration_ms"]
