"""The book's statistics (widgets.stats): exact intervals, counts from printed percentages,
response rates, sample size, Kaplan-Meier curves and hazard ratios."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from test_cohort import DISTS, toy_model

from widgets import cohort, stats
from widgets.models import recist


# -- exact intervals -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "k, n",
    [(0, 17), (9, 25), (22, 38), (43, 270), (17, 17), (0, 10), (3, 10), (6, 15), (57, 200), (1, 1)],
)
def test_exact_ci_is_clopper_pearson(k, n):
    """The one implementation (beta quantiles, scalar or vectorised) equals scipy's
    binomtest(k, n).proportion_ci(method="exact")."""
    lo, hi = stats.exact_ci(k, n)
    ci = binomtest(k, n).proportion_ci(method="exact")
    assert (lo, hi) == pytest.approx((ci.low, ci.high), abs=1e-10)
    vlo, vhi = stats.exact_ci(np.array([k]), np.array([n]))
    assert (vlo[0], vhi[0]) == pytest.approx((lo, hi), abs=1e-14)
    assert lo <= k / n <= hi


def test_zero_of_seventeen_topalian_2012():
    """Topalian et al. 2012 (NEJM 366:2443), abstract: 0 of 17 PD-L1-negative tumours responded.
    An exact interval for 0 of 17 still reaches 19.5%: 'none' is not 'never'."""
    lo, hi = stats.exact_ci(0, 17)
    assert lo == 0.0
    assert 1 - (1 - hi) ** 17 == pytest.approx(0.975, abs=1e-9)  # the defining equation
    assert 100 * hi == pytest.approx(19.5, abs=0.05)


@pytest.mark.parametrize(
    "args, name",
    [
        ((-1, 10), "k"),
        ((11, 10), "exceed"),
        ((1, 0), "n"),
        ((1.5, 10), "k"),
        ((1, float("nan")), "n"),
        ((True, 10), "k"),
        (("3", 10), "k"),
    ],
)
def test_exact_ci_rejects_bad_counts(args, name):
    with pytest.raises(ValueError, match=name):
        stats.exact_ci(*args)


def test_exact_ci_rejects_bad_level():
    with pytest.raises(ValueError, match="level"):
        stats.exact_ci(3, 10, level=1.5)


# -- counts from percentages -----------------------------------------------------------------
@pytest.mark.parametrize(
    "pct, n, k",
    [(52, 93, 48), (40, 93, 37), (81, 75, 61), (83, 101, 84), (44.8, 154, 69), (27.8, 151, 42)],
)
def test_count_from_percent(pct, n, k):
    assert stats.count_from_percent(pct, n) == k


def test_count_from_percent_refuses_ambiguity_and_impossibility():
    with pytest.raises(ValueError, match="4 whole counts"):
        stats.count_from_percent(50, 301)  # 149 to 152 of 301 all round to 50%
    with pytest.raises(ValueError, match="0 whole counts"):
        stats.count_from_percent(44.1, 10)
    with pytest.raises(ValueError, match="percent"):
        stats.count_from_percent(120, 10)


# -- sample size -----------------------------------------------------------------------------
def test_width_shrinks_like_one_over_root_n():
    """Quadrupling n roughly halves the interval (normal approximation 2*1.96*sqrt(p(1-p)/n))."""
    w = stats.interval_width(0.3, [100, 400, 1600])
    assert w[1] / w[0] == pytest.approx(0.5, abs=0.04)
    assert w[2] / w[1] == pytest.approx(0.5, abs=0.03)
    assert w[2] == pytest.approx(2 * 1.96 * math.sqrt(0.21 / 1600), rel=0.03)


def test_n_for_width():
    n = stats.n_for_width(0.3, 0.20)
    assert stats.interval_width(0.3, n) <= 0.20 < stats.interval_width(0.3, n - 1)
    with pytest.raises(ValueError, match="width"):
        stats.n_for_width(0.3, 0)
    with pytest.raises(ValueError, match="width"):
        stats.n_for_width(0.3, 20)  # a proportion, not percentage points
    with pytest.raises(ValueError, match="rate"):
        stats.interval_width(1.3, 10)


# -- response rate: exact interval -----------------------------------------------------------------
def test_response_rate_known_values_baruch_and_davar():
    """Baruch et al. 2021 (Science, doi:10.1126/science.abb5920, abstract): 3 of 10; exact
    95% interval 6.7-65.2%. Davar et al. 2021 (doi:10.1126/science.abf3363): 6 of 15,
    interval 16.3-67.7%."""
    a = stats.response_rate(k=3, n=10)
    assert (round(100 * a.lo, 1), round(100 * a.hi, 1)) == (6.7, 65.2)
    b = stats.response_rate(k=6, n=15)
    assert (round(100 * b.lo, 1), round(100 * b.hi, 1)) == (16.3, 67.7)


def test_response_rate_from_results_and_errors():
    res = cohort.simulate_cohort(toy_model, DISTS, n=40, seed=2)
    rr = stats.response_rate(res)
    assert rr.k == int(res["best_response"].isin(recist.RESPONSES).sum()) and rr.n == 40
    for bad in (dict(k=5, n=3), dict(k=-1, n=3), dict(k=1.5, n=3), dict(k=1, n=0)):
        with pytest.raises(ValueError):
            stats.response_rate(**bad)
    with pytest.raises(ValueError):
        stats.response_rate(k=1, n=3, level=1.0)


# -- Kaplan–Meier ---------------------------------------------------------------------------------
def test_km_inputs_are_valid():
    res = cohort.simulate_cohort(toy_model, DISTS, n=60, seed=4)
    d, e = stats.km_inputs(res)
    assert d.dtype == float and e.dtype == bool and np.all(np.isfinite(d)) and np.all(d >= 0)
    assert e.sum() == res["progression_event"].sum()


@pytest.mark.parametrize(
    "column, value",
    [
        ("progression_time", -1.0),
        ("progression_time", np.nan),
        ("progression_time", np.inf),
        ("progression_event", 1),
        ("progression_event", "yes"),
    ],
)
def test_km_inputs_reject_invalid(column, value):
    res = cohort.simulate_cohort(toy_model, DISTS, n=10, seed=4)
    res[column] = res[column].astype(object)
    res.loc[3, column] = value
    with pytest.raises(ValueError, match=column):
        stats.km_inputs(res)


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    res = pd.DataFrame(
        {"progression_time": [10.0, 20.0, 30.0, 40.0], "progression_event": [True] * 4}
    )
    km = stats.kaplan_meier(res, label="toy")
    np.testing.assert_allclose(km.survival_function_at_times([15.0, 25.0, 45.0]), [0.75, 0.5, 0.0])
    assert stats.median_survival(res) == 20.0


@pytest.mark.parametrize("seed", range(12))
def test_km_curve_equals_lifelines(seed):
    """The figures' Kaplan-Meier arrays are lifelines' own numbers: ties, zero durations,
    everyone censored, everyone progressing, a curve that reaches 0."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 250))
    durations = np.round(rng.exponential(150.0, n), int(rng.integers(0, 3)))
    if seed % 3 == 0:
        durations[: n // 3] = 0.0
    if seed % 4 == 1:
        durations = np.minimum(durations, 365.0)
    events = rng.random(n) < [0.0, 1.0, 0.3, 0.7][seed % 4]
    res = pd.DataFrame({"progression_time": durations, "progression_event": events})
    km = stats.kaplan_meier(res, label="km")
    curve = stats.km_curve(res)
    band = km.confidence_interval_survival_function_
    np.testing.assert_array_equal(curve.time, km.survival_function_.index.to_numpy(float))
    np.testing.assert_array_equal(curve.survival, km.survival_function_["km"].to_numpy(float))
    np.testing.assert_array_equal(curve.lower, band.iloc[:, 0].to_numpy(float))
    np.testing.assert_array_equal(curve.upper, band.iloc[:, 1].to_numpy(float))
    assert curve.median == km.median_survival_time_ == stats.median_survival(res)
    times = np.unique(np.r_[durations, 0.5, 400.0])
    np.testing.assert_array_equal(
        curve.at(times), km.survival_function_at_times(times).to_numpy(float)
    )


def test_hazard_ratio_direction():
    a = pd.DataFrame(
        {"progression_time": np.linspace(50, 300, 40), "progression_event": [True] * 40}
    )
    b = pd.DataFrame(
        {"progression_time": np.linspace(10, 100, 40), "progression_event": [True] * 40}
    )
    hr = stats.hazard_ratio(a, b)
    assert hr["hr"] > 1 and hr["lo"] < hr["hr"] < hr["hi"]


# -- reading hazard ratios -------------------------------------------------------------------
def test_p_value_from_interval_kantoff_2010():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: HR 0.78 (95% CI 0.61 to 0.98), P = 0.03.
    The normal approximation on the log scale recovers a p-value near the reported one."""
    r = stats.hazard_ratio_p_value(0.78, 0.61, 0.98)
    assert not r["interval_contains_1"]
    assert r["p_two_sided"] < 0.05
    assert r["p_two_sided"] == pytest.approx(0.03, abs=0.015)


def test_p_value_from_interval_crossing_one():
    """An interval that contains 1 means p > 0.05: e.g. HR 0.561 (95% CI 0.309 to 1.017),
    two-sided P = 0.053, as reported for KEYNOTE-942 (Weber et al. 2024)."""
    r = stats.hazard_ratio_p_value(0.561, 0.309, 1.017)
    assert r["interval_contains_1"]
    assert 0.05 < r["p_two_sided"] < 0.07
    # symmetry on the log scale: the point estimate is the geometric middle of a fitted CI
    r2 = stats.hazard_ratio_p_value(1.0, 0.5, 2.0)
    assert r2["p_two_sided"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "args", [(0.5, 0.6, 0.9), (-1, 0.1, 2), (0.5, 0.1, float("nan")), (0.5, 0.3, 0.9, 1.5)]
)
def test_p_value_bad_input(args):
    with pytest.raises(ValueError):
        stats.hazard_ratio_p_value(*args)


def test_chance_counts_binomial_ten_patients_at_thirty_percent():
    c = stats.chance_counts(0.3, 10)
    assert c["pmf"].sum() == pytest.approx(1.0)
    # P(K = 1) = 10 * 0.3 * 0.7**9, P(K = 5) = 252 * 0.3**5 * 0.7**5
    assert c["pmf"][1] == pytest.approx(10 * 0.3 * 0.7**9)
    assert c["pmf"][5] == pytest.approx(252 * 0.3**5 * 0.7**5)
    assert (c["low"], c["high"]) == (0, 6)
    assert c["pmf"][c["low"] : c["high"] + 1].sum() >= 0.95


@pytest.mark.parametrize("args", [(1.2, 10), (-0.1, 10), (0.3, 0), (0.3, 2.5), (0.3, 10, 1.0)])
def test_chance_counts_bad_input(args):
    with pytest.raises(ValueError):
        stats.chance_counts(*args)
