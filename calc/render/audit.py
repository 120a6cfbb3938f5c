"""``calc audit``'s outputs as text: a table for the terminal, Markdown, JSON, and one
summary line per article. Each reads the records of ``calc.analysis.audit_scenario``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from calc.escape import markdown_table, markdown_text, terminal

#: The order verdicts are counted in, and the one a figure in several checks is shown
#: by: the most serious first.
SERIOUSNESS = (
    "unit error",
    "arithmetic error",
    "conflict",
    "overstated",
    "understated",
    "not comparable",
    "unsupported",
    "consistent",
)


def counts(record: Mapping[str, Any]) -> str:
    """'3 checks: 1 overstated, 2 consistent' (findings first)."""
    found = record["verdicts"]
    n = sum(found.values())
    if not n:
        return "no checks"
    parts = ", ".join(f"{found[v]} {v}" for v in SERIOUSNESS if v in found)
    return f"{n} check{'s' if n != 1 else ''}: {parts}"


def summary_line(record: Mapping[str, Any]) -> str:
    """One line for an article: its path, figures, and the verdicts of its checks."""
    left, unread = len(record["not_checked"]), len(record.get("not_read", ()))
    not_read = f", {unread} not read" if unread else ""
    return terminal(
        f"{record['article']}: {record['figures']} figures, {counts(record)}; {left} not "
        f"checked{not_read}",
        one_line=True,
    )


def _not_read_line(unread: Mapping[str, Any]) -> str:
    """A figure calc left out because it cannot be sure how to read it, and why."""
    return f"Not read: {unread['text']} (at {unread['offset']}): {unread['reason']}"


def render_table(records: Sequence[Mapping[str, Any]]) -> str:
    """Each article's checks in full when there is one article; a line each for many."""
    if len(records) > 1:
        lines = [summary_line(r) for r in records]
        lines.append(f"\n{len(records)} articles; each in full: calc audit ARTICLE")
        return "\n".join(lines) + "\n"
    return _one_article(records[0])


def _one_article(record: Mapping[str, Any]) -> str:
    lines = [summary_line(record), ""]
    for n, check in enumerate(record["checks"], start=1):
        lines += _check_lines(n, check)
    for aside in record["set_aside"]:
        lines.append(f"Could not check {aside['check']}: {aside['reason']}")
    if record["not_checked"]:
        lines.append(
            "Not checked: "
            + "; ".join(f"{f['text']} (at {f['offset']})" for f in record["not_checked"])
        )
    lines += [_not_read_line(u) for u in record.get("not_read", ())]
    if lines[-1]:
        lines.append("")
    lines.append("As a scenario to edit: --write FILE. Every field: --format json.")
    return "\n".join(terminal(line) for line in lines) + "\n"


def _check_lines(n: int, check: Mapping[str, Any]) -> list[str]:
    lines = [
        f"{n}. {check['title']}: {check['describe']}, tolerance {check['tolerance']:.0%}",
        f"   {check['text']}",
    ]
    for quote in dict.fromkeys(_one_line(f["quote"]) for f in check["figures"]):
        lines.append(f"   quote:     \u201c{quote}\u201d")
    spread = f" (90% interval {check['interval']})" if check["interval"] else ""
    lines.append(f'   claimed:   {check["claimed"]}  = calc eval "{check["eval"]["claimed"]}"')
    lines.append(
        f'   implied:   {check["implied"]}{spread}  = calc eval "{check["eval"]["implied"]}"'
    )
    for ref in check["references"]:
        lines.append(
            f"   reference: {ref['id']}: {ref['value']} ({ref['publisher']}, grade {ref['grade']})"
        )
    if check["flip"]:
        lines.append(f"   close call: {check['flip']}")
    if check["note"]:
        lines.append(f"   note:      {check['note']}")
    return [*lines, ""]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_markdown(records: Sequence[Mapping[str, Any]]) -> str:
    """A section per article: its checks as a table, then the figures left alone."""
    lines: list[str] = []
    for record in records:
        lines += [f"## {markdown_text(record['article'])}", "", markdown_text(counts(record)), ""]
        rows = [
            [
                check["title"],
                check["text"],
                check["describe"],
                f"{check['claimed']} vs {check['implied']}",
                check["eval"]["implied"],
                ", ".join(r["id"] for r in check["references"]) or "the article itself",
            ]
            for check in record["checks"]
        ]
        if rows:
            lines += markdown_table(
                ["check", "in words", "verdict", "claimed vs implied", "implied by", "reference"],
                rows,
            )
        if record["not_checked"]:
            left = ", ".join(f["text"] for f in record["not_checked"])
            lines += ["", f"Not checked: {markdown_text(left)}"]
        if unread := record.get("not_read"):
            lines += [""] + [f"- {markdown_text(_not_read_line(u))}" for u in unread]
        lines.append("")
    return "\n".join(lines)


def render_json(records: Sequence[Mapping[str, Any]]) -> str:
    """The records, without each article's full text (the offsets point into it)."""
    return json.dumps([_without_text(r) for r in records], indent=2, ensure_ascii=False) + "\n"


def jsonl_line(record: Mapping[str, Any]) -> str:
    """One article's record as one line of a JSON Lines report."""
    return json.dumps(_without_text(record), ensure_ascii=False) + "\n"


def _without_text(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "text"}
