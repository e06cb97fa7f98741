"""RECIST 1.1 categories (Eisenhauer et al. 2009, Eur J Cancer 45:228, section 4.3.1 / Table 1
of the response criteria for target lesions)."""

import numpy as np
import pytest

from widgets.models import recist


def test_thresholds_are_recist_1_1():
    """Eisenhauer 2009: PR >= 30% decrease from baseline; PD >= 20% increase from the nadir
    and >= 5 mm absolute."""
    assert recist.PR_CHANGE == -0.30
    assert recist.PD_CHANGE == 0.20
    assert recist.PD_ABSOLUTE_MM == 5.0


@pytest.mark.parametrize(
    "d, base, nadir, expected",
    [
        (0.0, 50.0, None, "complete response"),
        (35.0, 50.0, None, "partial response"),  # exactly -30%
        (35.5, 50.0, None, "stable disease"),  # -29%
        (60.0, 50.0, None, "progressive disease"),  # +20% and +10 mm
        (59.0, 50.0, None, "stable disease"),  # +18%
        (12.0, 10.0, None, "stable disease"),  # +20% but only +2 mm: not PD
        (36.0, 50.0, 30.0, "progressive disease"),  # still -28% from baseline, +20% from nadir
        (33.0, 50.0, 30.0, "partial response"),  # +10% from nadir only
    ],
)
def test_categorise(d, base, nadir, expected):
    assert recist.categorise(d, base, nadir) == expected


def test_cube_root_conversion():
    """Halving the volume shrinks the diameter by only about 21%."""
    assert recist.diameter_ratio(0.5, 1.0) == pytest.approx(0.5 ** (1 / 3))
    # a 30% diameter decrease needs a 65.7% volume decrease
    assert recist.diameter_ratio(0.343, 1.0) == pytest.approx(0.7)


def test_series_tracks_the_nadir_and_best_response():
    d = np.array([40, 30, 20, 25, 26, 40])
    cats = recist.categories_over_time(d, 40.0)
    assert cats[:3] == ["stable disease", "stable disease", "partial response"]
    assert cats[3] == "progressive disease"  # 25 mm is +25% and +5 mm from the 20 mm nadir
    assert recist.best_response(cats) == "partial response"


@pytest.mark.parametrize(
    "call",
    [
        lambda: recist.categorise(10.0, 0.0),
        lambda: recist.categorise(-1.0, 10.0),
        lambda: recist.diameter_ratio([1.0, -1.0], 1.0),
        lambda: recist.diameter_ratio([1.0, np.nan], 1.0),
        lambda: recist.diameter_ratio([1.0], 0.0),
        lambda: recist.best_response([]),
        lambda: recist.best_response(["cured"]),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()
