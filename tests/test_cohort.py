"""The virtual-cohort engine (widgets.cohort) and its figures (widgets.views.cohort)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from widgets import cohort
from widgets.models import recist
from widgets.views import cohort as views

DISTS = {
    "x": cohort.LogNormal(median=1.0, sigma=0.5, lo=0.0, hi=5.0),
    "y": cohort.Beta(a=2.0, b=3.0),
    "z": cohort.Uniform(10.0, 20.0),
    "w": cohort.Normal(0.0, 1.0, lo=-1.0, hi=1.0),
    "flag": cohort.Choice([False, True], p=[0.25, 0.75]),
    "c": cohort.Fixed(3.0),
}


def toy_model(p: dict) -> dict:
    """A deterministic toy: shrinks when x is large, progresses later when y is small."""
    change = float(np.clip(60.0 - 60.0 * p["x"], -100.0, 100.0))
    cat = (
        "complete response"
        if change <= -99
        else "partial response"
        if change <= -30
        else "progressive disease"
        if change >= 20
        else "stable disease"
    )
    t = 30.0 + 300.0 * p["y"]
    return {
        "best_change_pct": change,
        "best_response": cat,
        "progression_time": min(t, 300.0),
        "progression_event": t < 300.0,
        "response_time": 42.0 if cat in recist.RESPONSES else float("nan"),
    }


# -- sampling -----------------------------------------------------------------------------------
def test_same_seed_same_patients_and_results():
    a = cohort.simulate_cohort(toy_model, DISTS, n=50, seed=7)
    b = cohort.simulate_cohort(toy_model, DISTS, n=50, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = cohort.sample_patients(DISTS, n=50, seed=8)
    assert not np.allclose(a["x"], c["x"])


def test_draws_use_default_rng_in_declared_order():
    """The draws are numpy.random.default_rng(seed), parameter by parameter, through the
    frozen scipy.stats distributions; a draw outside a truncated distribution's bounds is
    replaced from a child stream, which leaves the later parameters' draws unchanged."""
    rng = np.random.default_rng(11)
    x = stats.lognorm(s=0.5, scale=1.0).rvs(size=20, random_state=rng)
    assert (x < 5.0).all()  # none outside here: the draws are the distribution's own
    y = stats.beta(2.0, 3.0).rvs(size=20, random_state=rng)
    pts = cohort.sample_patients({"x": DISTS["x"], "y": DISTS["y"]}, n=20, seed=11)
    np.testing.assert_allclose(pts["x"], x, rtol=1e-15)
    np.testing.assert_array_equal(pts["y"], y)
    assert list(pts["patient"]) == list(range(20))
    # with a bound that some draws cross, only those draws change
    tight = cohort.sample_patients(
        {"x": cohort.LogNormal(1.0, 0.5, hi=1.2), "y": DISTS["y"]}, n=20, seed=11
    )
    inside = x <= 1.2
    assert 0 < inside.sum() < 20
    np.testing.assert_allclose(tight["x"][inside], x[inside], rtol=1e-15)
    assert (tight["x"][~inside] <= 1.2).all()
    np.testing.assert_allclose(tight["y"], y, rtol=1e-15)


def test_truncation_puts_no_mass_on_a_bound():
    """A truncated distribution is the distribution conditioned on lying inside its bounds:
    no draw sits exactly on a bound (clipping would put the whole tail there), and the
    draws follow the truncated CDF (Kolmogorov-Smirnov)."""
    d = cohort.LogNormal(median=0.5, sigma=0.8, hi=1.0)
    x = d.sample(np.random.default_rng(3), 5000)
    assert x.max() < 1.0 and (x == 1.0).sum() == 0
    full = stats.lognorm(s=0.8, scale=0.5)
    cdf = lambda v: full.cdf(v) / full.cdf(1.0)  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 0.01
    with pytest.raises(ValueError, match="lo < hi"):
        cohort.Normal(0.0, 1.0, lo=2.0, hi=1.0)


def test_distributions_respect_bounds_and_moments():
    pts = cohort.sample_patients(DISTS, n=4000, seed=1)
    assert pts["x"].between(0, 5).all() and pts["w"].between(-1, 1).all()
    assert pts["y"].between(0, 1).all() and pts["z"].between(10, 20).all()
    assert pts["y"].mean() == pytest.approx(0.4, abs=0.02)  # beta(2, 3) mean
    assert np.median(pts["x"]) == pytest.approx(1.0, rel=0.05)
    assert pts["flag"].mean() == pytest.approx(0.75, abs=0.03)
    assert (pts["c"] == 3.0).all()
    table = cohort.describe(DISTS)
    assert "log-normal" in table.loc["x", "distribution"]


@pytest.mark.parametrize(
    "bad",
    [
        lambda: cohort.LogNormal(median=-1, sigma=1),
        lambda: cohort.Beta(a=0, b=1),
        lambda: cohort.Uniform(2, 1),
        lambda: cohort.Normal(0, 0),
        lambda: cohort.Normal(float("nan"), 1),
        lambda: cohort.Choice([1, 2], p=[0.5, 0.6]),
        lambda: cohort.sample_patients(DISTS, n=0, seed=1),
        lambda: cohort.sample_patients(DISTS, n=10, seed=-1),
        lambda: cohort.sample_patients(DISTS, n=2.5, seed=1),
        lambda: cohort.sample_patients({"x": 3.0}, n=10, seed=1),
    ],
)
def test_bad_distributions_and_sizes_raise(bad):
    with pytest.raises(ValueError):
        bad()


# -- running --------------------------------------------------------------------------------------
def test_run_adds_fixed_responder_and_label():
    pts = cohort.sample_patients(DISTS, n=30, seed=3)
    res = cohort.run(toy_model, pts, fixed={"dose": 3.0}, label="toy")
    assert len(res) == 30 and (res["scenario"] == "toy").all() and (res["dose"] == 3.0).all()
    assert res["responder"].equals(res["best_response"].isin(recist.RESPONSES))
    assert res["progression_event"].dtype == bool


@pytest.mark.parametrize(
    "broken, key",
    [
        (
            {
                "best_response": "partial response",
                "progression_time": 1.0,
                "progression_event": True,
            },
            "best_change_pct",
        ),
        (
            {
                "best_change_pct": -10.0,
                "best_response": "shrinking",
                "progression_time": 1.0,
                "progression_event": True,
            },
            "best_response",
        ),
        (
            {
                "best_change_pct": -10.0,
                "best_response": "stable disease",
                "progression_time": -1.0,
                "progression_event": True,
            },
            "progression_time",
        ),
        (
            {
                "best_change_pct": -10.0,
                "best_response": "stable disease",
                "progression_time": math.inf,
                "progression_event": True,
            },
            "progression_time",
        ),
        (
            {
                "best_change_pct": -10.0,
                "best_response": "stable disease",
                "progression_time": 5.0,
                "progression_event": 1,
            },
            "progression_event",
        ),
        (
            {
                "best_change_pct": float("nan"),
                "best_response": "stable disease",
                "progression_time": 5.0,
                "progression_event": False,
            },
            "best_change_pct",
        ),
    ],
)
def test_run_rejects_bad_summaries_naming_patient_and_key(broken, key):
    pts = cohort.sample_patients({"x": cohort.Fixed(1.0)}, n=3, seed=0)
    with pytest.raises(ValueError, match=f"patient 0.*{key}"):
        cohort.run(lambda p: broken, pts)


# -- summarising a trajectory ---------------------------------------------------------------------
def test_summarise_trajectory_uses_recist_at_scans():
    t = np.linspace(0, 365, 366)
    d = 40.0 * np.where(t < 100, 1 - 0.004 * t, 0.6 + 0.006 * (t - 100))  # shrink then regrow
    s = recist.summarise_trajectory(t, d, 40.0, scan_every=42)
    assert s["best_response"] == "partial response"
    assert s["response_time"] == 84.0
    scans = np.arange(42, 366, 42)
    cats = recist.categories_over_time(np.interp(scans, t, d), 40.0)
    first_pd = scans[cats.index("progressive disease")]
    assert s["progression_event"] and s["progression_time"] == first_pd == 168
    flat = recist.summarise_trajectory(t, np.full_like(t, 40.0), 40.0, scan_every=42)
    assert flat["progression_event"] is False and flat["progression_time"] == 336.0
    assert flat["best_response"] == "stable disease" and math.isnan(flat["response_time"])
    with pytest.raises(ValueError):
        recist.summarise_trajectory(t, d[:-1], 40.0)


# -- figures --------------------------------------------------------------------------------------
def test_figures_have_fixed_traces_and_descriptions():
    res = cohort.simulate_cohort(toy_model, DISTS, n=40, seed=5)
    ref = cohort.simulate_cohort(toy_model, {**DISTS, "x": cohort.Fixed(0.2)}, n=40, seed=5)
    wf = views.waterfall_figure(res)
    assert len(wf.data) == 4 and sum(len(t.x) for t in wf.data) == 40
    assert "virtual cohort" in wf.layout.meta["description"]
    km = views.km_figure({"a": res, "b": ref})
    assert len(km.data) == 6
    sw = views.swimmer_figure(res, max_patients=20)
    assert len(sw.data) == 8 and len(sw.data[0].y) == 20
    assert [t.name for t in sw.data[4:]] == [f"best response {k}" for k in ("CR", "PR", "SD", "PD")]
    both = views.cohort_figure(res, ref, name="toy", reference_name="ref")
    alone = views.cohort_figure(res)
    assert len(both.data) == len(alone.data) == 10
    assert "response rate" in both.layout.title.text.lower()
