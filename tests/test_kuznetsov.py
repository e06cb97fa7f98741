"""Tests of the Kuznetsov et al. (1994) tumour–effector model and its views.

Source: Kuznetsov, Makalkin, Taylor & Perelson, Bull. Math. Biol. 56 (1994) 295-321,
doi:10.1007/BF02460644; parameters as curated in BioModels BIOMD0000000762.
"""

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import kuznetsov as K
from widgets.views import kuznetsov as V

DEFAULTS = K.PARAMS.defaults()


# ---------------------------------------------------------------------------------------
# published behaviour
# ---------------------------------------------------------------------------------------
def test_nondimensional_parameters_match_the_paper():
    """Kuznetsov et al. 1994, section 3: the dimensional estimates (BioModels
    BIOMD0000000762) give sigma = 0.1181, rho = 1.131, eta = 20.19, mu = 0.00311,
    delta = 0.3743, alpha = 1.636, beta = 0.002 to the paper's rounding (<0.1%)."""
    nd = K.to_nondimensional()
    for key, published in K.NONDIMENSIONAL.items():
        assert nd[key] == pytest.approx(published, rel=1e-3), key


def test_bistable_phase_portrait_at_the_published_parameters():
    """Kuznetsov et al. 1994, Figure 3 (phase portrait at the estimated parameters, steady
    states A-D): an unstable tumour-free state, a stable dormant state with a small tumour
    approached through damped oscillations (a stable focus), a saddle, and a stable escape
    state with a large tumour near the carrying capacity 1/b."""
    eq = K.equilibria()
    assert list(eq["type"]) == ["saddle", "stable focus", "saddle", "stable node"]
    assert list(eq["state"]) == ["tumour-free", "dormancy", "threshold (saddle)", "escape"]
    free, dormant, saddle, escape = (eq.iloc[i] for i in range(4))
    assert free["T"] == 0 and free["E"] == pytest.approx(DEFAULTS["s"] / DEFAULTS["d"])
    assert dormant["T"] < saddle["T"] < escape["T"]
    assert 1e6 < dormant["T"] < 1e7  # a small tumour, about 8 million cells
    assert escape["T"] > 0.8 / DEFAULTS["b"]  # near the carrying capacity of 5e8 cells
    assert dormant["E"] > saddle["E"] > escape["E"]  # fewer effector cells at a big tumour
    assert K.stable_states() == ["dormancy", "escape"]


def test_dimensional_equilibria_map_onto_the_nondimensional_system():
    """The paper analyses x = E/1e6, y = T/1e6, tau = n*1e6*t. Solving the non-dimensional
    system with the paper's published values (sigma, rho, eta, mu, delta, alpha, beta; n = 1)
    gives the same states as the dimensional model divided by 1e6, and eigenvalues divided
    by n*1e6 (per unit tau instead of per day), to the rounding of the published values."""
    nd = K.NONDIMENSIONAL
    eq_nd = K._equilibria_raw(
        nd["sigma"], nd["rho"], nd["eta"], nd["mu"], nd["delta"], nd["alpha"], nd["beta"], 1.0
    )
    eq = K.equilibria()
    assert list(eq_nd["type"]) == list(eq["type"])
    rate = DEFAULTS["n"] * K.SCALE
    for (_, a), (_, b) in zip(eq.iterrows(), eq_nd.iterrows()):
        assert a["E"] / K.SCALE == pytest.approx(b["E"], rel=5e-3)
        assert a["T"] / K.SCALE == pytest.approx(b["T"], rel=5e-3, abs=1e-12)
        for e in ("eig1", "eig2"):
            assert a[e].real / rate == pytest.approx(b[e].real, rel=2e-2, abs=1e-3)


def test_equilibria_are_roots_with_tiny_residuals():
    eq = K.equilibria()
    coeffs = K.equilibrium_polynomial()
    for _, row in eq[eq["T"] > 0].iterrows():
        assert abs(np.polyval(coeffs, row["T"])) <= 1e-8 * np.polyval(np.abs(coeffs), row["T"])
        assert abs(row["residual_E"]) < 1e-6 * DEFAULTS["s"]
        assert abs(row["residual_T"]) < 1e-6 * DEFAULTS["a"] * row["T"]


def test_trajectories_end_at_the_equilibria():
    """Long runs from the BioModels initial state end at the dormant state; from a large
    tumour at the escape state."""
    eq = K.equilibria().set_index("state")
    dormant = K.simulate(days=2000)
    assert dormant["T"].iloc[-1] == pytest.approx(eq.loc["dormancy", "T"], rel=0.02)
    assert dormant["E"].iloc[-1] == pytest.approx(eq.loc["dormancy", "E"], rel=0.02)
    big = K.simulate(T0=1e9, days=2000)
    assert big["T"].iloc[-1] == pytest.approx(eq.loc["escape", "T"], rel=1e-3)


def test_separatrix_divides_initial_tumour_sizes():
    """The threshold: from E0 = 3.2e5 effector cells (BioModels), small initial tumours end
    dormant and large ones escape; the switch lies between 5e7 and 1e8 cells, and the
    separatrix from the saddle passes between those two starts."""
    for T0 in (1e2, 1e4, 1e6, 5e6, 1e7, 5e7):
        assert K.outcome(T0=T0) == "dormancy", T0
    for T0 in (1e8, 3e8, 1e9):
        assert K.outcome(T0=T0) == "escape", T0
    thr = K.threshold_T0()
    assert 5e7 < thr < 1e8
    assert K.outcome(T0=thr * 0.98) == "dormancy"
    assert K.outcome(T0=thr * 1.02) == "escape"
    sep = K.separatrix()
    assert set(sep["branch"]) == {0, 1}
    # interpolate the separatrix at E = E0: tumour size on the threshold curve
    branch = sep[sep["branch"] == 1].sort_values("E")
    T_on_curve = np.exp(np.interp(np.log(DEFAULTS["E0"]), np.log(branch["E"]), np.log(branch["T"])))
    assert T_on_curve == pytest.approx(thr, rel=0.02)


def test_more_effector_supply_removes_escape_then_the_tumour():
    """Scanning s (computed, not assumed): raising the supply shrinks the dormant tumour,
    the escape state and the saddle merge and vanish near s = 2.1e4 cells/day, and above
    s = a*d/n the tumour-free state becomes stable (elimination)."""
    s_escape = K.transition("s", "escape", 1.3e4, 5e4)
    assert 2.0e4 < s_escape < 2.3e4
    assert K.stable_states(s=0.99 * s_escape) == ["dormancy", "escape"]
    assert K.stable_states(s=1.01 * s_escape) == ["dormancy"]
    s_clear = K.transition("s", "elimination", 1.3e4, 1e5)
    assert s_clear == pytest.approx(DEFAULTS["a"] * DEFAULTS["d"] / DEFAULTS["n"], rel=1e-4)
    assert K.stable_states(s=1.01 * s_clear) == ["elimination"]
    assert K.outcome(s=8e4) == "elimination"
    sizes = [
        K.equilibria(s=s).query("state == 'dormancy'")["T"].iloc[0] for s in (0.0, 1.3e4, 3e4, 6e4)
    ]
    assert sizes == sorted(sizes, reverse=True)


def test_less_effector_supply_does_not_remove_dormancy():
    """Lowering s does NOT remove the dormant state in this model: even with no supply at all
    the tumour's own recruitment of effector cells sustains it (computed, not assumed)."""
    for s in (0.0, 1e3, 5e3):
        assert K.stable_states(s=s) == ["dormancy", "escape"]
    # but without supply the BioModels start (5e6 tumour cells) escapes
    assert K.outcome(s=0.0) == "escape"


def test_stronger_inactivation_removes_dormancy():
    """Raising the inactivation rate m ("brakes") removes the dormant state near
    m = 1.46e-9 /(cell day); lowering it removes the escape state."""
    m_c = K.transition("m", "dormancy", 3.422e-10, 5e-9)
    assert 1.2e-9 < m_c < 1.8e-9
    assert K.stable_states(m=1.05 * m_c) == ["escape"]
    assert K.stable_states(m=1e-10) == ["dormancy"]


def test_outcome_counts_a_tumour_below_one_cell_as_eliminated():
    # a large effector population drives a small tumour below one cell
    assert K.outcome(T0=1e2, E0=1e8) == "elimination"
    df = K.simulate(T0=1e2, E0=1e8, days=100)
    assert df["T"].min() < K.EXTINCT


def test_transition_needs_a_bracket():
    with pytest.raises(ValueError, match="present at both"):
        K.transition("s", "dormancy", 0.0, 5e4)
    with pytest.raises(ValueError, match="unknown parameter"):
        K.transition("zzz", "dormancy", 0.0, 5e4)


# ---------------------------------------------------------------------------------------
# numerics and validation
# ---------------------------------------------------------------------------------------
def test_simulate_shape_and_columns():
    df = K.simulate()
    assert list(df.columns) == ["t", "E", "T"]
    assert len(df) == 301
    assert df["t"].iloc[0] == 0 and df["t"].iloc[-1] == pytest.approx(600)
    assert df["T"].iloc[0] == pytest.approx(5e6) and df["E"].iloc[0] == pytest.approx(3.2e5)


def test_nullclines_cross_at_the_equilibria():
    eq = K.equilibria()
    for _, row in eq[eq["T"] > 0].iterrows():
        nc = K.nullclines(T_min=row["T"], T_max=row["T"] * 1.0000001, points=2)
        assert nc["E_dT0"].iloc[0] == pytest.approx(row["E"], rel=1e-6)
        assert nc["E_dE0"].iloc[0] == pytest.approx(row["E"], rel=1e-6)


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"s": -1.0}, "'s'"),
        ({"s": 2e5}, "'s'"),
        ({"n": float("nan")}, "'n'"),
        ({"T0": "big"}, "'T0'"),
        ({"days": True}, "'days'"),
        ({"b": 0.0}, "'b'"),
    ],
)
def test_bad_input_names_the_parameter(bad, match):
    for fn in (K.simulate, K.equilibria, K.outcome, K.nullclines):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


def test_unknown_parameter():
    with pytest.raises(ValueError, match="unknown parameter"):
        K.simulate(q=1.0)


@settings(max_examples=40, deadline=None)
@given(param_values(K.PARAMS))
def test_any_parameters_in_range_give_finite_non_negative_results(values):
    df = K.simulate(**values)
    assert np.isfinite(df[["E", "T"]].to_numpy()).all()
    assert (df[["E", "T"]].to_numpy() >= 0).all()
    eq = K.equilibria(**values)
    assert (eq["E"] >= 0).all() and (eq["T"] >= 0).all()
    assert eq.iloc[0]["T"] == 0
    assert K.outcome(**values) in {"elimination", "dormancy", "escape"}


# ---------------------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------------------
def test_time_view_static_over_T0():
    values = [1e3, 5e6, 1e8, 1e9]
    fig = V.time_view.static("T0", values)
    n = len(V.time_view.figure().data)
    assert len(fig.data) == n * len(values)
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(values)
    titles = [s.args[1]["title.text"] for s in steps]
    assert titles == [
        "Outcome: dormancy",
        "Outcome: dormancy",
        "Outcome: escape",
        "Outcome: escape",
    ]


def test_phase_view_static_over_s_keeps_the_trace_count():
    values = [0.0, 1.3e4, 3e4, 8e4]
    fig = V.phase_view.static("s", values)
    n = len(V.phase_view.figure().data)
    assert len(fig.data) == n * len(values)
    assert len(fig.layout.sliders[0].steps) == len(values)
    assert "description" in fig.layout.meta


def test_every_figure_has_titled_axes_and_a_description():
    for view in (V.time_view, V.phase_view):
        fig = view.figure()
        assert fig.layout.meta["description"]
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_live_explorers_redraw():
    live = V.time_view.live(controls=["s", "T0"])
    before = np.array(live.figure.data[1].y, dtype=float)
    live.redraw(T0=1e9)
    after = np.array(live.figure.data[1].y, dtype=float)
    assert not np.allclose(before, after)
    assert live.figure.layout.title.text == "Outcome: escape"
    phase = V.phase_view.live(controls=["s"])
    x_before = np.array(phase.figure.data[0].y, dtype=float)
    phase.redraw(s=5e4)
    x_after = np.array(phase.figure.data[0].y, dtype=float)
    assert not np.allclose(np.nan_to_num(x_before), np.nan_to_num(x_after))
