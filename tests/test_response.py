"""Response rates, exact intervals, sample size, survival tails (widgets.models.response) and
the figures of chapter 10 (widgets.views.response)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import widgets  # noqa: F401  (sets the book renderer)
from widgets.models import response as rs
from widgets.views import response as views
from conftest import param_values


# -- exact intervals -------------------------------------------------------------------------
def test_exact_ci_matches_scipy_and_beta_form():
    """Clopper-Pearson from scipy's binomtest equals the vectorised beta-quantile form."""
    for k, n in [(0, 17), (9, 25), (22, 38), (43, 270), (17, 17)]:
        lo, hi = rs.exact_ci(k, n)
        vlo, vhi = rs.exact_ci_many([k], [n])
        assert (lo, hi) == pytest.approx((vlo[0], vhi[0]), abs=1e-10)
        assert lo <= k / n <= hi


def test_zero_of_seventeen_topalian_2012():
    """Topalian et al. 2012 (NEJM 366:2443), abstract: 0 of 17 PD-L1-negative tumours responded.
    An exact interval for 0 of 17 still reaches 19.5%: 'none' is not 'never'."""
    lo, hi = rs.exact_ci(0, 17)
    assert lo == 0.0
    assert 1 - (1 - hi) ** 17 == pytest.approx(0.975, abs=1e-9)  # the defining equation
    assert 100 * hi == pytest.approx(19.5, abs=0.05)


def test_atkins_1999_interval_matches_the_paper():
    """Atkins et al. 1999 (J Clin Oncol 17:2105), abstract: ORR 16% (95% CI 12% to 21%) with
    17 CR + 26 PR of 270 patients; the exact interval rounds to the published one."""
    t = rs.response_table()
    r = t[(t["trial"].str.contains("Atkins")) & (t["endpoint"] == "objective response")].iloc[0]
    assert (r["k"], r["n"]) == (43, 270)
    assert round(r["rate"]) == 16
    assert (round(r["ci_low"]), round(r["ci_high"])) == (12, 21)


def test_juliet_interval_matches_the_paper():
    """Schuster et al. 2019 (NEJM 380:45), abstract: best ORR 52% (95% CI 41 to 62) of 93.
    The reconstructed count (48) gives the published interval."""
    t = rs.response_table()
    r = t[(t["trial"] == "JULIET") & (t["endpoint"] == "objective response")].iloc[0]
    assert r["reconstructed"] and (r["k"], r["n"]) == (48, 93)
    assert (round(r["ci_low"]), round(r["ci_high"])) == (41, 62)


@pytest.mark.parametrize("args, name", [((-1, 10), "k"), ((11, 10), "exceed"), ((1, 0), "n"),
                                        ((1.5, 10), "k"), ((1, float("nan")), "n"),
                                        ((True, 10), "k"), (("3", 10), "k")])
def test_exact_ci_rejects_bad_counts(args, name):
    with pytest.raises(ValueError, match=name):
        rs.exact_ci(*args)


def test_exact_ci_rejects_bad_level():
    with pytest.raises(ValueError, match="level"):
        rs.exact_ci(3, 10, level=1.5)


# -- counts from percentages -----------------------------------------------------------------
@pytest.mark.parametrize("pct, n, k", [(52, 93, 48), (40, 93, 37), (81, 75, 61), (83, 101, 84),
                                       (44.8, 154, 69), (27.8, 151, 42)])
def test_reconstruct_count(pct, n, k):
    assert rs.reconstruct_count(pct, n) == k


def test_reconstruct_count_refuses_ambiguity_and_impossibility():
    with pytest.raises(ValueError, match="4 whole counts"):
        rs.reconstruct_count(50, 301)  # 149 to 152 of 301 all round to 50%
    with pytest.raises(ValueError, match="0 whole counts"):
        rs.reconstruct_count(44.1, 10)
    with pytest.raises(ValueError, match="percent"):
        rs.reconstruct_count(120, 10)


def test_response_table_covers_every_class_and_reports_counts():
    t = rs.response_table()
    assert set(t["class"]) >= {"checkpoint inhibitor", "CAR-T / cell therapy", "cytokine",
                              "oncolytic virus"}
    assert (t["ci_low"] <= t["rate"]).all() and (t["rate"] <= t["ci_high"]).all()
    # complete responses inside an objective-response row become rows of their own
    cr = t[(t["trial"] == "OPTiM") & (t["endpoint"] == "complete response")]
    assert sorted(zip(cr["k"], cr["n"])) == [(1, 141), (50, 295)]
    assert t["subgroup"].sum() == 4


def test_filters():
    t = rs.response_table()
    all_ = rs.filter_responses(t, {})
    assert not all_["subgroup"].any()
    only_cart = rs.filter_responses(t, {f"show_{s}": s == "cart" for s in rs.CLASSES.values()})
    assert set(only_cart["class"]) == {"CAR-T / cell therapy"}
    mel = rs.filter_responses(t, {f"cancer_{g}": g == "melanoma" for g in rs.CANCER_GROUPS})
    assert set(mel["group"]) == {"melanoma"}
    cr = rs.filter_responses(t, {"complete": True})
    assert set(cr["endpoint"]) == {"complete response"}
    with pytest.raises(ValueError, match="show_cart"):
        rs.filter_responses(t, {"show_cart": "yes"})


# -- sample size -----------------------------------------------------------------------------
def test_width_shrinks_like_one_over_root_n():
    """Quadrupling n roughly halves the interval (normal approximation 2*1.96*sqrt(p(1-p)/n))."""
    w = rs.interval_width(0.3, [100, 400, 1600])
    assert w[1] / w[0] == pytest.approx(0.5, abs=0.04)
    assert w[2] / w[1] == pytest.approx(0.5, abs=0.03)
    assert w[2] == pytest.approx(100 * 2 * 1.96 * math.sqrt(0.21 / 1600), rel=0.03)


def test_n_for_width():
    n = rs.n_for_width(0.3, 20)
    assert rs.interval_width(0.3, n) <= 20 < rs.interval_width(0.3, n - 1)
    with pytest.raises(ValueError, match="width"):
        rs.n_for_width(0.3, 0)
    with pytest.raises(ValueError, match="rate"):
        rs.interval_width(1.3, 10)


# -- survival tails --------------------------------------------------------------------------
def test_exponential_and_cure_curves():
    assert rs.s_exponential(10.0, 10.0) == pytest.approx(0.5)
    assert rs.s_cure(0.0, 0.3, 0.1) == pytest.approx(1.0)
    assert rs.s_cure(1e4, 0.3, 0.1) == pytest.approx(0.3)
    assert rs.cure_median(0.0, math.log(2) / 12) == pytest.approx(12.0)
    assert rs.cure_median(0.5, 0.1) == math.inf


def test_fit_cure_passes_through_both_points():
    pi, lam = rs.fit_cure(26.3, 60.0, 0.319)
    assert rs.s_cure(26.3, pi, lam) == pytest.approx(0.5, abs=1e-9)
    assert rs.s_cure(60.0, pi, lam) == pytest.approx(0.319, abs=1e-9)
    assert 0 < pi < 0.319


def test_keynote024_tail_is_above_the_exponential():
    """Reck et al. 2021 (J Clin Oncol 39:2339), abstract: median OS 26.3 vs 13.4 months and
    5-year OS 31.9% vs 16.3%. Both arms keep more patients alive at 5 years than an
    exponential with the same median would; the chemotherapy arm's tail includes the 66%
    who crossed over to anti-PD-(L)1 therapy."""
    t = rs.tail_table()
    k = t[t["trial"] == "KEYNOTE-024"].set_index("arm")
    assert k.loc["pembrolizumab", "observed"] == 31.9 and k.loc["chemotherapy", "observed"] == 16.3
    assert (k["observed"] > k["exponential"]).all()
    assert k.loc["pembrolizumab", "pi"] > k.loc["chemotherapy", "pi"] > 0


def test_impact_has_no_plateau_to_fit():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: median 25.8 months and 36-month survival
    31.7% with sipuleucel-T: fewer than an exponential with that median (38%) -- no plateau."""
    t = rs.tail_table()
    r = t[(t["trial"] == "IMPACT") & (t["arm"] == "sipuleucel-T")].iloc[0]
    assert r["landmark"] == 36 and r["observed"] < r["exponential"]
    assert math.isnan(r["pi"])
    with pytest.raises(ValueError, match="no plateau"):
        rs.fit_cure(25.8, 36.0, 0.317)


@pytest.mark.parametrize("args, name", [((0, 60, 0.3), "median"), ((26, 20, 0.3), "landmark"),
                                        ((26, 60, 0.7), "s_land"), ((26, 60, float("nan")), "s_land")])
def test_fit_cure_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        rs.fit_cure(*args)


def test_landmark_months():
    assert rs.landmark_months("Kaplan-Meier 5-year OS 31.9%") == 60
    assert rs.landmark_months("36-month survival probability") == 36
    with pytest.raises(ValueError, match="landmark"):
        rs.landmark_months("median OS")


@settings(max_examples=40, deadline=None)
@given(param_values(rs.CURE_PARAMS, log_scale=False),
       st.floats(0, 600, allow_nan=False))
def test_cure_curves_finite_and_ordered(values, t):
    pi = values["cure_fraction"]
    lam = math.log(2) / values["median_uncured"]
    s = float(rs.s_cure(t, pi, lam))
    med = rs.cure_median(pi, lam)
    assert pi - 1e-12 <= s <= 1.0
    assert math.isfinite(med) and med >= values["median_uncured"] - 1e-9
    # same median, but the cure curve ends higher: after the median it lies above the exponential
    if t > med:
        assert s >= float(rs.s_exponential(t, med)) - 1e-12


@settings(max_examples=40, deadline=None)
@given(param_values(rs.SAMPLE_PARAMS, log_scale=False))
def test_sample_size_finite(values):
    w = rs.interval_width(values["rate"], rs.N_GRID, values["level"])
    assert np.all(np.isfinite(w)) and np.all(w > 0) and np.all(w <= 100)
    fig = views.sample_size_view.figure(**values)
    assert len(fig.data) == 3


@settings(max_examples=40, deadline=None)
@given(param_values(rs.TMB_PARAMS, log_scale=False))
def test_neoantigen_by_tmb_finite_and_rising(values):
    from widgets.models import neoantigen
    f = neoantigen.presented_fraction(values["per_allele"], values["hla_alleles"])
    p = rs.p_neoantigen_by_tmb(np.geomspace(0.1, 100, 50), values["megabases"], f,
                               values["immunogenic"])
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= -1e-12)


def test_tmb_threshold_from_goodman_2017():
    """Goodman et al. 2017 (Mol Cancer Ther 16:2598), abstract: high TMB is >= 20 mutations/Mb."""
    assert rs.tmb_threshold() == 20.0


def test_parameter_errors_name_the_parameter():
    with pytest.raises(ValueError, match="cure_fraction"):
        views.tail_view.figure(cure_fraction=0.9)
    with pytest.raises(ValueError, match="'n'"):
        views.sample_size_view.figure(n=2)
    with pytest.raises(ValueError, match="megabases"):
        views.biomarker_view.figure(megabases=float("nan"))


# -- views -----------------------------------------------------------------------------------
def test_forest_scenarios_and_live():
    fig = views.forest_view.scenarios(views.FOREST_SCENARIOS, label="Show")
    n = len(views.forest_view.figure().data)
    assert len(fig.data) == len(views.FOREST_SCENARIOS) * n
    assert [s.label for s in fig.layout.sliders[0].steps] == list(views.FOREST_SCENARIOS)
    live = views.forest_view.live(controls=["show_checkpoint", "show_cart", "complete"])
    live.redraw(show_cart=False)
    assert len(live.figure.data[1].x) == 0  # no CAR-T arm left
    live.redraw(show_cart=True, complete=True)
    assert "complete" in live.figure.layout.title.subtitle.text


def test_forest_empty_selection_says_so():
    off = {f"show_{s}": False for s in rs.CLASSES.values()}
    fig = views.forest_view.figure(**off)
    assert "No arm matches" in fig.layout.meta["description"]


def test_tail_view_scenarios_use_the_fits():
    sc = views.tail_scenarios()
    assert "fit to KEYNOTE-024, pembrolizumab" in sc and "no plateau" in sc
    assert not any("IMPACT" in name for name in sc)
    fig = views.tail_view.scenarios(sc, label="Curve")
    assert len(fig.layout.sliders[0].steps) == len(sc)
    live = views.tail_view.live()
    live.redraw(cure_fraction=0.0)
    assert np.allclose(live.figure.data[0].y, live.figure.data[1].y)


def test_static_explorers_have_steps():
    fig = views.sample_size_view.static("n", [10, 40, 250])
    assert len(fig.data) == 9
    fig = views.biomarker_view.static("immunogenic", [0.02, 0.1, 0.5])
    assert len(fig.layout.sliders[0].steps) == 3


# -- exercises -------------------------------------------------------------------------------
@pytest.mark.parametrize("ex", ["10.1", "10.2", "10.3"])
def test_exercises_check(ex, capsys):
    from widgets.checks import check, feedback, get

    assert check(ex, get(ex).solution())
    assert "✔" in capsys.readouterr().out
    ok, _ = feedback(ex, {"wrong": 1})
    assert not ok
