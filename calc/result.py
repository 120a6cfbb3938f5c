"""The Result facade: an evaluated scenario with the views a notebook wants.

``calc.domain.result.Result`` is the data (values, samples, verdicts, lineage); this
subclass adds text and HTML display, tidy tables, plots and explanations, which live in
the layers above the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calc.domain import result
from calc.domain.overrides import what_if_note
from calc.domain.verdicts import Verdicts
from calc.errors import CalcError
from calc.render.text import render_run

if TYPE_CHECKING:
    from calc.analysis.explain import Explanation


class Result(result.Result):
    """A mapping from each quantity's name to its value, a pint Quantity (see
    ``calc.domain.result.Result``), with ``summary``, ``to_frame``, ``plot``,
    ``explain`` and notebook display."""

    @property
    def verdicts(self) -> Verdicts:
        """The claims judged: a tuple of Verdicts, shown in a notebook as one table."""
        return self._verdicts

    @verdicts.setter
    def verdicts(self, verdicts: tuple[Any, ...]) -> None:
        self._verdicts = Verdicts(verdicts, self.scenario.catalogue)

    @property
    def title(self) -> str:
        """The scenario's title, and for a what-if what was changed and what it was:
        "... build-out: what if rack_power = 600 kW/rack (was 120 kW/rack)"."""
        note = what_if_note(self.scenario)
        return f"{self.scenario.title}: {note}" if note else self.scenario.title

    def summary(self) -> Any:
        """A tidy table: each quantity's point, 5th/50th/95th percentiles, mean and unit.

        A pandas DataFrame where pandas is installed, else a list of dicts. It holds the
        raw numbers and displays them as the terminal does (name as the row label).
        """
        from calc.analysis.tables import tidy

        return tidy(self._summary_records(), index="name")

    def _summary_quantities(self) -> dict[str, dict[str, Any]]:
        """Each quantity's point, and p5, p50, p95 and mean when sampled, as floats in
        one unit with scale words folded in (1.4e12 USD), beside that ``unit``."""
        from calc.units.registry import fold_scale_words

        summaries = {}
        for name in self:
            stats = self.stats(name)
            point = fold_scale_words(self._values[name])
            summary: dict[str, Any] = {"point": float(np.mean(point.magnitude))}
            if stats is not None:
                for key in ("p5", "p50", "p95", "mean"):
                    value = fold_scale_words(getattr(stats, key)).to(point.units)
                    summary[key] = float(value.magnitude)
            summaries[name] = summary | {"unit": point.units}
        return summaries

    def _summary_records(self) -> list[dict[str, Any]]:
        from calc.units.display import format_unit

        return [
            {"name": name} | summary | {"unit": format_unit(summary["unit"], plural=True)}
            for name, summary in self._summary_quantities().items()
        ]

    def to_pint_frame(self) -> Any:
        """Unit-aware columns (pint-pandas, the ``units`` extra): one column per quantity,
        of dtype ``pint[unit]``, and a row each for the point value and, when sampled,
        the mean and the 5th, 50th and 95th percentiles (empty for a fixed quantity).
        The numbers are ``to_frame``'s; a column converts with ``.pint.to(...)``.

        >>> import calc
        >>> r = calc.load_scenario(calc.default_scenario()).evaluate()
        >>> column = r.to_pint_frame()["cost_per_gw"]
        >>> print(column.dtype, f"{column.pint.to('USD/MW')['point'].magnitude:.4g}")
        pint[USD/GW][Float64] 4.667e+07
        """
        from calc.analysis.tables import unit_frame

        return unit_frame(self._summary_quantities(), rows=("point", "mean", "p5", "p50", "p95"))

    def __str__(self) -> str:
        return render_run(self, "table").rstrip("\n")

    def _repr_html_(self) -> str:
        from calc.render.html import result_html  # notebooks only: not for the command line

        return result_html(self)

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per quantity: name, value, p5, p50, p95 and mean
        when sampled, unit, kind, sources and formula. Values are in the unit shown,
        with scale words folded in (1.4e12 USD, not 1.4 trillion USD); a notebook
        displays them as the terminal does ('1.4 trillion').

        >>> import calc
        >>> r = calc.load_scenario(calc.default_scenario()).evaluate()
        >>> row = r.to_frame().set_index("name").loc["cost_per_gw"]
        >>> print(f"{row.value:.4g} {row.unit}")
        4.667e+10 USD/GW
        """
        from calc.analysis.tables import tidy

        try:
            import pandas  # noqa: F401
        except ImportError:
            raise CalcError(
                "to_frame needs pandas, which is not installed; install it with "
                "pip install 'infracalc[table]'"
            ) from None
        summary = {r["name"]: r for r in self._summary_records()}
        records = []
        for row in self.rows():
            numbers = summary[row.name]
            record = {"name": row.name, "value": numbers["point"]}
            record |= {k: numbers[k] for k in ("p5", "p50", "p95", "mean") if k in numbers}
            record |= {
                "unit": numbers["unit"],
                "kind": row.kind,
                "sources": ", ".join(row.sources),
                "formula": row.formula,
            }
            records.append(record)
        return tidy(records, index="name")

    def plot(self, names: str | Sequence[str]) -> Any:
        """Histograms of one or several sampled quantities, percentiles marked: a
        matplotlib Figure, not shown (a notebook displays it; ``fig.savefig`` writes it)."""
        from calc.render.plots import histogram_figure

        chosen = [names] if isinstance(names, str) else list(names)
        for name in chosen:
            self._known(name)
        if not self.sample_count:
            raise CalcError(
                "histograms need samples; evaluate with samples=N, for example "
                "s.evaluate(samples=10_000)"
            )
        return histogram_figure(self, chosen)

    def explain(self, name: str) -> Explanation:
        """The derivation tree of a quantity: formulas, values, inputs and their sources.

        ``print()`` it to read it; see :mod:`calc.explain`.
        """
        from calc.analysis.explain import explain

        return explain(self, name)
