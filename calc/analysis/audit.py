"""``calc audit``: from articles to the checks a careful analyst makes, with verdicts.

``audit(paths)`` reads the articles, plans the checks (``audit_plan``), writes them as a
scenario and judges it with the code ``calc check`` runs (``audit_scenario``).
``write(path, audit)`` keeps an article's scenario, with the article added to the
catalogue beside it, for ``calc check`` and for editing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from calc.analysis.audit_plan import Article, ArticleAudit, Check, plan, read
from calc.analysis.audit_scenario import build, check_articles, dump, record

__all__ = ["ArticleAudit", "audit", "audit_records", "write"]


def audit(paths: Sequence[str | Path]) -> list[ArticleAudit]:
    """Audit each article: its checks with their verdicts, and the figures left alone."""
    articles = read([Path(p) for p in paths])
    return check_articles(articles, plan(articles))


def write(target: str | Path, result: ArticleAudit, *, force: bool = False) -> Path:
    """Write the scenario of one article's audit at ``target``, adding the article to
    the nearest catalogue (as ``calc extract --scaffold`` does); nothing is written if
    it would not load. Checks across articles cannot be kept in one file."""
    from calc.io.scaffold import SeedPlan, write_with_seed

    article = result.article

    own = [c for c in result.checks if all(m.article == result.index for m in c.roles.values())]

    def body(catalogue: Path, at: Path, seed: SeedPlan) -> str:
        relative = Path(os.path.relpath(catalogue, at.resolve().parent)).as_posix()
        title = f"Audit of {article.path.name}"
        written = build({result.index: article}, own, {result.index: seed.id}, relative, title)
        return dump(written.data)

    write_with_seed(article.path, Path(target), body, text=article.text, force=force)
    return Path(target)


#: Articles in one run from which the checks are judged in parallel processes.
PARALLEL_FROM = 8


def audit_records(
    paths: Sequence[str | Path], *, jobs: int | None = None
) -> tuple[list[ArticleAudit] | None, list[dict[str, Any]]]:
    """Audit the articles and return each one's record (``audit_scenario.record``).

    The checks are planned together (so a deal valued in one article meets "no
    commitment" in another), then judged article by article: in parallel processes
    when there are at least ``PARALLEL_FROM`` articles, where the audits themselves
    stay in their processes (None is returned for them).
    """
    articles = read([Path(p) for p in paths])
    checks = plan(articles)
    workers = _workers(len(articles), jobs)
    if workers <= 1:
        audits = check_articles(articles, checks)
        return audits, [record(a, articles) for a in audits]
    from concurrent.futures import ProcessPoolExecutor

    jobs_of = []
    for i in range(len(articles)):
        own = [c for c in checks if c.home == i]
        quoted = {i} | {m.article for c in own for m in c.roles.values()}
        jobs_of.append(({n: articles[n] for n in quoted}, own, i))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        records = list(pool.map(_judge_one, jobs_of, chunksize=4))
    return None, records


def _workers(articles: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, articles))
    if articles < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, articles))


def _judge_one(job: tuple[dict[int, Article], list[Check], int]) -> dict[str, Any]:
    """One article's record, in a worker process: only the articles its checks quote
    travel to it."""
    articles, checks, index = job
    audits = check_articles(articles, checks, only=index)
    return record(next(a for a in audits if a.index == index), articles)


def article_paths(given: Sequence[Path]) -> list[Path]:
    """The articles named: files as given, folders as their ``.txt`` files in name
    order. SourceError for a path that is neither, or a folder with no article."""
    from calc.errors import Location, SourceError

    paths: list[Path] = []
    for path in given:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise SourceError(
                    "is a folder with no .txt article in it; name the articles, or a "
                    "folder that holds them",
                    location=Location(path),
                )
            paths += found
        elif path.exists() or path.is_symlink():
            paths.append(path)
        else:
            raise SourceError(
                "does not exist; give the path of an article's text (UTF-8)",
                location=Location(path),
            )
    return paths
