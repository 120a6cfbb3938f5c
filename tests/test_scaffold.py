"""Scaffolding a scenario from an article: names, catalogue entry, loading, writing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from calc.articles.figures import extract
from calc.errors import CalcError, Location, ScenarioFileError, SourceError, UnitError
from calc.io.catalogue import load_catalogue
from calc.io.scaffold import _yaml_scalar, describe, input_names, scaffold, value_text
from calc.scenario import load_scenario
from calc.units.notation import parse_quantity

from .conftest import ROOT
from .figure_cases import load_sentences

SEED_003 = ROOT / "seeds" / "003_dad698e8bbde9b79.txt"
ARTICLE = """\
Robots and racks

Foxconn said on March 3, 2026 that its Ohio plant will ship 2,000 racks a week,
up from 500 racks now. The line holds three major efforts and 40 robots, and it cost
$1 billion to $5 billion. Each rack draws 120-132 kW; the site uses roughly 1.2 GW.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's seeds, with an empty scenarios folder."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "scenarios").mkdir()
    return tmp_path


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "robots-and-racks.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- the scenario it writes -------------------------------------------------------------


def test_a_scaffold_of_a_seed_loads_and_evaluates_with_verified_quotes(project):
    target = project / "scenarios" / "openai.yaml"
    result = scaffold(SEED_003, target)
    scenario = load_scenario(target)
    values = scenario.evaluate()
    assert list(scenario.inputs) == ["investment", "computing_power", "homes"]
    assert [str(values[name]) for name in scenario.inputs] == [
        "1400000000000.0 USD",
        "30.0 GW",
        "25000000.0 home",
    ]
    assert {c.source.id for i in scenario.inputs.values() for c in i.citations} == {"seed-003"}
    assert all(c.verified for i in scenario.inputs.values() for c in i.citations)
    assert (result.source_id, result.seed_added, result.article_copy) == ("seed-003", False, None)


def test_the_scaffold_text_says_where_each_figure_came_from(project):
    target = project / "scenarios" / "openai.yaml"
    scaffold(SEED_003, target)
    text = target.read_text(encoding="utf-8")
    assert "catalogue: ../seeds/catalogue.yaml\n" in text
    assert (
        "  homes:  # 25 million U.S. homes, at character 1773\n"
        "    value: 25 million U.S. homes\n"
        "    kind: stated\n"
        "    source: seed-003\n"
        "    quote: roughly equivalent to the electricity consumption of 25 million U.S. homes\n"
    ) in text


def test_a_seed_already_in_the_catalogue_leaves_it_untouched(project):
    before = (project / "seeds" / "catalogue.yaml").read_bytes()
    scaffold(project / "seeds" / "003_dad698e8bbde9b79.txt", project / "scenarios" / "a.yaml")
    assert (project / "seeds" / "catalogue.yaml").read_bytes() == before


def test_an_article_from_elsewhere_is_copied_and_added_to_the_catalogue(project, article):
    catalogue = project / "seeds" / "catalogue.yaml"
    before = catalogue.read_text(encoding="utf-8")
    result = scaffold(article, project / "scenarios" / "robots.yaml")
    after = catalogue.read_text(encoding="utf-8")
    seeds_end = before.index("\nreferences:")
    assert after.startswith(before[:seeds_end])  # comments and seeds kept as they were
    assert after.endswith(before[seeds_end:])  # the entry goes under 'seeds:'
    loaded = load_catalogue(catalogue)
    source = loaded.sources["seed-robots-and-racks"]
    assert (source.kind, source.title, source.date, source.file) == (
        "seed",
        "Robots and racks",
        "2026-03-03",
        project / "seeds" / "robots-and-racks.txt",
    )
    assert source.file.read_text(encoding="utf-8") == ARTICLE
    assert result.article_copy == project / "seeds" / "robots-and-racks.txt"
    assert {"seed-000", "seed-004", "eia-household-2023"} <= set(loaded.sources)


def test_a_second_scaffold_of_the_same_article_reuses_its_entry(project, article):
    scaffold(article, project / "scenarios" / "one.yaml")
    after_one = (project / "seeds" / "catalogue.yaml").read_text(encoding="utf-8")
    second = scaffold(article, project / "scenarios" / "two.yaml")
    assert (project / "seeds" / "catalogue.yaml").read_text(encoding="utf-8") == after_one
    assert (second.source_id, second.seed_added) == ("seed-robots-and-racks", False)
    assert sorted(p.name for p in (project / "seeds").glob("robots*")) == ["robots-and-racks.txt"]


def test_with_no_catalogue_above_one_is_made_beside_the_scenario(tmp_path, article):
    target = tmp_path / "new" / "robots.yaml"
    result = scaffold(article, target)
    assert result.catalogue == tmp_path / "new" / "seeds" / "catalogue.yaml"
    assert result.catalogue.read_text(encoding="utf-8").startswith(
        "# The source catalogue (created by calc extract).\n"
    )
    assert load_scenario(target).evaluate()["robots"].magnitude == 40


def test_unknown_nouns_are_declared_and_the_file_runs_in_a_fresh_process(tmp_path, article):
    target = tmp_path / "robots.yaml"
    result = scaffold(article, target)
    text = target.read_text(encoding="utf-8")
    assert "units:\n  effort: efforts\n  robot: robots\n" in text
    assert result.units == ("effort", "robot")
    run = subprocess.run(
        [sys.executable, "-m", "calc", "run", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line.split()[1:3] for line in run.stdout.splitlines()[4:11]}
    assert rows == {
        "racks_per_week": ["2,000", "rack/week"],
        "racks": ["500", "racks"],
        "major_efforts": ["3", "efforts"],
        "robots": ["40", "robots"],
        "cost_range": ["3", "billion"],
        "power_range": ["126", "kW"],
        "power": ["1.2", "GW"],
    }


def test_a_range_and_a_qualifier_are_noted(tmp_path, article):
    target = tmp_path / "robots.yaml"
    scaffold(article, target)
    inputs = yaml.safe_load(target.read_text(encoding="utf-8"))["inputs"]
    assert inputs["cost_range"] == {
        "value": "3 billion USD",
        "kind": "stated",
        "source": "seed-robots-and-racks",
        "quote": "and it cost\n$1 billion to $5 billion",
        "note": "Stated as a range, 1 billion USD to 5 billion USD; the value is its midpoint.",
    }
    assert inputs["power"]["note"] == "Stated as roughly 1.2 GW."


# --- refusing, and writing safely ------------------------------------------------------


def test_an_existing_scenario_is_not_replaced_without_force(project):
    target = project / "scenarios" / "mine.yaml"
    target.write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        scaffold(SEED_003, target)
    assert str(caught.value) == (
        f"{target}: exists already; pass --force to replace it, or choose another name"
    )
    assert target.read_text(encoding="utf-8") == "title: mine\n"
    scaffold(SEED_003, target, force=True)
    assert load_scenario(target).title == (
        "Figures from: Foxconn Partners with OpenAI to Build Next-Generation AI Hardware"
    )


def test_writing_leaves_no_temporary_files_and_the_usual_mode(project, article):
    scaffold(article, project / "scenarios" / "robots.yaml")
    assert [p.name for p in project.rglob("*.tmp")] == []
    mask = os.umask(0)
    os.umask(mask)
    for path in (
        project / "scenarios" / "robots.yaml",
        project / "seeds" / "catalogue.yaml",
        project / "seeds" / "robots-and-racks.txt",
    ):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("new.txt", "is not a scenario file name; give one ending in .yaml"),
        ("folder.yaml", "is a folder; give the scenario's file name"),
    ],
)
def test_a_bad_target_is_refused(tmp_path, name, message):
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ScenarioFileError) as caught:
        scaffold(SEED_003, tmp_path / name)
    assert str(caught.value) == f"{tmp_path / name}: {message}"


def test_an_article_without_figures_is_refused(tmp_path):
    article = ROOT / "seeds" / "002_43d97e13a65d93b6.txt"
    with pytest.raises(SourceError) as caught:
        scaffold(article, tmp_path / "x.yaml")
    assert str(caught.value) == (
        f"{article}: states no figure a scenario can hold; there is nothing to scaffold"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file; give the path of the article's text"),
        (
            b"caf\xe9 30 GW",
            "is not UTF-8 text (byte 3 is 0xe9; Windows-1252 or Latin-1?); "
            "save the article as UTF-8, e.g. iconv -f cp1252 -t utf-8",
        ),
    ],
)
def test_an_unreadable_article_is_refused(tmp_path, content, message):
    article = tmp_path / "article.txt"
    if content is not None:
        article.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        scaffold(article, tmp_path / "x.yaml")
    assert str(caught.value) == f"{article}: {message}"


def test_describe_says_what_was_written(tmp_path, article):
    result = scaffold(article, tmp_path / "robots.yaml")
    assert describe(result).splitlines() == [
        f"wrote {tmp_path / 'robots.yaml'}: 7 stated inputs from seed-robots-and-racks",
        "  racks_per_week  2,000 racks a week",
        "  racks           500 racks",
        "  major_efforts   three major efforts",
        "  robots          40 robots",
        "  cost_range      $1 billion to $5 billion",
        "  power_range     120-132 kW",
        "  power           1.2 GW",
        "declared the count units effort, robot in its 'units' section",
        f"added seed-robots-and-racks to {tmp_path / 'seeds' / 'catalogue.yaml'}, with a copy "
        f"of the article at {tmp_path / 'seeds' / 'robots-and-racks.txt'}",
        f"next: rename the inputs, add derived quantities and claims, then calc run "
        f"{tmp_path / 'robots.yaml'}",
    ]


# --- names and values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "It plans to invest $1.4 trillion to develop 30 gigawatts of computing power.",
            ["investment", "computing_power"],
        ),
        ("in a deal valued at about $5 billion", ["value"]),
        ("It ships 2,000 racks a week and 25 million U.S. homes.", ["racks_per_week", "homes"]),
        ("~120 kW; 5%; or $3", ["power", "share", "amount"]),
        ("or 10,791 kWh per household per year", ["energy_per_home_per_year"]),
        ("It costs $1 billion to $5 billion.", ["cost_range"]),
        ("It has 5 GW of max and 6 GW of lambda", ["max_value", "lambda_value"]),
        ("Amazon has 2.2 GW under way, costing $11 billion.", ["power", "cost"]),
        ("Meta, which raised $30 billion, spent $5 billion", ["funding", "spending"]),
        (
            "The deal, worth $5 billion, is priced at $46 billion per GW",
            ["value", "price_per_gigawatt"],
        ),
        ("Google said 1.2 GW; Microsoft draws 3 GW", ["power", "power_2"]),
        ("Oracle: 40,000 GPUs at $3 billion", ["gpus", "amount"]),
        ("30 GW, 40 GW and 50 GW", ["power", "power_2", "power_3"]),
    ],
)
def test_input_names_come_from_the_words_around_and_are_usable(text, names):
    assert input_names(text, extract(text)) == names


SENTENCE_FIGURES = [
    f
    for s in load_sentences(real_articles=False)
    for f in extract(s.text)
    if f.unit[:6] != "degree"
]


@pytest.mark.parametrize("figure", SENTENCE_FIGURES, ids=[f.text for f in SENTENCE_FIGURES])
def test_a_written_value_reads_back_as_the_figure(figure):
    written = parse_quantity(value_text(figure))
    assert written.to(figure.quantity.units).magnitude == pytest.approx(figure.value)


def test_a_temperature_cannot_be_a_value_and_is_left_out(tmp_path):
    """Left out with the reason, in the exception and the file's comment."""
    with pytest.raises(UnitError) as caught:
        value_text(extract("at 45°C")[0])
    assert str(caught.value) == (
        "'45°C' cannot be a scenario value: '45°C' is a temperature on an offset scale "
        "('°C'), which calc does not compute with; give an absolute temperature in K, or a "
        "difference in delta_degC or delta_degF"
    )
    article = tmp_path / "hot.txt"
    article.write_text("Water leaves at 45°C from racks that draw 120 kW.", encoding="utf-8")
    result = scaffold(article, tmp_path / "hot.yaml")
    assert [name for name, _ in result.inputs] == ["power"]
    assert [f.text for f in result.left_out] == ["45°C"]
    assert "# Left out, each with the reason:\n#   45°C, at character 16: '45°C' is a" in (
        tmp_path / "hot.yaml"
    ).read_text(encoding="utf-8")
    assert "left out, each with its reason in the scenario's comments: '45°C'" in describe(result)


@given(st.text(max_size=80))
def test_any_string_is_written_as_a_yaml_scalar_that_reads_back(value):
    assert yaml.safe_load(f"key: {_yaml_scalar(value)}\n") == {"key": value}


def test_windows_line_endings_are_kept_and_counted(tmp_path):
    article = tmp_path / "crlf.txt"
    article.write_bytes(b"Line one says 30 GW.\r\nLine two says $5 billion.\r\n")
    result = scaffold(article, tmp_path / "crlf.yaml")
    assert [figure.offset for _, figure in result.inputs] == [14, 36]
    assert (tmp_path / "seeds" / "crlf.txt").read_bytes() == article.read_bytes()
    assert load_scenario(tmp_path / "crlf.yaml").evaluate()["amount"].magnitude == 5e9


def test_a_negative_count_is_left_out(tmp_path):
    article = tmp_path / "loss.txt"
    article.write_text("It lost -3 homes, and 30 GW of power.", encoding="utf-8")
    result = scaffold(article, tmp_path / "loss.yaml")
    assert ([n for n, _ in result.inputs], [f.text for f in result.left_out]) == (
        ["power"],
        ["-3 homes"],
    )


def test_a_scaffold_that_would_not_load_is_not_written(tmp_path, monkeypatch):
    import calc.io.scaffold

    monkeypatch.setattr(calc.io.scaffold, "scenario_text", lambda *a, **k: "title: broken\n")
    target = tmp_path / "broken.yaml"
    with pytest.raises(ScenarioFileError) as caught:
        scaffold(SEED_003, target)
    assert str(caught.value) == (
        f"{target}:1: inputs: has no inputs; add an 'inputs' section (or 'extends' a scenario "
        "that has them) (calc extract wrote nothing; please report this)"
    )
    assert not target.exists() and [p.name for p in tmp_path.glob("*.tmp")] == []


# --- the catalogue edit: round trip, locked, staged (#19) -----------------------------------

_ENTRY = "{file: old.txt, title: Old, publisher: P, date: 2025-01-02}"
CATALOGUES = [
    ("flow-seeds", f"seeds: {{s1: {_ENTRY}, s2: {_ENTRY}}}\nreferences: {{}}\n"),
    ("flow-document", f'{{"seeds": {{"s1": {_ENTRY}}}, "references": {{}}}}\n'),
    (
        "block-commented",
        "# my sources\nseeds:  # articles\n  s1:  # the first\n"
        "    file: old.txt\n    title: Old  # check\n    publisher: P\n"
        "    date: 2025-01-02\n# between\nreferences: {}  # none yet\n",
    ),
    ("references-first", f"references: {{}}\nseeds:\n  s1: {_ENTRY}\n  s2: {_ENTRY}\n"),
    ("empty-flow-seeds", "# kept\nseeds: {}\nreferences: {}\n"),
    ("no-seeds-key", "# only references\nreferences: {}\n"),
    (
        "indented-four",
        "seeds:\n    s1:\n        file: old.txt\n        title: Old\n"
        "        publisher: P\n        date: 2025-01-02\n",
    ),
]


@pytest.mark.parametrize("text", [t for _, t in CATALOGUES], ids=[n for n, _ in CATALOGUES])
def test_the_catalogue_keeps_every_seed_and_comment_whatever_its_style(tmp_path, article, text):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "old.txt").write_text("Old text.\n", encoding="utf-8")
    catalogue = seeds / "catalogue.yaml"
    catalogue.write_text(text, encoding="utf-8")
    before = set(load_catalogue(catalogue).sources)
    result = scaffold(article, tmp_path / "robots.yaml")
    after = load_catalogue(catalogue)
    assert set(after.sources) == before | {"seed-robots-and-racks"}
    assert after.sources["seed-robots-and-racks"].file == seeds / "robots-and-racks.txt"
    written = catalogue.read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]
    assert all(f"# {c}" in written for c in comments), written
    assert load_scenario(result.path).evaluate()["racks"].magnitude == 500


def _articles(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"article-{i}.txt"
        path.write_text(f"Site {i} will draw {i + 1} MW of power.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_concurrent_scaffolds_into_one_catalogue_all_land(tmp_path):
    """Processes started together each add their seed; the lock makes them take turns."""
    (tmp_path / "seeds").mkdir()
    articles = _articles(tmp_path, 4)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "calc",
                "extract",
                str(a),
                "--scaffold",
                str(tmp_path / f"s{i}.yaml"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
        for i, a in enumerate(articles)
    ]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, errors
    catalogue = load_catalogue(tmp_path / "seeds" / "catalogue.yaml")
    assert sorted(catalogue.sources) == [f"seed-article-{i}" for i in range(4)]
    for i in range(4):
        assert load_scenario(tmp_path / f"s{i}.yaml").evaluate()["power"].magnitude == i + 1
    assert sorted(p.name for p in (tmp_path / "seeds").iterdir()) == [
        "article-0.txt",
        "article-1.txt",
        "article-2.txt",
        "article-3.txt",
        "catalogue.yaml",
    ]


def _fail_check(monkeypatch):
    import calc.io.loader
    from calc.errors import CalcError

    def broken(path, **_):
        raise CalcError("staged scenario refused", location=Location(path, 1))

    monkeypatch.setattr(calc.io.loader, "load_scenario", broken)


def _fail_target_write(monkeypatch):
    import calc.io.scaffold
    from calc.errors import OutputError

    real = calc.io.scaffold.write_text_atomic

    def write(path, text, **kw):
        if Path(path).suffix == ".yaml" and Path(path).name != "catalogue.yaml":
            raise OutputError(f"cannot write {path}: No space left on device")
        return real(path, text, **kw)

    monkeypatch.setattr(calc.io.scaffold, "write_text_atomic", write)


@pytest.mark.parametrize("fail", [_fail_check, _fail_target_write], ids=["check", "commit"])
@pytest.mark.parametrize("existing", [True, False], ids=["catalogue", "no-catalogue"])
def test_a_scaffold_that_fails_writes_nothing(tmp_path, article, monkeypatch, fail, existing):
    if existing:
        (tmp_path / "seeds").mkdir()
        (tmp_path / "seeds" / "catalogue.yaml").write_text("# mine\nseeds: {}\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    fail(monkeypatch)
    with pytest.raises(CalcError) as caught:
        scaffold(article, tmp_path / "robots.yaml")
    assert ".calc-scaffold-" not in str(caught.value) and ".tmp" not in str(caught.value)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert (tmp_path / "seeds").exists() == existing
    assert [p for p in tmp_path.rglob(".*")] == []


def test_a_failed_check_names_the_files_asked_for_not_the_staged_ones(tmp_path, monkeypatch):
    import calc.io.scaffold

    monkeypatch.setattr(
        calc.io.scaffold,
        "scenario_text",
        lambda *a, **k: "title: broken\ninputs: {}\ncatalogue: nowhere.yaml\n",
    )
    target = tmp_path / "broken.yaml"
    with pytest.raises(ScenarioFileError) as caught:
        scaffold(SEED_003, target)
    assert str(caught.value).startswith(f"{target}:3: catalogue: 'nowhere.yaml' is not a file")
    assert ".calc-scaffold-" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_scaffold_of_too_many_figures_is_refused_before_any_work(tmp_path):
    article = tmp_path / "long.txt"
    article.write_text(
        " ".join(f"Site {i} draws {i + 1} MW." for i in range(2_001)), encoding="utf-8"
    )
    with pytest.raises(SourceError) as caught:
        scaffold(article, tmp_path / "x.yaml")
    assert str(caught.value) == (
        f"{article}: states 2,001 figures; a scaffolded scenario holds at most 2,000 inputs: "
        "split the article, or scaffold the part you need"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]


def test_many_figures_of_one_name_get_numbered_names():
    text = " ".join(f"Site draws {i + 1} MW of power." for i in range(1_500))
    names = input_names(text, extract(text))
    assert names[:3] == ["power", "power_2", "power_3"] and names[-1] == "power_1500"
    assert len(set(names)) == 1_500


def test_a_scaffold_waits_for_the_lock_on_the_catalogue_folder(tmp_path):
    """While another holder has the folder locked, a scaffold neither reads nor writes the
    catalogue; once released, it lands beside the other's entry."""
    from calc.io.files import locked

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    catalogue = seeds / "catalogue.yaml"
    catalogue.write_text("seeds: {}\n", encoding="utf-8")
    (article,) = _articles(tmp_path, 1)
    with locked(seeds):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "calc",
                "extract",
                str(article),
                "--scaffold",
                str(tmp_path / "s.yaml"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        # the holder edits the catalogue meanwhile; the scaffold must see this edit
        catalogue.write_text(f"seeds:\n  mine: {_ENTRY}\n", encoding="utf-8")
        (seeds / "old.txt").write_text("Old text.\n", encoding="utf-8")
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    assert sorted(load_catalogue(catalogue).sources) == ["mine", "seed-article-0"]


@pytest.mark.parametrize(
    ("text", "formula", "claim"),
    [
        (
            "Amazon has 2.2 GW under way, costing $11 billion.",
            "cost / power",
            ("cost_per_gw", "cost_per_gw_elsewhere"),
        ),
        (
            "It plans to invest $1.4 trillion to develop 30 gigawatts of computing power.",
            "investment / computing_power",
            ("investment_per_gw", "investment_per_gw_elsewhere"),
        ),
        (
            "Foxconn ships 2,000 racks a week to 25 million U.S. homes.",
            "racks_per_week / homes",
            ("racks_per_week_per_homes", "racks_per_week_per_homes_elsewhere"),
        ),
    ],
)
def test_the_next_steps_comment_uses_the_names_the_file_has(tmp_path, text, formula, claim):
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    result = scaffold(article, tmp_path / "a.yaml")
    written = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    comment = "\n".join(line[2:] for line in written.splitlines() if line.startswith("#   "))
    assert f"  formula: {formula}\n" in comment
    assert f"    claimed: {claim[0]}\n    implied: {claim[1]}\n" in comment
    names = {name for name, _ in result.inputs}
    assert set(formula.split(" / ")) <= names and claim[0] != claim[1]


def test_one_figure_gets_advice_without_made_up_names(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("It draws 30 GW.", encoding="utf-8")
    scaffold(article, tmp_path / "a.yaml")
    written = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert "formula:" not in written and "# Next: add derived quantities" in written


@pytest.mark.parametrize(
    ("text", "date", "described"),
    [
        ("Racks ship.\nIt draws 30 GW.", "unknown", "date unknown"),
        ("Racks ship.\nOn November 3, 2025 it drew 30 GW.", "2025-11-03", "2025-11-03"),
    ],
)
def test_the_catalogue_entry_never_dates_the_article_today(tmp_path, text, date, described):
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    result = scaffold(article, tmp_path / "a.yaml")
    entry = yaml.safe_load(result.catalogue.read_text(encoding="utf-8"))["seeds"][result.source_id]
    assert str(entry["date"]) == date
    assert ("the date is unknown: fill it in" in entry["note"]) == (date == "unknown")
    source = load_scenario(tmp_path / "a.yaml").catalogue.sources[result.source_id]
    assert described in source.describe()


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "The campus will power as many as 1 million homes.",
            [
                "claims:",
                "  homes_claim:",
                '    text: "The campus will power as many as 1 million homes"',
                "    claimed: homes",
                '    bound: at_most   # from "as many as 1 million homes"',
            ],
        ),
        (
            "It will cost $11 billion and use more than 2.2 gigawatts of electricity.",
            [
                "    claimed: cost_per_gw",
                '    bound: at_most   # from "more than 2.2 gigawatts"',
                "    implied: cost_per_gw_elsewhere",
                "  electricity_claim:",
                "    claimed: electricity",
                '    bound: at_least   # from "more than 2.2 gigawatts"',
            ],
        ),
    ],
)
def test_a_figure_the_article_bounds_gives_its_claim_a_bound(tmp_path, text, lines):
    """The qualifier calc extract keeps ("as many as", "more than") becomes the claim's
    bound (#13); $11 billion over more than 2.2 GW is at most $5 billion per GW."""
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    scaffold(article, tmp_path / "a.yaml")
    written = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    comment = [line[2:] for line in written.splitlines() if line.startswith("# ")]
    at = comment.index(lines[0])
    if lines[0] == "claims:":  # the whole claim, in order
        assert comment[at : at + len(lines)] == lines
    else:  # the ratio's claim, then the figure's own
        assert comment[at : at + 3] == lines[:3]
        start = comment.index(lines[3])
        assert [comment[start], comment[start + 2], comment[start + 3]] == lines[3:]


def test_the_bounded_claim_uncommented_loads_and_judges_the_bound(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The campus will power as many as 1 million homes.", encoding="utf-8")
    scaffold(article, tmp_path / "a.yaml")
    written = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    claim = written[written.index("# claims:") :]
    claim = "\n".join(line[2:] for line in claim.splitlines())
    claim = claim.replace("implied: ...", "implied: homes_elsewhere")
    inputs = (  # 1 GW runs 0.81 million homes at EIA's 2022 average
        "  power:\n    value: from reference\n    kind: reference\n"
        "    source: ref:nuclear-reactor-typical\n"
        "  household_use:\n    value: from reference\n    kind: reference\n"
        "    source: ref:eia-household-2022\n"
        "derived:\n  homes_elsewhere:\n    formula: power / household_use\n    unit: home\n"
    )
    text = written.replace("\n# Next:", inputs + "\n# Next:", 1) + claim + "\n"
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (verdict,) = load_scenario(tmp_path / "a.yaml").evaluate().verdicts
    assert verdict.claim.bound == "at_most"
    assert verdict.implied.to("home").magnitude == pytest.approx(8.76e9 / 10_791)
    assert verdict.describe() == "consistent (claimed at most, 1.23\u00d7)"


def test_the_suggested_money_per_power_claim_cites_the_library_and_runs(tmp_path):
    """The next-steps comment names a sourced library figure, not '...' to fill in (#18):
    uncommented as written, the file loads and judges $11 billion over more than 2.2 GW
    (at most $5 billion per GW) against the all-in $50-60 billion per GW."""
    article = tmp_path / "a.txt"
    article.write_text(
        "It will cost $11 billion and use more than 2.2 gigawatts of electricity.",
        encoding="utf-8",
    )
    scaffold(article, tmp_path / "a.yaml")
    written = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    head, _, comment = written.partition("# Next:")
    lines = [line[2:] for line in comment.splitlines() if line.startswith("#   ")]
    inputs = [line for line in lines if line.startswith("  cost_per_gw_elsewhere:")]
    at = lines.index(inputs[0])
    assert lines[at : at + 4] == [
        "  cost_per_gw_elsewhere:",
        "    value: from reference",
        "    kind: reference",
        "    source: ref:nvidia-cost-per-gw-2025",
    ]
    rest = [line[2:] for line in comment.splitlines() if line.startswith("# ")]
    derived = rest[rest.index("derived:") :]
    derived = derived[: derived.index("  electricity_claim:") - 1]  # its own claim: not here
    text = head + "\n".join(lines[at : at + 4]) + "\n" + "\n".join(derived) + "\n"
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (verdict,) = load_scenario(tmp_path / "a.yaml").evaluate().verdicts
    assert verdict.claim.bound == "at_most"
    assert verdict.claimed.to("USD/GW").magnitude == pytest.approx(5e9)
    assert verdict.verdict == "understated"
