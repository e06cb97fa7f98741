"""Tests of the tumour-microenvironment model (suppression and exclusion added to the
de Pillis et al. 2005 model) and of its view. The added compartment is illustrative; the
tests check that it reduces to the published model and shows the chapter's behaviours."""

import math

import numpy as np
import pytest
from hypothesis import given, settings

import widgets  # noqa: F401
from widgets.models import depillis, microenvironment as M
from widgets.views import microenvironment as V
from conftest import param_values


def test_without_suppression_exclusion_or_treatment_it_is_the_published_model():
    """S_max = 0, access 1, no treatment: identical to de Pillis et al. 2005."""
    for over in ({}, {"T0": 1e4, "L0": 1e4}, {"T0": 1e6, "d": 5.0}):
        a = M.simulate(suppression=0.0, **over)
        b = depillis.simulate(**over)
        for col in ("T", "N", "L", "D"):
            assert np.allclose(a[col], b[col], rtol=1e-6, atol=1e-6), (over, col)
        assert M.outcome(suppression=0.0, **over) == depillis.outcome(**over)


def test_blockade_gain_reuses_the_chapter_3_brake():
    assert M.blockade_gain(0.0, 0.95) == 1.0
    assert M.blockade_gain(0.7, 0.0) == pytest.approx(1.0)
    assert M.blockade_gain(0.7, 0.95) == pytest.approx((1 - 0.7 * 0.05) / 0.3)
    assert M.effective()["gain"] == 1.0
    assert M.effective(blockade=True)["gain"] > 3


def test_hot_tumour_responds_to_blockade_alone():
    hot = M.TUMOURS["hot (inflamed)"]
    assert M.outcome(**hot) == "escape"
    assert M.outcome(**hot, blockade=True) == "elimination"


@pytest.mark.parametrize("tumour", ["excluded", "cold (suppressed)"])
def test_excluded_and_cold_tumours_need_the_microenvironment_opened(tumour):
    """Blockade alone fails; microenvironment therapy alone fails; together they work."""
    over = M.TUMOURS[tumour]
    assert M.outcome(**over, blockade=True) == "escape"
    assert M.outcome(**over, deplete=True, open_stroma=True) == "escape"
    assert M.outcome(**over, blockade=True, deplete=True, open_stroma=True) == "elimination"


def test_each_barrier_has_its_own_key():
    """Opening the stroma rescues the excluded tumour but not the cold one; depleting
    suppression rescues the cold tumour but not the excluded one (with blockade)."""
    exc, cold = M.TUMOURS["excluded"], M.TUMOURS["cold (suppressed)"]
    assert M.outcome(**exc, blockade=True, open_stroma=True) == "elimination"
    assert M.outcome(**exc, blockade=True, deplete=True) == "escape"
    assert M.outcome(**cold, blockade=True, deplete=True) == "elimination"
    assert M.outcome(**cold, blockade=True, open_stroma=True) == "escape"


def test_suppression_follows_the_tumour_and_the_therapy():
    cold = M.TUMOURS["cold (suppressed)"]
    untreated = M.simulate(**cold, days=200)
    assert untreated["S"].iloc[-1] == pytest.approx(10.0 * 1 / (1 + 1e6 * 1.02e-9), rel=0.02)
    treated = M.simulate(**cold, deplete=True, days=200)
    # at a large tumour the therapy holds S near delta*S_max/(delta + u)
    assert treated["S"].iloc[-1] == pytest.approx(0.1 * 10.0 / 1.1, rel=0.05)


def test_more_suppression_or_less_access_never_helps():
    """Under blockade, elimination is lost as suppression rises or access falls, and never
    regained further along (scanned, not assumed)."""
    for name, grid in (("suppression", [0.0, 1.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0]),
                       ("access", [1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05, 0.01])):
        fates = [M.outcome(blockade=True, **{name: v}) == "elimination" for v in grid]
        assert fates[0] and not fates[-1], name
        first_loss = fates.index(False)
        assert not any(fates[first_loss:]), name


def test_rhs_and_jacobian_agree():
    q = M.PARAMS.resolve({})
    args = tuple(float(q[n]) for n in depillis.RATES) + (3.0, 0.1, 1e6, 0.4, 0.5)
    y = np.array([math.log(3e6), 2e5, 5e4, 0.8])
    J = np.array(M._jac(0, y, *args))
    for i in range(4):
        e = np.zeros(4)
        e[i] = 1e-6 * max(1.0, abs(y[i]))
        col = (np.array(M._rhs(0, y + e, *args)) - np.array(M._rhs(0, y - e, *args))) / (2 * e[i])
        assert np.allclose(col, J[:, i], rtol=1e-5, atol=1e-12)


@pytest.mark.parametrize("bad, match", [
    ({"suppression": -1.0}, "'suppression'"), ({"access": 0.0}, "'access'"),
    ({"pdl1": 1.0}, "'pdl1'"), ({"blockade": "yes"}, "'blockade'"),
    ({"occupancy": float("nan")}, "'occupancy'"),
])
def test_bad_input_names_the_parameter(bad, match):
    for fn in (M.simulate, M.outcome, M.summary):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


@settings(max_examples=40, deadline=None)
@given(param_values(M.PARAMS))
def test_any_parameters_in_range_give_finite_non_negative_results(values):
    df = M.simulate(**values)
    x = df[["T", "N", "L", "L_contact", "S", "D"]].to_numpy()
    assert np.isfinite(x).all() and (x >= 0).all()
    assert M.outcome(**values) in {"elimination", "persistence", "escape"}


# -- views ----------------------------------------------------------------------------------
def test_scenarios_over_tumour_types():
    fig = V.arms_view.scenarios(M.TUMOURS, label="Tumour type")
    n = len(V.arms_view.figure().data)
    assert len(fig.data) == 3 * n
    titles = [s.args[1]["title.text"] for s in fig.layout.sliders[0].steps]
    assert titles[0].startswith("Anti-PD-1: eliminated")
    assert "tumour cells on day 60" in titles[1] and "tumour cells on day 60" in titles[2]


def test_static_over_access_and_description():
    fig = V.arms_view.static("access", [0.05, 0.3, 1.0])
    assert len(fig.layout.sliders[0].steps) == 3
    assert "Illustrative model output" in fig.layout.meta["description"]
    f = V.arms_view.figure()
    assert f.layout.xaxis2.title.text and f.layout.yaxis.title.text and f.layout.yaxis2.title.text


def test_live_explorer_redraws():
    live = V.arms_view.live(controls=["suppression", "access"])
    before = np.array(live.figure.data[2].y, dtype=float)
    live.redraw(access=0.05)
    after = np.array(live.figure.data[2].y, dtype=float)
    assert not np.allclose(np.nan_to_num(before), np.nan_to_num(after))
    live.controls["access"].value = 0.0  # below the range: message, no crash
    assert "access" in live.message.value or live.message.value == ""
