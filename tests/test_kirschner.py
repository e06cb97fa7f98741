"""Tests of the Kirschner & Panetta (1998) tumour–effector–IL-2 model and its views.

Source: D. Kirschner, J. C. Panetta, "Modeling immunotherapy of the tumor-immune
interaction", J. Math. Biol. 37 (1998) 235-252, doi:10.1007/s002850050127; parameters as
curated in BioModels BIOMD0000000732.
"""

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import kirschner as K
from widgets.views import kirschner as V

DEFAULTS = K.PARAMS.defaults()


# ---------------------------------------------------------------------------------------
# the published parameters
# ---------------------------------------------------------------------------------------
def test_parameters_are_the_biomodels_values():
    """BioModels BIOMD0000000732 (curated Kirschner & Panetta 1998): note g1 = 2e7, not the
    2.0e-7 of a circulating Python transcription."""
    expected = dict(
        c=0.035,
        mu2=0.03,
        p1=0.1245,
        g1=2e7,
        r2=0.18,
        b=1e-9,
        a=1.0,
        g2=1e5,
        mu3=10.0,
        p2=5.0,
        g3=1e3,
        s1=0.0,
        s2=0.0,
    )
    for key, value in expected.items():
        assert DEFAULTS[key] == value, key
    assert K.PARAMS["c"].lo == 0.0 and K.PARAMS["c"].hi == 0.05


# ---------------------------------------------------------------------------------------
# published behaviour
# ---------------------------------------------------------------------------------------
def test_clearance_threshold_is_r2_g2_mu2_over_a():
    """Kirschner & Panetta 1998 (adoptive cellular immunotherapy, s1 > 0, s2 = 0): the
    tumour-free state is stable when s1 > r2*g2*mu2/a, which is 540 cells/day at the
    published values (reproduced in arXiv:1806.04752)."""
    assert K.clearance_supply() == pytest.approx(540.0)
    assert K.tumour_free_state(s1=0.99 * 540)["stable"] is False
    assert K.tumour_free_state(s1=1.01 * 540)["stable"] is True
    # the threshold does not involve c, p2, mu3 or any IL-2 parameter
    assert K.clearance_supply(c=0.0, p2=0.0, mu3=40.0) == pytest.approx(540.0)
    assert K.clearance_supply(r2=0.36) == pytest.approx(1080.0)


@pytest.mark.parametrize("c", [0.0, 0.01, 0.02, 0.035, 0.05])
def test_adoptive_input_above_threshold_clears_at_any_antigenicity(c):
    """Kirschner & Panetta 1998: with s1 above r2*g2*mu2/a the tumour is eliminated
    whatever the antigenicity c (here from one tumour cell, the chapter's start)."""
    assert K.outcome(c=c, s1=600.0) == "cleared"
    df = K.simulate(c=c, s1=600.0, days=600)
    assert df["T"].iloc[-1] < K.CLEARED


def test_below_threshold_the_tumour_persists():
    """Just below the threshold (s1 = 500) the tumour-free state is unstable: a
    non-antigenic tumour (c = 0) escapes, antigenic ones persist."""
    assert K.outcome(c=0.0, s1=500.0) == "escape"
    for c in (0.01, 0.035, 0.05):
        assert K.outcome(c=c, s1=500.0) == "controlled"


def test_antigenicity_regimes_without_treatment():
    """Kirschner & Panetta 1998 explain 'short tumor oscillations in tumor sizes as well as
    long-term tumor relapse' (abstract). Without treatment: c = 0 escapes to the carrying
    capacity; low antigenicity gives deep oscillations (the tumour falls below one cell and
    the continuous model regrows it); higher antigenicity holds the tumour at a persistent
    size, first oscillating (c = 0.025) then steady (c = 0.05)."""
    assert K.outcome(c=0.0) == "escape"
    for c in (0.01, 0.02):
        assert K.outcome(c=c) == "oscillating"
    run = K.long_run(c=0.02)
    assert run["T_late_min"] < 1.0 < 1e5 < run["T_late_max"]  # swings over 9 decades
    for c in (0.025, 0.035, 0.05):
        assert K.outcome(c=c) == "controlled"
    wide = K.long_run(c=0.025)
    steady = K.long_run(c=0.05)
    assert wide["T_late_max"] / wide["T_late_min"] > 100  # sustained oscillations
    assert steady["T_late_max"] / steady["T_late_min"] < 1.01  # a steady tumour


def test_il2_alone_clears_only_when_effectors_run_away():
    """IL-2 alone (s1 = 0, s2 > 0): at T = 0 there are no effector cells to sustain unless
    IL-2 drives their proliferation above their death, p1*I/(g1+I) > mu2 with I = s2/mu3,
    i.e. s2 > mu3*mu2*g1/(p1 - mu2) = 6.35e7 units/day: then they grow without limit
    (computed from the equations, not a statement of the paper)."""
    s2c = K.runaway_il2()
    assert s2c == pytest.approx(10 * 0.03 * 2e7 / (0.1245 - 0.03))
    assert K.tumour_free_state(s2=0.99 * s2c)["effector"] < 0
    assert K.tumour_free_state(s2=1.01 * s2c)["effector"] > 0
    assert K.outcome(c=0.0, s2=0.5 * s2c) == "escape"
    assert K.outcome(c=0.0, s2=2.0 * s2c) == "cleared"
    assert K.outcome(c=0.035, s2=1e7) == "controlled"


def test_removing_the_il2_feedback_barely_matters():
    """The tumour's own IL-2 (~1e4 units) is far below g1 = 2e7, so switching production
    off (p2 = 0) changes the long-run tumour by about 1%."""
    ratio = K.long_run(c=0.035, p2=0.0)["T_late_max"] / K.long_run(c=0.035)["T_late_max"]
    assert ratio == pytest.approx(1.0, abs=0.03)


def test_toxicity_index_is_illustrative_and_rises_with_il2():
    vals = [K.toxicity_index(s2=s) for s in (0.0, 1e6, 1e7, 1e8, 2e8)]
    assert vals[0] == 0.0
    assert all(b > a for a, b in zip(vals, vals[1:]))
    assert K.toxicity_index(s2=K.runaway_il2()) == pytest.approx(0.5)
    assert all(0 <= v < 1 for v in vals)


def test_simulate_shape_and_accuracy():
    df = K.simulate(points=101)
    assert list(df.columns) == ["t", "E", "T", "I"]
    assert len(df) == 101 and df["t"].iloc[-1] == DEFAULTS["days"]
    # log-variable LSODA agrees with a tight-tolerance run
    q = K.PARAMS.resolve()
    t = np.linspace(0, q["days"], 101)
    tight = np.exp(K._integrate(q, t, rtol=1e-10))
    assert np.allclose(np.log(df["T"]), np.log(tight[:, 1]), atol=1e-2)


def test_initial_state_is_respected():
    df = K.simulate(T0=1e6, E0=1e4, I0=10.0)
    assert df.iloc[0][["E", "T", "I"]].tolist() == pytest.approx([1e4, 1e6, 10.0])


# ---------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        {"c": -0.01},
        {"c": 0.06},
        {"s1": float("nan")},
        {"s2": "lots"},
        {"T0": 0.0},
        {"g1": 2e-7},
        {"mu3": True},
    ],
)
def test_bad_input_names_the_parameter(bad):
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        K.simulate(**bad)


def test_unknown_parameter():
    with pytest.raises(ValueError, match="unknown parameter"):
        K.simulate(gamma=1.0)


# ---------------------------------------------------------------------------------------
# properties over the whole parameter ranges
# ---------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(param_values(K.PARAMS, skip=("days",)))
def test_simulate_is_finite_and_positive_everywhere(values):
    values = {k: min(max(v, K.PARAMS[k].lo), K.PARAMS[k].hi) for k, v in values.items()}
    df = K.simulate(points=51, days=300.0, **values)
    arr = df[["E", "T", "I"]].to_numpy()
    assert np.all(np.isfinite(arr)) and np.all(arr >= 0)
    assert df["T"].max() <= 1.0001 / values["b"] or df["T"].iloc[0] > 1 / values["b"]


# ---------------------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------------------
def test_time_view_static_and_scenarios():
    fig = V.time_view.static("c", [0.0, 0.02, 0.05])
    assert len(fig.data) == 3 * 4
    assert len(fig.layout.sliders[0].steps) == 3
    assert "Illustrative" in fig.layout.meta["description"]
    scen = V.time_view.scenarios(
        {k: V.THERAPIES[k] for k in list(V.THERAPIES)[:3]}, label="Treatment"
    )
    assert len(scen.layout.sliders[0].steps) == 3


def test_time_view_live_redraws():
    ex = V.time_view.live(controls=["c", "s1", "s2"])
    ex.redraw(s1=600.0)
    assert "cleared" in ex.figure.layout.title.text
    ex.redraw(c=0.0, s1=0.0)
    assert "escape" in ex.figure.layout.title.text


def test_supply_figure_marks_the_threshold():
    fig = V.supply_figure()
    assert fig.layout.shapes[0].x0 == pytest.approx(540.0)
    assert "540" in fig.layout.meta["description"]
    assert len(fig.data) == 2 * len(V.SUPPLY_C)


def test_tradeoff_view_labels_the_index_illustrative():
    fig = V.tradeoff_view.figure(c=0.035)
    assert len(fig.data) == 2
    assert "illustrative" in fig.layout.meta["description"].lower()
    assert "ILLUSTRATIVE" in fig.data[1].name


def test_trials_figure_reads_the_curated_data():
    rates = V.il2_rates()
    assert set(rates["cancer"]) == {"melanoma", "renal cell carcinoma"}
    assert list(rates["endpoint"]) == ["objective response", "complete response"] * 2
    mel = rates[(rates["cancer"] == "melanoma") & (rates["endpoint"] == "objective response")]
    assert mel["n"].iloc[0] == 270 and mel["k"].iloc[0] == 43
    assert mel["ci_low"].iloc[0] < mel["rate"].iloc[0] < mel["ci_high"].iloc[0]
    fig = V.trials_figure()
    assert len(fig.data) == 2
