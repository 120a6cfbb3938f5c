from __future__ import annotations

import pytest

from calc.claims import _verdict


@pytest.mark.parametrize(
    ("claimed", "implied", "tolerance", "stated", "expected"),
    [
        (25.0, 24.35, 0.10, False, (25 / 24.35, "consistent")),
        (110.0, 100.0, 0.10, False, (1.1, "consistent")),   # the edge is inside
        (90.0, 100.0, 0.10, False, (0.9, "consistent")),
        (111.0, 100.0, 0.10, False, (1.11, "overstated")),
        (89.0, 100.0, 0.10, False, (0.89, "understated")),
        (200.0, 100.0, 0.10, True, (2.0, "conflict")),
        (5e9, 0.0, 0.10, True, (None, "conflict")),
        (5e9, 0.0, 0.10, False, (None, "overstated")),
        (0.0, 0.0, 0.10, True, (None, "consistent")),
        (-1.0, 0.0, 0.10, False, (None, "understated")),
    ],
)
def test_verdict_rules(claimed, implied, tolerance, stated, expected):
    ratio, verdict = _verdict(claimed, implied, tolerance, stated)
    assert verdict == expected[1]
    assert ratio == (None if expected[0] is None else pytest.approx(expected[0]))


def test_overstated_claim_in_a_scenario(variant):
    import calc

    # a stated value must be what its quote says (#19); as an assumption it may differ
    path = variant(("value: 25 million homes\n    kind: stated",
                    "value: 50 million homes\n    kind: assumption\n    note: what if"))
    judged = {v.name: v for v in calc.load_scenario(path).evaluate().verdicts}
    homes = judged["homes_equivalence"]
    assert homes.verdict == "overstated"
    assert homes.ratio == pytest.approx(50e6 / (30e6 / (10791 / 8760)))
    assert homes.describe() == "overstated 2.05\u00d7"


def test_claim_sides_of_different_dimensions_are_refused(variant):
    import calc
    from calc.errors import UnitError

    path = variant(("implied: industry_cost_per_gw",
                    "implied: industry_cost_per_gw * pue / pue * rack_count"))
    with pytest.raises(UnitError, match=r"claimed cost_per_gw is a cost per unit of power "
                       r"\(billion USD/GW\) but implied .* both sides of a claim need the "
                       r"same dimension"):
        calc.load_scenario(path)
