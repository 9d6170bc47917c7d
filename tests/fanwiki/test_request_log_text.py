"""The text log (LOG_FORMAT=text, the default) writes one line per record, whatever a request holds.

A path with %0a or %0d in it, a user name or an exception's message quoting either, reach
the log decoded; written as they are, they would start lines that pass for records.
"""

import io
import json
import logging
import re
from logging.config import DictConfigurator

import pytest
from pythonjsonlogger.json import JsonFormatter

from fanwiki import settings as production
from fanwiki.observability import RequestContextFilter, printable

pytestmark = pytest.mark.django_db

FORGED = "2030-01-01 00:00:00,000 INFO fanwiki.requests [0123456789abcdef] GET /admin/ 200"
# A record starts with its time: "2030-01-01 00:00:00,000 INFO ...".
RECORD_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def production_formatter(name):
    """The formatter the production settings configure for LOG_FORMAT=name."""
    config = dict(production.LOGGING["formatters"][name])
    return DictConfigurator({}).configure_formatter(config)


@pytest.fixture
def written():
    """What the request logger and the "axes" logger write through the text formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(production_formatter("text"))
    handler.addFilter(RequestContextFilter())
    loggers = [logging.getLogger("fanwiki.requests"), logging.getLogger("axes.test")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream.getvalue
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_line_break_in_the_path_cannot_forge_a_log_line(client, written):
    response = client.get(f"/wiki/kiss%0a{FORGED}%0d%0a{FORGED}%0d/")
    assert response.status_code == 404
    text = written()
    # splitlines() breaks at \r, \x0b, \x1c-\x1e, \x85 and \u2028 as well as \n.
    [line] = text.splitlines()
    assert text == line + "\n"
    assert RECORD_START.match(line) and line.count("fanwiki.requests") == 3
    assert f" GET /wiki/kiss\\x0a{FORGED}\\x0d\\x0a{FORGED}\\x0d/ 404" in line
    assert f"[{response['X-Request-ID']}]" in line


def test_other_control_characters_and_backslashes_in_the_path_are_escaped(client, written):
    client.get("/wiki/a%5Cx0a%09%1b[2J%c2%85%e2%80%a8%e2%80%ae-%c3%a9/")
    [line] = written().splitlines()
    assert " GET /wiki/a\\x5cx0a\\x09\\x1b[2J\\x85\\u2028\\u202e-é/ 404" in line


def test_a_user_name_in_a_message_cannot_forge_a_log_line(written):
    logging.getLogger("axes.test").warning(
        "AXES: New login failure by %s.", f'{{username: "fan\n{FORGED}"}}'
    )
    [line] = written().splitlines()
    assert f'{{username: "fan\\x0a{FORGED}"}}' in line


def test_a_traceback_keeps_its_lines_but_none_can_pass_for_a_record(written):
    try:
        raise ValueError(f"no such page: kiss\n{FORGED}\r{FORGED}")
    except ValueError:
        logging.getLogger("fanwiki.requests").exception("Lookup of %s failed", "kiss\nx")
    first, *details = written().split("\n")[:-1]
    assert first.endswith("Lookup of kiss\\x0ax failed")
    assert details[0] == "    Traceback (most recent call last):"
    assert details[-2:] == ["    ValueError: no such page: kiss", f"    {FORGED}\\x0d{FORGED}"]
    assert all(line.startswith("    ") for line in details)
    assert sum(bool(RECORD_START.match(line)) for line in written().splitlines()) == 1


def test_the_record_itself_is_left_as_it_was_for_other_handlers(written):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "path %s", ("/a\nb",), None)
    RequestContextFilter().filter(record)
    production_formatter("text").format(record)
    assert record.message == record.getMessage() == "path /a\nb" and record.exc_text is None


def test_the_json_log_keeps_the_path_exact_on_one_line(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter = production_formatter("json")
    assert isinstance(formatter, JsonFormatter)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("fanwiki.requests")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get(f"/wiki/kiss%0a{FORGED}%0d%e2%80%a8/")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    [line] = stream.getvalue().splitlines()
    assert json.loads(line)["path"] == f"/wiki/kiss\n{FORGED}\r\u2028/"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/plain/path?q=1", "/plain/path?q=1"),
        ("a\nb\r\tc\x00\x7f", "a\\x0ab\\x0d\\x09c\\x00\\x7f"),
        ("back\\slash", "back\\x5cslash"),
        ("Zoë 日本 a b", "Zoë 日本 a b"),
        ("\x85\u2028\u2029\u202e\ufeff\U000e0001", "\\x85\\u2028\\u2029\\u202e\\ufeff\\U000e0001"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown
