"""Tests of the tumour-microenvironment model (chapter 3's checkpoint model with a tumour edge:
priming, access and local suppression as three mechanisms) and of its views. The model is
illustrative; the tests check that it is chapter 3's model when access is fast, and that the
three immune phenotypes fail, and are rescued, in the ways chapter 7 teaches."""

import math

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

import widgets  # noqa: F401
from widgets.data import load
from widgets.models import checkpoint
from widgets.models import microenvironment as M
from widgets.views import microenvironment as V

TABLE = M.outcome_table().set_index(["phenotype", "treatment"])


def outcome(phenotype, treatment):
    return TABLE.loc[(phenotype, treatment)]


def test_reuses_chapter_3_parameters_unchanged():
    for name in (
        "dose",
        "interval",
        "n_doses",
        "half_life",
        "volume",
        "ec50",
        "pdl1",
        "priming",
        "tcell_death",
        "expansion",
        "growth_rate",
        "capacity",
        "kill_rate",
        "kill_half",
        "diameter0",
        "assess_day",
        "horizon",
    ):
        assert M.PARAMS[name] == checkpoint.PARAMS[name], name
    assert M.PARAMS["infiltration"].default == checkpoint.PARAMS["infiltration"].default


@pytest.mark.parametrize("over", [{}, {"pdl1": 0.5}, {"priming": 0.5, "dose": 1.0}])
@pytest.mark.parametrize("blockade", [False, True])
def test_with_fast_access_it_is_the_chapter_3_model(over, blockade):
    """With access 100/day (99.9% of arriving T cells get in at once) the tumour and the T
    cells inside follow widgets.models.checkpoint.simulate (same dosing, n_doses = 0 for no
    blockade) to within half a percentage point of diameter and 1% of T cells."""
    a = M.simulate(access=100.0, blockade=blockade, **over)
    b = checkpoint.simulate(**{**over, "n_doses": 8 if blockade else 0})
    assert np.allclose(a["t"], b["t"])
    assert np.max(np.abs(a["diameter_change"] - b["diameter_change"])) < 0.5
    assert np.max(np.abs(a["inside"] / b["tcells"] - 1)) < 0.01
    assert np.allclose(a["occupancy"], b["occupancy"])
    assert list(a["recist"]) == list(b["recist"]) or blockade  # category edges may shift


def test_the_three_phenotypes_differ_in_where_the_t_cells_are():
    """Inflamed: many inside. Excluded: many at the edge, few inside. Desert: few anywhere."""
    inf, exc, des = (outcome(p, "untreated") for p in M.TUMOURS)
    assert inf["inside_start"] > 4 * des["inside_start"] > 4 * exc["inside_start"] / 4
    assert exc["edge_start"] > 5 * inf["edge_start"]
    assert exc["inside_start"] < 0.1 * inf["inside_start"]
    assert des["edge_start"] < inf["edge_start"] and des["inside_start"] < inf["inside_start"]
    assert M.entry_share(M.TUMOURS["immune-excluded"]["access"]) < 0.05


def test_untreated_all_three_progress():
    for p in M.TUMOURS:
        o = outcome(p, "untreated")
        assert o["recist_at_assessment"] == "progressive disease" and not o["response"]
        assert 30 < o["escape_day"] < 120


def test_checkpoint_blockade_rescues_the_inflamed_tumour_only():
    assert outcome("inflamed", "anti-PD-1")["response"]
    assert outcome("inflamed", "anti-PD-1")["change_at_assessment_pct"] < -80
    assert math.isnan(outcome("inflamed", "anti-PD-1")["escape_day"])
    for p in ("immune-excluded", "immune desert"):
        o = outcome(p, "anti-PD-1")
        assert not o["response"] and o["recist_at_assessment"] == "progressive disease", p
        assert o["change_at_assessment_pct"] > 20


def test_priming_with_blockade_rescues_the_desert_but_not_the_excluded_tumour():
    assert outcome("immune desert", "anti-PD-1 + priming boost")["response"]
    assert outcome("immune desert", "anti-PD-1 + priming boost")["change_at_assessment_pct"] < -50
    assert not outcome("immune-excluded", "anti-PD-1 + priming boost")["response"]


def test_access_restoration_rescues_the_excluded_tumour_but_not_the_desert():
    assert outcome("immune-excluded", "anti-PD-1 + access restoration")["response"]
    assert not outcome("immune desert", "anti-PD-1 + access restoration")["response"]
    # where access is not what fails, restoring it changes nothing
    for p in ("inflamed", "immune desert"):
        assert outcome(p, "anti-PD-1 + access restoration")[
            "change_at_assessment_pct"
        ] == pytest.approx(outcome(p, "anti-PD-1")["change_at_assessment_pct"], abs=0.01)


def test_fixes_without_blockade_do_not_respond():
    """Raising supply or access alone still leaves the brake on."""
    assert not M.summary(**M.TUMOURS["immune desert"], prime=True)["response"]
    assert not M.summary(**M.TUMOURS["immune-excluded"], open_access=True)["response"]


def test_more_access_or_priming_never_hurts_under_blockade():
    def change(**over):
        return M.summary(blockade=True, **over)["change_at_assessment_pct"]

    for name, grid in (
        ("access", [0.005, 0.02, 0.05, 0.1, 0.5, 2.0]),
        ("priming", [0.2, 0.4, 0.6, 1.0, 2.0]),
    ):
        changes = [change(**{name: v}) for v in grid]
        assert all(b <= a + 1e-6 for a, b in zip(changes, changes[1:])), name


def test_boosts_act_only_while_treatment_lasts():
    q = {**M.TUMOURS["immune-excluded"], "open_access": True, "n_doses": 4}
    df = M.simulate(**q)
    end = 4 * 14
    # after the access restoration stops, T cells pile up at the edge again
    later = df[df["t"] > end + 60]
    assert later["edge"].iloc[-1] > 5 * df.loc[(df["t"] - end).abs().idxmin(), "edge"]


def test_doubling_time_of_the_untreated_small_tumour():
    """ln 2 / r for a small tumour; without killing, the model's logistic tumour doubles in
    ln(2 (K - V0) / (K - 2 V0)) / r, a little longer because growth slows near capacity."""
    assert M.doubling_time() == pytest.approx(math.log(2) / 0.01)
    df = M.simulate(kill_rate=0.0, horizon=120, assess_day=28)
    v = df["tumour_volume"].to_numpy()
    v0, K, r = v[0], M.PARAMS["capacity"].default, M.PARAMS["growth_rate"].default
    expected = math.log(2 * (K - v0) / (K - 2 * v0)) / r
    assert np.interp(2 * v0, v, df["t"]) == pytest.approx(expected, rel=0.01)
    assert M.doubling_time() < expected < 1.1 * M.doubling_time()


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"access": 0.0}, "'access'"),
        ({"priming": 0.0}, "'priming'"),
        ({"pdl1": 1.5}, "'pdl1'"),
        ({"blockade": "yes"}, "'blockade'"),
        ({"prime_boost": float("nan")}, "'prime_boost'"),
        ({"nonsense": 1}, "'nonsense'"),
    ],
)
def test_bad_input_names_the_parameter(bad, match):
    for fn in (M.simulate, M.summary):
        with pytest.raises(ValueError, match=match):
            fn(**bad)


def test_assessment_after_the_horizon_is_refused():
    with pytest.raises(ValueError, match="assess_day"):
        M.simulate(assess_day=400, horizon=365)


@settings(max_examples=30, deadline=None)
@given(param_values(M.PARAMS))
def test_any_parameters_in_range_give_finite_non_negative_results(values):
    if values["assess_day"] > values["horizon"]:
        values["assess_day"] = values["horizon"]
    df = M.simulate(**values)
    x = df[["edge", "inside", "tumour_volume", "diameter"]].to_numpy()
    assert np.isfinite(x).all() and (x >= 0).all()
    s = M.summary(df, **values)
    assert s["recist_at_assessment"] in {
        "complete response",
        "partial response",
        "stable disease",
        "progressive disease",
    }


# -- views ----------------------------------------------------------------------------------
def test_scenarios_over_the_three_phenotypes():
    fig = V.arms_view.scenarios(M.TUMOURS, label="Immune phenotype")
    n = len(V.arms_view.figure().data)
    assert n == 8 and len(fig.data) == 3 * n
    titles = [s.args[1]["title.text"] for s in fig.layout.sliders[0].steps]
    assert "(PR)" in titles[0] or "(CR)" in titles[0]
    assert "(PD)" in titles[1] and "(PD)" in titles[2]
    assert "Illustrative model output" in fig.layout.meta["description"]


def test_static_over_access():
    fig = V.arms_view.static("access", [0.005, 0.05, 1.0])
    assert len(fig.layout.sliders[0].steps) == 3
    f = V.arms_view.figure()
    assert f.layout.xaxis2.title.text and f.layout.yaxis.title.text and f.layout.yaxis2.title.text


def test_live_explorer_redraws():
    live = V.arms_view.live(controls=["priming", "access"])
    before = np.array(live.figure.data[3].y, dtype=float)
    live.redraw(access=0.005)
    after = np.array(live.figure.data[3].y, dtype=float)
    assert not np.allclose(before, after)


def test_evidence_figure_labels_evidence_and_illustration():
    fig = V.evidence_figure(load("microenvironment_trials"))
    titles = [a.text for a in fig.layout.annotations]
    assert sum(t.startswith("EVIDENCE") for t in titles) == 3
    assert sum(t.startswith("MODEL ILLUSTRATION") for t in titles) == 3
    desc = fig.layout.meta["description"]
    assert "0.58" in desc and "1.232" in desc and "26%" in desc and "illustrative" in desc
