"""calc new: a scaffold that shows every field and loads as it is."""

from __future__ import annotations

from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.io.schema import scenario_schema

runner = CliRunner()


def test_new_writes_a_scenario_that_loads_evaluates_and_checks(tmp_path):
    result = runner.invoke(app, ["new", "my-plan", "--dir", str(tmp_path)])
    path = tmp_path / "my-plan.yaml"
    assert result.exit_code == 0
    assert result.stdout == f"wrote {path}; try: calc run {path}\n"
    scenario = calc.load_scenario(path)
    assert scenario.title == "My plan"
    assert set(scenario.inputs) == {
        "planned_power",
        "homes_equivalent",
        "household_use",
        "rack_power",
        "pue",
    }
    assert {i.kind for i in scenario.inputs.values()} == {"stated", "reference", "assumption"}
    result = scenario.evaluate(samples=1000, seed=0)
    assert [v.verdict for v in result.verdicts] == ["consistent"]
    text = path.read_text()
    for field in (
        "extends:",
        "catalogue:",
        "range:",
        "distribution:",
        "also:",
        "tolerance:",
        "quote:",
        "note:",
    ):
        assert field in text, field


def test_the_scaffold_satisfies_the_schema(tmp_path):
    import jsonschema
    import yaml

    runner.invoke(app, ["new", "s", "--dir", str(tmp_path)])
    jsonschema.validate(yaml.safe_load((tmp_path / "s.yaml").read_text()), scenario_schema())


def test_new_never_overwrites_without_force(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("mine")
    result = runner.invoke(app, ["new", "x", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"calc: {path} already exists; choose another name or pass --force\n"
    assert path.read_text() == "mine"
    assert runner.invoke(app, ["new", "x", "--dir", str(tmp_path), "--force"]).exit_code == 0
    assert path.read_text().startswith("# X: a calc scenario.")


def test_new_refuses_odd_names(tmp_path):
    result = runner.invoke(app, ["new", "../evil", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        "calc: '../evil' is not a usable file name; use letters, digits, "
        "'-', '_' and '.', such as my-scenario\n"
    )


def test_the_template_claim_compares_two_routes_not_a_formula_with_itself(tmp_path):
    runner.invoke(app, ["new", "plan", "--dir", str(tmp_path)])
    scenario = calc.load_scenario(tmp_path / "plan.yaml")
    (claim,) = scenario.claims.values()
    claimed, implied = str(claim.claimed), str(claim.implied)
    formulas = {name: str(d.formula) for name, d in scenario.derived.items()}
    assert claimed != implied and formulas.get(claimed) != implied
    assert formulas.get(implied, implied) != formulas.get(claimed, claimed)
    (verdict,) = scenario.evaluate(samples=1000, seed=0).verdicts
    assert verdict.verdict == "consistent" and 0.05 < verdict.p_exceeds < 0.95


def test_new_writes_a_file_path_where_it_says(tmp_path, monkeypatch):
    """'calc new /somewhere/mine.yaml' wrote ./mine.yaml, away from where it was asked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    target = tmp_path / "elsewhere.yaml"
    for name, written in [
        (str(target), target),
        ("scenarios/mine.yaml", tmp_path / "scenarios" / "mine.yaml"),
    ]:
        result = runner.invoke(app, ["new", name])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"wrote {name};")
        assert calc.load_scenario(written).title == written.stem.capitalize()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.yaml", "scenarios"]
    result = runner.invoke(app, ["new", "nowhere/x.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith("calc: cannot write nowhere/x.yaml: the folder nowhere")
