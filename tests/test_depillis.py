"""Tests of the de Pillis, Radunskaya & Wiseman (2005) tumour–NK–CD8+ T-cell model.

Source: Cancer Research 65 (2005) 7950-7958, doi:10.1158/0008-5472.CAN-05-0564, PMID
16140967; mouse parameters as encoded in BioModels MODEL1907260001 (a non-curated entry).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings

from widgets.models import depillis as M
from conftest import param_values

DEFAULTS = M.PARAMS.defaults()


def test_mouse_parameters_are_the_published_ones():
    """de Pillis et al. 2005, mouse parameter set (BioModels MODEL1907260001, non-curated)."""
    published = dict(a=0.514, b=1.02e-9, c=3.23e-7, d=1.43, lam=0.58, s=2.73, sigma=1.3e4,
                     f=0.0412, g=0.025, h=2.02e7, p=1e-7, m=0.02, j=0.0375, k=2.02e7,
                     q=3.42e-10, r=1.1e-7)
    for name, value in published.items():
        assert DEFAULTS[name] == value, name
    assert all(M.PARAMS[n].source == "depillis2005" for n in published)


def test_outcome_depends_on_tumour_challenge_and_effector_cells():
    """de Pillis et al. 2005, abstract: simulations with different levels of effector cells
    and tumour challenge reproduce the mouse experiments (rejection versus growth). With the
    mouse parameters a challenge of 1e4 tumour cells is rejected when 1e4 or more CD8+ T
    cells are present and escapes with only 100; a challenge of 1e6 escapes even with 1e5."""
    assert M.outcome(T0=1e4, L0=1e2) == "escape"
    assert M.outcome(T0=1e4, L0=1e4) == "elimination"
    assert M.outcome(T0=1e4, L0=1e5) == "elimination"
    assert M.outcome(T0=1e5, L0=1e4) == "escape"
    assert M.outcome(T0=1e5, L0=1e5) == "elimination"
    assert M.outcome(T0=1e6, L0=1e5) == "escape"


def test_cd8_killing_parameter_d_decides_rejection():
    """de Pillis et al. 2005, abstract: the model is most sensitive to the patient-specific
    CD8+ killing parameters measured by chromium-release assay. Raising d (1.43 -> 3) turns
    escape of a 1e5-cell challenge into rejection; a 1e6-cell challenge needs d = 5."""
    assert M.outcome(T0=1e5, L0=1e4) == "escape"
    assert M.outcome(T0=1e5, L0=1e4, d=3.0) == "elimination"
    assert M.outcome(T0=1e6, L0=1e4, d=3.0) == "escape"
    assert M.outcome(T0=1e6, L0=1e4, d=5.0) == "elimination"


def test_escaping_tumour_reaches_its_carrying_capacity_and_nk_cells_collapse():
    df = M.simulate(days=120)
    assert df["T"].iloc[-1] == pytest.approx(1 / DEFAULTS["b"], rel=0.05)
    assert df["N"].iloc[-1] < 1e3 < DEFAULTS["N0"]  # inactivated by the large tumour


def test_tumour_free_state_relaxes_to_the_nk_balance():
    df = M.simulate(T0=1e4, L0=1e5, days=300)
    assert (df["T"].iloc[-10:] == 0).all()
    assert df["N"].iloc[-1] == pytest.approx(DEFAULTS["sigma"] / DEFAULTS["f"], rel=0.01)
    assert df["D"].iloc[-1] == 0


def test_rhs_and_jacobian_agree():
    args = tuple(float(DEFAULTS[n]) for n in M.RATES)
    y = np.array([math.log(3e6), 2e5, 5e4])  # L above L_FLOOR
    J = np.array(M._jac(0, y, *args))
    for i in range(3):
        e = np.zeros(3)
        e[i] = 1e-6 * max(1.0, abs(y[i]))
        col = (np.array(M._rhs(0, y + e, *args)) - np.array(M._rhs(0, y - e, *args))) / (2 * e[i])
        assert np.allclose(col, J[:, i], rtol=1e-5, atol=1e-12)


def test_killing_fraction_limits():
    assert M.killing_fraction(0.0, 1e6, 0.58, 2.73) == 0
    assert M.killing_fraction(1e6, 1e6, 0.58, 2.73) == pytest.approx(1 / 3.73)
    assert M.killing_fraction(1e12, 1.0, 0.58, 2.73) == pytest.approx(1.0, rel=1e-3)


def test_simulate_shape():
    df = M.simulate()
    assert list(df.columns) == ["t", "T", "N", "L", "D"]
    assert len(df) == 241 and df["t"].iloc[-1] == pytest.approx(60)
    assert df["T"].iloc[0] == pytest.approx(1e5)


@pytest.mark.parametrize("bad, match", [
    ({"d": -1.0}, "'d'"), ({"d": 20.0}, "'d'"), ({"T0": float("nan")}, "'T0'"),
    ({"lam": "x"}, "'lam'"), ({"days": True}, "'days'"), ({"zz": 1}, "unknown parameter"),
])
def test_bad_input_names_the_parameter(bad, match):
    for fn in (M.simulate, M.outcome):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


@settings(max_examples=40, deadline=None)
@given(param_values(M.PARAMS))
def test_any_parameters_in_range_give_finite_non_negative_results(values):
    df = M.simulate(**values)
    x = df[["T", "N", "L", "D"]].to_numpy()
    assert np.isfinite(x).all() and (x >= 0).all()
    assert M.outcome(**values) in {"elimination", "persistence", "escape"}
