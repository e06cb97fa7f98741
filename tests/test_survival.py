"""The cure-fraction survival model (widgets.models.survival)."""

import math

import pytest
from conftest import param_values
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import survival


# -- survival tails --------------------------------------------------------------------------
def test_exponential_and_cure_curves():
    assert survival.s_exponential(10.0, 10.0) == pytest.approx(0.5)
    assert survival.s_cure(0.0, 0.3, 0.1) == pytest.approx(1.0)
    assert survival.s_cure(1e4, 0.3, 0.1) == pytest.approx(0.3)
    assert survival.cure_median(0.0, math.log(2) / 12) == pytest.approx(12.0)
    assert survival.cure_median(0.5, 0.1) == math.inf


def test_fit_cure_passes_through_both_points():
    pi, lam = survival.fit_cure(26.3, 60.0, 0.319)
    assert survival.s_cure(26.3, pi, lam) == pytest.approx(0.5, abs=1e-9)
    assert survival.s_cure(60.0, pi, lam) == pytest.approx(0.319, abs=1e-9)
    assert 0 < pi < 0.319


def test_keynote024_tail_is_above_the_exponential():
    """Reck et al. 2021 (J Clin Oncol 39:2339), abstract: median OS 26.3 vs 13.4 months and
    5-year OS 31.9% vs 16.3%. Both arms keep more patients alive at 5 years than an
    exponential with the same median would; the chemotherapy arm's tail includes the 66%
    who crossed over to anti-PD-(L)1 therapy."""
    t = survival.tail_table()
    k = t[t["trial"] == "KEYNOTE-024"].set_index("arm")
    assert k.loc["pembrolizumab", "observed"] == pytest.approx(0.319)
    assert k.loc["chemotherapy", "observed"] == pytest.approx(0.163)
    assert (k["observed"] > k["exponential"]).all()
    assert k.loc["pembrolizumab", "pi"] > k.loc["chemotherapy", "pi"] > 0


def test_impact_has_no_plateau_to_fit():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: median 25.8 months and 36-month survival
    31.7% with sipuleucel-T: fewer than an exponential with that median (38%) -- no plateau."""
    t = survival.tail_table()
    r = t[(t["trial"] == "IMPACT") & (t["arm"] == "sipuleucel-T")].iloc[0]
    assert r["landmark"] == 36 and r["observed"] < r["exponential"]
    assert math.isnan(r["pi"])
    with pytest.raises(ValueError, match="no plateau"):
        survival.fit_cure(25.8, 36.0, 0.317)


@pytest.mark.parametrize(
    "args, name",
    [
        ((0, 60, 0.3), "median"),
        ((26, 20, 0.3), "landmark"),
        ((26, 60, 0.7), "s_land"),
        ((26, 60, float("nan")), "s_land"),
    ],
)
def test_fit_cure_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        survival.fit_cure(*args)


def test_landmark_months():
    assert survival.landmark_months("Kaplan-Meier 5-year OS 31.9%") == 60
    assert survival.landmark_months("36-month survival probability") == 36
    with pytest.raises(ValueError, match="landmark"):
        survival.landmark_months("median OS")


@settings(max_examples=40, deadline=None)
@given(param_values(survival.PARAMS, log_scale=False), st.floats(0, 600, allow_nan=False))
def test_cure_curves_finite_and_ordered(values, t):
    pi = values["cure_fraction"]
    lam = math.log(2) / values["median_uncured"]
    s = float(survival.s_cure(t, pi, lam))
    med = survival.cure_median(pi, lam)
    assert pi - 1e-12 <= s <= 1.0
    assert math.isfinite(med) and med >= values["median_uncured"] - 1e-9
    # same median, but the cure curve ends higher: after the median it lies above the exponential
    if t > med:
        assert s >= float(survival.s_exponential(t, med)) - 1e-12
