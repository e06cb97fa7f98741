"""The vaccine added to the checkpoint model (widgets.models.vaccine) and its views."""

import numpy as np
import pandas as pd
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import checkpoint as cp
from widgets.models import vaccine as vac
from widgets.views import vaccine as views


def test_reuses_the_checkpoint_model_without_copying_it():
    """Every vaccine arm is exactly a checkpoint run with priming raised by the boost."""
    p = {"vaccine_boost": 1.5, "pdl1": 0.6, "infiltration": 0.4}
    both = vac.simulate("vaccine + anti-PD-1", **p)
    ref = cp.simulate(pdl1=0.6, infiltration=0.4, priming=2.5)
    pd.testing.assert_frame_equal(both, ref)
    alone = vac.simulate("vaccine alone", **p)
    pd.testing.assert_frame_equal(
        alone, cp.simulate(pdl1=0.6, infiltration=0.4, priming=2.5, n_doses=0)
    )
    untreated = vac.simulate("untreated", **p)
    assert untreated["antibody"].max() == 0.0
    assert set(vac.PARAMS.names()) == ({"vaccine_boost"} | set(cp.PARAMS.names())) - {"priming"}


def test_zero_boost_vaccine_is_no_vaccine():
    s = vac.summary(vaccine_boost=0.0)
    assert s.loc["vaccine alone", "change_at_assessment_pct"] == pytest.approx(
        s.loc["untreated", "change_at_assessment_pct"]
    )
    assert s.loc["vaccine + anti-PD-1", "change_at_assessment_pct"] == pytest.approx(
        s.loc["anti-PD-1 alone", "change_at_assessment_pct"]
    )


def test_combination_beats_either_alone_in_the_chapter_tumour():
    """High PD-L1, few T cells: vaccine alone is held back by the brake, anti-PD-1 alone has
    too few T cells to release; together they give a response. Same direction as
    KEYNOTE-942 (Weber et al. 2024, Lancet 403:632, abstract: recurrence-free survival
    hazard ratio below 1 for mRNA-4157 plus pembrolizumab versus pembrolizumab alone) and as
    Ott et al. 2017 (Nature 547:217, abstract), where two vaccinated patients who relapsed
    had complete tumour regression after subsequent anti-PD-1."""
    s = vac.summary()
    change = s["change_at_assessment_pct"]
    assert change["vaccine + anti-PD-1"] < change["anti-PD-1 alone"] < change["untreated"]
    assert change["vaccine + anti-PD-1"] < change["vaccine alone"] <= change["untreated"]
    assert s.loc["vaccine + anti-PD-1", "recist_at_assessment"] == "partial response"
    assert s.loc["vaccine alone", "recist_at_assessment"] == "progressive disease"
    assert s.loc["anti-PD-1 alone", "recist_at_assessment"] == "stable disease"


def test_vaccine_alone_can_work_when_the_brake_is_weak():
    s = vac.summary(pdl1=0.2, vaccine_boost=1.5)
    assert s.loc["vaccine alone", "recist_at_assessment"] in (
        "partial response",
        "complete response",
    )


def test_more_boost_more_shrinkage_with_anti_pd1():
    changes = [
        vac.summary(vaccine_boost=b).loc["vaccine + anti-PD-1", "change_at_assessment_pct"]
        for b in (0.0, 0.5, 1.0, 2.0, 3.0)
    ]
    assert np.all(np.diff(changes) < 0)


def test_no_tcells_no_help_from_the_vaccine():
    s = vac.summary(infiltration=0.0, vaccine_boost=3.0)
    assert np.allclose(
        s["change_at_assessment_pct"], s.loc["untreated", "change_at_assessment_pct"], atol=0.5
    )


def test_compare_stacks_four_arms():
    df = vac.compare()
    assert list(df["arm"].unique()) == list(vac.ARMS)
    assert len(df) == 4 * cp.N_POINTS


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"vaccine_boost": 3.5}, "vaccine_boost"),
        ({"vaccine_boost": float("nan")}, "vaccine_boost"),
        ({"vaccine_boost": "strong"}, "vaccine_boost"),
        ({"pdl1": 1.2}, "pdl1"),
        ({"priming": 2.0}, "priming"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        vac.simulate(**kwargs)
    with pytest.raises(ValueError, match=name):
        vac.compare(**kwargs)


def test_unknown_arm():
    with pytest.raises(ValueError, match="arm"):
        vac.simulate("placebo")


# -- property test ----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(param_values(vac.PARAMS, log_scale=False))
def test_finite_non_negative_everywhere(values):
    values["assess_day"] = min(values["assess_day"], values["horizon"])
    df = vac.simulate("vaccine + anti-PD-1", **values)
    numeric = df.drop(columns="recist").to_numpy()
    assert np.all(np.isfinite(numeric))
    assert (df.drop(columns=["recist", "diameter_change"]).to_numpy() >= 0).all()
    assert (df["diameter_change"] >= -100).all()


# -- views -------------------------------------------------------------------------------------
def test_arms_view_static_and_live():
    n = len(views.arms_view.figure().data)
    assert n == 8
    fig = views.arms_view.static("vaccine_boost", [0.0, 1.0, 2.0])
    assert len(fig.data) == 3 * n
    assert [s.label for s in fig.layout.sliders[0].steps] == ["0", "1", "2"]
    assert "vaccine alone" in fig.layout.meta["description"]
    live = views.arms_view.live(controls=["vaccine_boost", "pdl1", "n_doses"])
    before = float(np.asarray(live.figure.data[7].y)[-1])
    live.redraw(vaccine_boost=0.0)
    after = float(np.asarray(live.figure.data[7].y)[-1])
    assert after > before  # without the vaccine the combination arm does worse
    assert "Day 168" in live.figure.layout.title.text


def test_exercise_63_checks(capsys):
    from widgets.checks import check, feedback, get

    sol = get("6.3").solution()
    assert sol["vaccine alone"] == "none"
    assert check("6.3", sol)
    assert "✔" in capsys.readouterr().out
    assert not feedback("6.3", {**sol, "vaccine alone": 1.0})[0]
