"""How values are written for people: three significant figures, thousands separated,
small values written out rather than as exponents, missing values as n/a."""

import math

from pathways.report.wording import estimate, number, numbers


def test_values_are_written_for_people():
    assert number(12345.6) == "12,346"
    assert number(0.5) == "0.5"
    assert number(1.23456) == "1.23"
    assert number(0.0) == "0"
    assert number(math.nan) == "n/a"


def test_small_values_are_never_exponents():
    assert number(1e-5) == "0.00001"
    assert number(-1.234e-5, signed=True) == "-0.0000123"
    assert number(2.5e-4, signed=True) == "+0.00025"


def test_a_share_is_stated_in_percent_with_its_interval():
    assert estimate("utilisation", 0.8, 0.75, 0.85) == "80 (75 to 85)"
    assert estimate("utilisation", 0.8, math.nan, math.nan) == "80"


def test_a_narrow_interval_gets_the_figures_it_needs_to_read_as_an_interval():
    # 1.2 (1.19 to 1.21) at three significant figures would read "1.2 (1.2 to 1.2)"
    assert estimate("handoffs_per_pathway", 1.2, 1.1951, 1.2049, signed=True) == (
        "+1.2 (+1.195 to +1.205)")
    assert numbers([1.2, 1.2, 1.2]) == ["1.2", "1.2", "1.2"]  # an empty interval stays so
    assert numbers([5.0, 4.0, 6.0]) == ["5", "4", "6"]  # no figures added where not needed
