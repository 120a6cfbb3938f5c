"""``calc audit --format html``: one self-contained page for an editor.

A summary at the top; then each article's text with every figure highlighted in the
colour of its checks' verdict (the worst, when it is in several); hovering over a
figure names its checks, and clicking it (or tabbing to it and pressing Enter) marks
them in the list beside the text. Every text is escaped; the page loads nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from calc.render.audit import SERIOUSNESS, counts

#: Light-theme verdict colours (the notebook views' own, so they read the same).
_NOT_CHECKED = "#8c959f"
_STYLE = """
body { font: 16px/1.55 system-ui, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 12px 24px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header h1 { font-size: 20px; margin: 0 0 4px; }
.summary span { margin-right: 14px; }
section.article { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
  gap: 24px; padding: 16px 24px; border-bottom: 1px solid #d0d7de; }
section.article h2 { grid-column: 1 / -1; font-size: 17px; margin: 0; }
.text { white-space: pre-wrap; }
mark { background: none; color: inherit; border-bottom: 3px solid; padding: 0 1px;
  cursor: pointer; border-radius: 2px; }
mark.not-checked { border-bottom: 2px dotted; cursor: default; }
mark:focus, mark.active { outline: 2px solid #0969da; }
ol.checks { margin: 0; padding-left: 22px; }
ol.checks li { margin-bottom: 10px; padding: 4px 6px; border-radius: 4px; }
ol.checks li.active { background: #ddf4ff; }
.verdict { font-weight: 600; }
code { font-size: 13px; background: #f6f8fa; padding: 1px 4px; border-radius: 3px; }
.small { font-size: 13px; color: #57606a; }
"""

_SCRIPT = """
document.querySelectorAll('mark[data-checks]').forEach(function (mark) {
  function show() {
    document.querySelectorAll('.active').forEach(function (e) { e.classList.remove('active'); });
    mark.classList.add('active');
    mark.dataset.checks.split(' ').forEach(function (id) {
      var item = document.getElementById(id);
      if (item) { item.classList.add('active'); }
    });
  }
  mark.addEventListener('click', show);
  mark.addEventListener('keydown', function (e) { if (e.key === 'Enter') { show(); } });
});
"""


def render_page(records: Sequence[Mapping[str, Any]]) -> str:
    """The whole page, for one article or many."""
    from calc.render.html import VERDICT_COLOURS

    total: dict[str, int] = {}
    for record in records:
        for verdict, n in record["verdicts"].items():
            total[verdict] = total.get(verdict, 0) + n
    summary = " ".join(
        f'<span style="color: {VERDICT_COLOURS.get(v, "#1f2328")}">'
        f"<b>{total[v]}</b> {escape(v)}</span>"
        for v in SERIOUSNESS
        if v in total
    )
    articles = "\n".join(
        _article(n, record, VERDICT_COLOURS) for n, record in enumerate(records, start=1)
    )
    title = "calc audit: " + ", ".join(str(r["article"]) for r in records[:3])
    if len(records) > 3:
        title += f" and {len(records) - 3} more"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<div class="summary">{summary or "no checks"}</div>'
        '<div class="small">Each figure is underlined in the colour of its checks\' '
        "verdict; click one to mark its checks. Dotted grey: not checked.</div></header>"
        f"{articles}<script>{_SCRIPT}</script></body></html>\n"
    )


def _article(n: int, record: Mapping[str, Any], colours: Mapping[str, str]) -> str:
    own = str(record["article"])
    by_figure: dict[int, list[tuple[str, str]]] = {}
    items = []
    for i, check in enumerate(record["checks"], start=1):
        check_id = f"a{n}-c{i}"
        for figure in check["figures"]:
            if figure["article"] == own:
                by_figure.setdefault(figure["offset"], []).append((check_id, check["verdict"]))
        items.append(_check_item(check_id, check, colours))
    figures = {
        f["offset"]: f for c in record["checks"] for f in c["figures"] if f["article"] == own
    }
    for figure in record["not_checked"]:
        figures.setdefault(figure["offset"], figure)
    text = _marked_text(record["text"], figures, by_figure, colours)
    checks_html = f'<ol class="checks">{"".join(items)}</ol>' if items else "<p>No checks.</p>"
    return (
        f'<section class="article" id="article-{n}"><h2>{escape(own)}: '
        f"{escape(counts(record))}</h2>"
        f'<div class="text">{text}</div><div>{checks_html}{_not_read(record)}</div></section>'
    )


def _not_read(record: Mapping[str, Any]) -> str:
    """The figures calc could not read for sure, each with its readings."""
    unread = record.get("not_read", ())
    if not unread:
        return ""
    items = "".join(
        f"<li><b>{escape(u['text'])}</b> (at {u['offset']}): {escape(u['reason'])}</li>"
        for u in unread
    )
    return f'<p class="small">Not read, as calc cannot be sure how:</p><ul>{items}</ul>'


def _marked_text(
    text: str,
    figures: Mapping[int, Mapping[str, Any]],
    by_figure: Mapping[int, list[tuple[str, str]]],
    colours: Mapping[str, str],
) -> str:
    """The article's text, escaped, with each figure in a <mark>; overlapping figures
    (a range inside a longer one) keep the first."""
    parts, at = [], 0
    for offset in sorted(figures):
        figure = figures[offset]
        end = figure["end"]
        if offset < at or end > len(text):
            continue
        parts.append(escape(text[at:offset]))
        words = escape(text[offset:end])
        checks = by_figure.get(offset)
        if checks:
            verdict = min((v for _, v in checks), key=SERIOUSNESS.index)
            ids = " ".join(c for c, _ in checks)
            hover = "; ".join(f"check {c.split('-c')[1]}: {v}" for c, v in checks)
            parts.append(
                f'<mark class="checked" data-verdict="{escape(verdict)}" data-checks="{ids}" '
                f'tabindex="0" title="{escape(hover)}" '
                f'style="border-color: {colours.get(verdict, "#1f2328")}">{words}</mark>'
            )
        else:
            parts.append(
                f'<mark class="not-checked" title="not checked" '
                f'style="border-color: {_NOT_CHECKED}">{words}</mark>'
            )
        at = end
    parts.append(escape(text[at:]))
    return "".join(parts)


def _check_item(check_id: str, check: Mapping[str, Any], colours: Mapping[str, str]) -> str:
    colour = colours.get(check["verdict"], "#1f2328")
    refs = "".join(
        f'<div class="small">reference: {_link(r)} ({escape(r["value"])}, grade '
        f"{escape(r['grade'])})</div>"
        for r in check["references"]
    )
    note = f'<div class="small">{escape(check["note"])}</div>' if check["note"] else ""
    return (
        f'<li id="{check_id}"><div>{escape(check["title"])}: '
        f'<span class="verdict" style="color: {colour}">{escape(check["describe"])}</span>'
        f", tolerance {check['tolerance']:.0%}</div>"
        f"<div>{escape(check['text'])}</div>"
        f'<div class="small">claimed {escape(check["claimed"])}: '
        f"<code>{escape(check['eval']['claimed'])}</code></div>"
        f'<div class="small">implied {escape(check["implied"])}: '
        f"<code>{escape(check['eval']['implied'])}</code></div>"
        f"{refs}{note}</li>"
    )


def _link(reference: Mapping[str, Any]) -> str:
    from calc.escape import safe_url

    url = safe_url(reference.get("url"))
    label = escape(reference["id"])
    return f'<a href="{escape(url)}">{label}</a>' if url else label
