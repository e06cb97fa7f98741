"""Tests of the CAR-T models (chapter 4) and their views.

Sources: Stein et al. 2019, CPT Pharmacometrics Syst Pharmacol 8:285-295,
doi:10.1002/psp4.12388 (Figure 2, Table 1; as curated in nlmixr2lib's
Stein_2019_Tisagenlecleucel model file); Barros et al. 2021, Cancers 13(12):2941,
doi:10.3390/cancers13122941, with the authors' CARTmath code (doi:10.5281/zenodo.4450376).
"""

import math

import numpy as np
import pytest
from conftest import param_values
from hypothesis import assume, given, settings

from widgets import evidence
from widgets.models import cart as C
from widgets.models import cart_kinetics as K
from widgets.models import crs
from widgets.views import cart as V


# ---------------------------------------------------------------------------------------
# Stein et al. 2019: cellular kinetics
# ---------------------------------------------------------------------------------------
def test_kinetics_peak_at_tmax_with_value_cmax():
    """Stein et al. 2019, Figure 2 (model) with the typical values of Table 1: the level
    peaks at Tmax = 9.3 days with Cmax = 24,000 copies/µg, and starts at Cmax/foldx."""
    df = K.simulate(points=2000)
    i = int(df["total"].idxmax())
    assert df["t"].iloc[i] == pytest.approx(9.3)
    assert df["total"].iloc[i] == pytest.approx(24000.0, rel=1e-9)
    assert df["total"].iloc[0] == pytest.approx(24000.0 / 3900.0)
    # continuous at the peak: the two formulas meet
    before = K.kinetics([9.3 - 1e-9])["total"][0]
    assert before == pytest.approx(24000.0, rel=1e-6)


def test_kinetics_half_lives_match_the_paper():
    """Stein et al. 2019, abstract: doubling time, initial decline half-life and terminal
    half-life of 0.78, 4.3 and 220 days; they follow from Table 1 as ln2/rho, ln2/alpha and
    ln2/beta (220 is 217 rounded to two figures)."""
    s = K.summary()
    assert round(s["doubling_time"], 2) == 0.78
    assert round(s["fast_half_life"], 1) == 4.3
    assert round(s["slow_half_life"], -1) == 220
    assert s["fast_half_life"] == pytest.approx(math.log(2) / 0.16)
    assert s["slow_half_life"] == pytest.approx(math.log(2) / 0.0032)


def test_kinetics_two_phases_are_visible_in_the_curve():
    """Measured from the curve, not the formula: early after the peak the level halves in
    about 4.3 days; a year later, in about 217 days."""
    t = np.array([9.3, 9.3 + 5.0, 300.0, 400.0])
    c = K.kinetics(t)["total"]
    early = 5.0 * math.log(2) / math.log(c[0] / c[1])
    late = 100.0 * math.log(2) / math.log(c[2] / c[3])
    assert 4.0 < early < 4.6  # slightly longer than ln2/alpha: the slow part adds a little
    assert late == pytest.approx(math.log(2) / 0.0032, rel=0.01)


def test_without_persisting_fraction_the_level_falls_fast():
    """FB = 0 removes the slow (memory-like) phase: after a year almost nothing is left."""
    with_fb = K.summary()["fraction_one_year_after_peak"]
    without = K.summary(fb=0.0)["fraction_one_year_after_peak"]
    assert without < 1e-20 < 1e-3 < with_fb


# ---------------------------------------------------------------------------------------
# Barros et al. 2021 (CARTmath)
# ---------------------------------------------------------------------------------------
def test_parameter_sets_are_the_authors_fitted_values():
    """The defaults are the HDLM-2/CAR-T123 fit in the authors' CARTmath code (server.R),
    and RAJI holds the RAJI/CAR-T19 fit (datasets ex4 and ex8)."""
    d = C.PARAMS.defaults()
    for k, v in C.HDLM2.items():
        assert d[k] == v, k
    assert C.HDLM2 == {
        "r": 5.650026e-2,
        "gamma": 3.715843e-6,
        "b": 1.404029e-12,
        "phi": 0.265,
        "rho": 0.35,
        "alpha": 4.5e-8,
        "epsilon": 0.15,
        "mu": 5.0e-3,
        "theta": 6.0e-6,
    }
    assert C.RAJI == {
        "r": 0.5071721,
        "gamma": 3.365388e-8,
        "b": 0.0,
        "phi": 0.83,
        "rho": 0.8300536,
        "alpha": 1.248506e-8,
        "epsilon": 1.59795,
        "mu": 6.89e-7,
        "theta": 2.3e-4,
    }
    C.PARAMS.resolve(C.RAJI)  # every fitted value lies in the allowed ranges


def test_hdlm2_rechallenge_is_rejected_by_memory_cells():
    """Barros et al. 2021, HDLM-2 (Hodgkin lymphoma) treated with CAR-T123 cells and
    rechallenged: the authors' dataset ex2 (2e6 tumour cells on day 0, 2e6 CAR-T cells on
    day 42, 1e6 tumour cells again on day 250, 500 days; their app labels it "CAR T
    Immunotherapy with Challenge in HDLM-2 tumor (Rodrigues et al., 2020 - Figure 2a)").
    The tumour is eliminated within days of the infusion, memory CAR-T cells persist, and
    the rechallenge is rejected. (The figure number in Barros et al. 2021 itself was not
    checked.)"""
    df = C.simulate()
    s = C.summary(df)
    assert s["outcome"] == "cure" and s["challenge_rejected"]
    assert 42 < s["eliminated_day"] < 50
    before = df[(df["t"] > 200) & (df["t"] < 250)]
    assert (before["tumour"] == 0).all()
    assert (before["memory"] > 1e6).all()  # memory persists while the tumour is gone
    after = df[df["t"] > 250]
    assert after["tumour"].max() > 0 and after["tumour"].iloc[-1] == 0
    # the rechallenge reactivates memory into effectors
    eff = df.set_index("t")["effector"]
    assert (
        eff[(eff.index > 250) & (eff.index < 280)].max()
        > 1e3 * eff[(eff.index > 230) & (eff.index < 250)].max()
    )


def test_without_memory_the_rechallenge_grows():
    """Changing the model: epsilon = 0 (no memory formation). The first tumour is still
    eliminated by the effector cells, but nothing is left to meet the rechallenge, which
    grows to near the carrying capacity 1/b."""
    s = C.summary(epsilon=0.0)
    assert not math.isnan(s["eliminated_day"])
    assert s["outcome"] == "relapse" and not s["challenge_rejected"]
    assert s["memory_end"] == 0
    assert s["tumour_end"] > 0.5 / C.HDLM2["b"]


def test_short_lived_memory_fails_too():
    """Memory cells that die fast (mu = 0.05/day instead of 0.005) are too few by day 250."""
    assert C.outcome(mu=0.05) == "relapse"
    assert C.outcome(mu=0.005) == "cure"


def test_dose_response_cure_control_progression():
    """Scanning the dose (no rechallenge): too few cells and the tumour escapes; a middle
    dose holds it at about a thousand cells; enough cells eliminate it (computed)."""
    assert C.outcome(dose=2e5, challenge_cells=0.0) == "progression"
    control = C.summary(dose=3e5, challenge_cells=0.0)
    assert control["outcome"] == "control"
    assert 1e2 < control["tumour_end"] < 1e4
    assert C.outcome(dose=5e5, challenge_cells=0.0) == "cure"


def test_raji_cart19_slows_but_does_not_stop_the_tumour():
    """RAJI/CAR-T19 set (authors' dataset ex4: 3e6 tumour cells, 1e7 CAR-T cells on day 7,
    15 days): the fitted model slows the fast-growing tumour but does not control it
    (computed, not assumed)."""
    over = C.SCENARIOS["RAJI with CAR-T19: progression"]
    s = C.summary(**over)
    assert s["outcome"] == "progression"
    untreated = V.untreated_tumour([15.0], **over)[0]
    assert s["tumour_end"] < untreated / 5
    assert s["tumour_end"] > s["tumour_at_dose"]


def _rk4(q, T0, dose, dose_day, days, dt=0.01):
    """The authors' fixed-step RK4 scheme (rk4.R), without their 1e-6 threshold."""
    y = np.array([0.0, 0.0, T0])
    args = tuple(q[k] for k in C._RATES)

    def f(y):
        return np.array(C._rhs(0.0, y, *args))

    out = {}
    n = int(round(days / dt))
    for i in range(n):
        t = i * dt
        if abs(t - dose_day) < dt / 2:
            y[0] += dose
        k1 = f(y)
        k2 = f(y + 0.5 * dt * k1)
        k3 = f(y + 0.5 * dt * k2)
        k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out[round((i + 1) * dt, 6)] = y.copy()
    return out


def test_solver_agrees_with_the_authors_rk4_scheme():
    """Independent check of the numerics: the authors' fixed-step RK4 gives the same
    tumour and CAR-T cells (before any population crosses one cell)."""
    q = C.PARAMS.resolve({})
    ref = _rk4(q, q["T0"], q["dose"], q["dose_day"], 44.0)
    df = C.simulate(points=2201, days=44.0, challenge_cells=0.0)
    row = df.iloc[-1]
    for name, k in (("effector", 0), ("memory", 1), ("tumour", 2)):
        assert row[name] == pytest.approx(ref[44.0][k], rel=2e-3), name


def test_unchecked_tumour_ends_the_run_at_the_ceiling():
    """With no carrying capacity (b = 0) and too few CAR-T cells the tumour grows without
    limit; the run ends when it passes T_MAX and later rows are NaN."""
    df = C.simulate(b=0.0, r=0.5, dose=1e4, challenge_cells=0.0, days=200.0)
    assert df["tumour"].isna().any() and df["tumour"].iloc[0] == pytest.approx(2e6)
    assert df["tumour"].dropna().max() > 1e12
    assert (
        C.summary(df, b=0.0, r=0.5, dose=1e4, challenge_cells=0.0, days=200.0)["outcome"]
        == "progression"
    )
    assert V.tumour_view.figure(b=0.0, r=0.5, dose=1e4, challenge_cells=0.0, days=200.0)


def test_simulate_shape_and_events():
    df = C.simulate(points=101)
    assert list(df.columns) == ["t", "effector", "memory", "tumour"]
    assert len(df) == 101
    assert df["t"].iloc[0] == 0 and df["t"].iloc[-1] == pytest.approx(500)
    assert (df.loc[df["t"] < 42, ["effector", "memory"]] == 0).all().all()
    assert df["tumour"].iloc[0] == pytest.approx(2e6)


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"dose": -1.0}, "'dose'"),
        ({"dose": 1e12}, "'dose'"),
        ({"epsilon": float("nan")}, "'epsilon'"),
        ({"mu": "fast"}, "'mu'"),
        ({"days": True}, "'days'"),
        ({"b": -1e-12}, "'b'"),
    ],
)
def test_bad_input_names_the_parameter(bad, match):
    for fn in (C.simulate, C.summary, C.outcome):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


def test_effectors_may_not_multiply_on_their_own():
    with pytest.raises(ValueError, match="'phi'.*'rho'"):
        C.simulate(phi=0.5, rho=0.4)


@pytest.mark.parametrize(
    "bad, match",
    [({"fb": 0.5}, "'fb'"), ({"tmax": float("nan")}, "'tmax'"), ({"cmax": "big"}, "'cmax'")],
)
def test_bad_kinetics_input(bad, match):
    for fn in (K.simulate, K.summary):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


def test_bad_crs_input():
    with pytest.raises(ValueError, match="'c50'"):
        crs.risk(1e4, c50=0.0)
    with pytest.raises(ValueError, match="'peak'"):
        crs.risk([1e4, -1.0])
    with pytest.raises(ValueError, match="unknown parameter"):
        C.simulate(zzz=1)


def test_crs_risk_is_monotone_and_half_at_c50():
    peaks = np.geomspace(1e3, 1e6, 50)
    r = crs.risk(peaks, c50=1e4, slope=2.0)
    assert np.all(np.diff(r) > 0)
    assert crs.risk(1e4, c50=1e4) == pytest.approx(0.5)
    lo, hi = K.peak_range(0.90)
    assert lo < 24000 < hi and hi / 24000 == pytest.approx(24000 / lo)


@settings(max_examples=40, deadline=None)
@given(param_values(C.PARAMS))
def test_any_parameters_in_range_give_finite_non_negative_results(values):
    assume(values["phi"] <= values["rho"])
    df = C.simulate(points=101, **values)
    assert len(df) == 101
    done = df.dropna()  # rows after the tumour passed T_MAX are NaN (the run has ended)
    assert len(done) > 0 and done.index[-1] == len(done) - 1
    x = done[["effector", "memory", "tumour"]].to_numpy()
    assert np.isfinite(x).all() and (x >= 0).all()
    assert C.summary(df, **values)["outcome"] in {"cure", "control", "relapse", "progression"}


@settings(max_examples=40, deadline=None)
@given(param_values(K.PARAMS))
def test_any_kinetics_in_range_are_finite_and_positive(values):
    df = K.simulate(points=50, **values)
    x = df[["total", "fast", "slow"]].to_numpy()
    assert np.isfinite(x).all() and (x >= 0).all()
    assert df["total"].max() == pytest.approx(values["cmax"], rel=1e-9)


# ---------------------------------------------------------------------------------------
# trial data
# ---------------------------------------------------------------------------------------
def test_trial_rates_exact_intervals():
    """JULIET (Schuster et al. 2019, abstract): best overall response 52% of 93, 95% CI 41
    to 62. The count recovered from the percentage (48 of 93) gives that exact interval."""
    table = evidence.response_table(trials=["ZUMA-1", "ELIANA", "JULIET"])
    assert {"ZUMA-1", "ELIANA", "JULIET"} == set(table["trial"])
    j = table[(table["trial"] == "JULIET") & (table["endpoint"] == "objective response")].iloc[0]
    assert (j["k"], j["n"]) == (48, 93) and j["reconstructed"]
    assert round(100 * j["ci_low"]) == 41 and round(100 * j["ci_high"]) == 62
    assert (table["ci_low"] <= table["rate"]).all() and (table["rate"] <= table["ci_high"]).all()


# ---------------------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------------------
def test_every_figure_has_titled_axes_and_a_description():
    for view in (V.kinetics_view, V.tumour_view, V.crs_view):
        fig = view.figure()
        assert fig.layout.meta["description"]
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    fig = V.trials_figure(evidence.response_table(trials=["ZUMA-1", "ELIANA", "JULIET"]))
    assert "JULIET" in fig.layout.meta["description"]


def test_tumour_view_scenarios_and_static_dose():
    fig = V.tumour_view.scenarios(C.SCENARIOS)
    n = len(V.tumour_view.figure().data)
    assert len(fig.data) == n * len(C.SCENARIOS)
    titles = [s.args[1]["title.text"] for s in fig.layout.sliders[0].steps]
    assert titles[0].startswith("Outcome: cure") and titles[1].startswith("Outcome: relapse")
    doses = [2e5, 3e5, 5e5]
    fig = V.tumour_view.static("dose", doses, challenge_cells=0.0)
    titles = [s.args[1]["title.text"] for s in fig.layout.sliders[0].steps]
    assert [t.split(" (")[0] for t in titles] == [
        "Outcome: progression",
        "Outcome: control",
        "Outcome: cure",
    ]


def test_kinetics_and_crs_static():
    fig = V.kinetics_view.static("fb", [0.0, 0.0079, 0.05])
    assert len(fig.layout.sliders[0].steps) == 3
    fig = V.crs_view.static("c50", [1e4, 1e5, 1e6])
    assert len(fig.data) == 3 * len(V.crs_view.figure().data)


def test_live_explorers_redraw():
    live = V.tumour_view.live(controls=["dose", "epsilon", "mu"])
    assert live.figure.layout.title.text.startswith("Outcome: cure")
    live.redraw(epsilon=0.0)
    assert live.figure.layout.title.text.startswith("Outcome: relapse")
    kin = V.kinetics_view.live(controls=["fb", "alpha"])
    before = np.array(kin.figure.data[0].y, dtype=float)
    kin.redraw(fb=0.05)
    after = np.array(kin.figure.data[0].y, dtype=float)
    assert not np.allclose(before, after)
