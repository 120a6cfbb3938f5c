"""Outputs cannot be turned against their reader (#21): scenario and catalogue text is
shown on a terminal, in Markdown, HTML and CSV, and never acts there."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import CalcError
from calc.escape import (
    Code,
    csv_cell,
    csv_text,
    has_control,
    markdown_code,
    markdown_paragraph,
    markdown_table,
    markdown_text,
    safe_url,
    terminal,
)
from calc.scenario import load_scenario

from .hostile_outputs import HOSTILE, check_output, cli_outputs, library_outputs, write_files

# --- terminal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;title\x07", "\\u001b]0;title\\u0007"),  # window title (OSC 0)
        ("\x1b]52;c;ZXZpbA==\x07", "\\u001b]52;c;ZXZpbA==\\u0007"),  # clipboard (OSC 52)
        ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),  # CSI
        ("\x9b2J", "\\u009b2J"),  # C1 CSI in one character
        ("\x85\x7f\x00", "\\u0085\\u007f\\u0000"),
        ("abc\u202edef", "abc\\u202edef"),  # right-to-left override
        ("\u2066x\u2069\u200f", "\\u2066x\\u2069\\u200f"),
        ("line\rover", "line\\u000dover"),
        (
            "plain text, 30 GW \u00d7 1.3 \u2014 \u201cquoted\u201d",
            "plain text, 30 GW \u00d7 1.3 \u2014 \u201cquoted\u201d",
        ),
    ],
)
def test_terminal_shows_control_sequences(text, shown):
    assert terminal(text) == shown
    assert terminal(terminal(text)) == shown  # once is enough: the result is inert
    assert not has_control(terminal(text))


@pytest.mark.parametrize(
    ("text", "multi", "one"),
    [
        ("a\nb", "a\nb", "a\\u000ab"),
        ("a\tb", "a\tb", "a\\u0009b"),
    ],
)
def test_line_feeds_and_tabs_stay_except_on_one_line(text, multi, one):
    assert terminal(text) == multi
    assert terminal(text, one_line=True) == one


def test_terminal_escapes_keep_json_valid_and_exact():
    data = {"title": "x\x1b]0;t\x07\u202e\x9b"}
    shown = terminal(json.dumps(data, ensure_ascii=False))
    assert not has_control(shown)
    assert json.loads(shown) == data


# --- Markdown -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert(1))"),
        ("![i](http://e/x.png)", "\\!\\[i\\]\\(http://e/x.png)"),
        ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\n\n| a |", "two lines \\| a \\|"),
        ("P(implied > claimed) = 48% (1.03\u00d7)", "P(implied > claimed) = 48% (1.03\u00d7)"),
        ("\x1b[2J", "\\\\u001b\\[2J"),
    ],
)
def test_markdown_text(text, expected):
    assert markdown_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("1. item", "\\1. item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("ok # not", "ok # not"),
    ],
)
def test_markdown_paragraph_cannot_start_a_block(text, expected):
    assert markdown_paragraph(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("per_home_load", "`per_home_load`"),
        ("a`b", "``a`b``"),
        ("`a", "`` `a ``"),
        ("a|b", "`a\\|b`"),
        ("x\ny", "`x y`"),
        ("", "`  `"),
    ],
)
def test_markdown_code(text, expected):
    assert markdown_code(text) == expected


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_table_rows_keep_their_cells(hostile):
    lines = markdown_table(["a", "b"], [[Code(hostile), hostile], ["x", hostile]])
    assert len(lines) == 4
    for line in lines:
        assert line.replace("\\\\", "").replace("\\|", "").count("|") == 3, line


# --- URLs and CSV ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.eia.gov/tools/faqs/faq.php?id=97", True),
        ("http://example.com/a_b", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("vbscript:x", False),
        ("//example.com", False),
        ('https://e.com/"onmouseover="x', False),
        ("https://e.com/<x>", False),
        ("https://e.com/a b", False),
        ("https://e.com/\x1b]0;x", False),
        ("ftp://e.com", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url, link):
    assert (safe_url(url) == url) if link else safe_url(url) is None


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\n@x", "'\n@x"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-5 GW", "'-5 GW"),
        ("-5", "-5"),
        ("+3.5e-2", "+3.5e-2"),
        ("-0.25", "-0.25"),
        ("GW", "GW"),
        ("", ""),
        ("a=b", "a=b"),
        (-5.0, -5.0),
        (3, 3),
        (None, None),
    ],
)
def test_csv_cells_that_spreadsheets_run_are_quoted(cell, written):
    assert csv_cell(cell) == written


def test_csv_text_keeps_numbers_as_numbers():
    assert csv_text([["=x", -5.0, "-5"]]) == "'=x,-5.0,-5\n"


# --- names are validated at load ------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a|b", "x y", "`x`", "<b>", "claim\x1b", "1st", "_x", "x" * 101, "caf\u00e9"]
)
def test_a_claim_name_that_would_reach_output_is_refused(variant, name):
    path = variant(("  homes_equivalence:\n", f"  {json.dumps(name)}:\n"))
    with pytest.raises(CalcError, match="is not a usable name; names start with a letter"):
        load_scenario(path)


@pytest.mark.parametrize("sid", ["ref|a", "ref a", "<ref>", "ref\x1b", "-ref", "r" * 101])
def test_a_catalogue_id_that_would_reach_output_is_refused(tmp_path, sid):
    path = write_files(tmp_path, "text")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text().replace("ref-a:", f"{json.dumps(sid)}:"))
    with pytest.raises(CalcError) as caught:
        load_scenario(path)
    assert f"{sid!r} is not a usable id; ids start with a letter or digit" in str(caught.value)


@pytest.mark.parametrize("unit", ["Robot", "ro bot", "r|b", "r\x1b", "r<b>"])
def test_a_count_unit_name_that_would_reach_output_is_refused(tmp_path, unit):
    path = write_files(tmp_path, "text")
    path.write_text(path.read_text().replace("robot: robots", f"{json.dumps(unit)}: robots"))
    with pytest.raises(CalcError, match="is not a usable unit name; a count unit is a lower"):
        load_scenario(path)


# --- every output, end to end ---------------------------------------------------------


@pytest.mark.parametrize("hostile", [" ".join(HOSTILE[i::4]) for i in range(4)])
def test_hostile_text_in_every_field_never_escapes_any_output(tmp_path, hostile):
    path = write_files(tmp_path, f"A {hostile} Z")
    for what, fmt, text in [*cli_outputs(path), *library_outputs(path)]:
        check_output(what, fmt, text)


@pytest.mark.parametrize("hostile", ["\x1b]0;owned\x07", "\u202e", "\x9b2J"])
def test_error_messages_show_control_sequences(tmp_path, hostile):
    path = tmp_path / f"bad{hostile}.yaml"
    path.write_text(f"title: t\ninputs:\n  x:\n    value: '3 {hostile}furlongs'\n")
    outcome = CliRunner().invoke(app, ["run", str(path)])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("calc: ")
    assert terminal(hostile) in outcome.stderr
    assert not has_control(outcome.stderr)


@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.text(min_size=1, max_size=40)
    | st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map("".join)
)
def test_fuzz_any_text_in_every_field_stays_inert(tmp_path_factory, text):
    path = write_files(tmp_path_factory.mktemp("fuzz"), text)
    for what, fmt, output in [*cli_outputs(path), *library_outputs(path)]:
        check_output(what, fmt, output)
