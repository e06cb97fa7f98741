"""The vaccine added to the checkpoint model (widgets.models.vaccine) and its views."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import widgets  # noqa: F401  (sets the book renderer)
from widgets.models import checkpoint as cp
from widgets.models import vaccine as vac
from widgets.views import vaccine as views
from conftest import param_values


def test_reuses_the_checkpoint_model_without_copying_it():
    """Every vaccine arm is exactly a checkpoint run with priming raised by the boost."""
    p = {"vaccine_boost": 1.5, "pdl1": 0.6, "infiltration": 0.4}
    both = vac.simulate("vaccine + anti-PD-1", **p)
    ref = cp.simulate(pdl1=0.6, infiltration=0.4, priming=2.5)
    pd.testing.assert_frame_equal(both, ref)
    alone = vac.simulate("vaccine alone", **p)
    pd.testing.assert_frame_equal(alone, cp.simulate(pdl1=0.6, infiltration=0.4, priming=2.5,
                                                     n_doses=0))
    untreated = vac.simulate("untreated", **p)
    assert untreated["antibody"].max() == 0.0
    assert set(vac.PARAMS.names()) == ({"vaccine_boost"} | set(cp.PARAMS.names())) - {"priming"}


def test_zero_boost_vaccine_is_no_vaccine():
    s = vac.summary(vaccine_boost=0.0)
    assert s.loc["vaccine alone", "change_at_assessment_pct"] == pytest.approx(
        s.loc["untreated", "change_at_assessment_pct"])
    assert s.loc["vaccine + anti-PD-1", "change_at_assessment_pct"] == pytest.approx(
        s.loc["anti-PD-1 alone", "change_at_assessment_pct"])


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
    assert s.loc["vaccine alone", "recist_at_assessment"] in ("partial response", "complete response")


def test_more_boost_more_shrinkage_with_anti_pd1():
    changes = [vac.summary(vaccine_boost=b).loc["vaccine + anti-PD-1", "change_at_assessment_pct"]
               for b in (0.0, 0.5, 1.0, 2.0, 3.0)]
    assert np.all(np.diff(changes) < 0)


def test_no_tcells_no_help_from_the_vaccine():
    s = vac.summary(infiltration=0.0, vaccine_boost=3.0)
    assert np.allclose(s["change_at_assessment_pct"], s.loc["untreated", "change_at_assessment_pct"],
                       atol=0.5)


def test_compare_stacks_four_arms():
    df = vac.compare()
    assert list(df["arm"].unique()) == list(vac.ARMS)
    assert len(df) == 4 * cp.N_POINTS


# -- reading hazard ratios -------------------------------------------------------------------
def test_p_value_from_interval_kantoff_2010():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: HR 0.78 (95% CI 0.61 to 0.98), P = 0.03.
    The normal approximation on the log scale recovers a p-value near the reported one."""
    r = vac.hazard_ratio_p_value(0.78, 0.61, 0.98)
    assert not r["interval_contains_1"]
    assert r["p_two_sided"] < 0.05
    assert r["p_two_sided"] == pytest.approx(0.03, abs=0.015)


def test_p_value_from_interval_crossing_one():
    """An interval that contains 1 means p > 0.05: e.g. HR 0.561 (95% CI 0.309 to 1.017),
    two-sided P = 0.053, as reported for KEYNOTE-942 (Weber et al. 2024)."""
    r = vac.hazard_ratio_p_value(0.561, 0.309, 1.017)
    assert r["interval_contains_1"]
    assert 0.05 < r["p_two_sided"] < 0.07
    # symmetry on the log scale: the point estimate is the geometric middle of a fitted CI
    r2 = vac.hazard_ratio_p_value(1.0, 0.5, 2.0)
    assert r2["p_two_sided"] == pytest.approx(1.0)


@pytest.mark.parametrize("args", [(0.5, 0.6, 0.9), (-1, 0.1, 2), (0.5, 0.1, float("nan")),
                                  (0.5, 0.3, 0.9, 1.5)])
def test_p_value_bad_input(args):
    with pytest.raises(ValueError):
        vac.hazard_ratio_p_value(*args)


def test_hazard_ratio_rows_parse_the_interval():
    trials = pd.DataFrame([
        {"trial": "A", "therapy": "x", "class": "vaccine", "endpoint": "overall survival",
         "patients": 10, "value": 0.7, "value_unit": "hazard ratio", "source": "10.1/x",
         "source_detail": "abstract: hazard ratio 0.70 (95% CI 0.50 to 0.98)"},
        {"trial": "B", "therapy": "y", "class": "vaccine", "endpoint": "relapse-free survival",
         "patients": 10, "value": 0.56, "value_unit": "hazard ratio", "source": "10.1/y",
         "source_detail": "HR 0.56 (95% CI, 0.31–1.08)"},
        {"trial": "C", "therapy": "z", "class": "vaccine", "endpoint": "overall survival",
         "patients": 10, "value": 25.0, "value_unit": "months", "source": "10.1/z",
         "source_detail": "median"},
    ])
    rows = views.hazard_ratio_rows(trials)
    assert list(rows["trial"]) == ["A", "B"]
    assert list(rows["lower"]) == [0.5, 0.31] and list(rows["upper"]) == [0.98, 1.08]
    fig = views.trial_figure(rows)
    assert "crosses 1" in fig.layout.meta["description"]
    assert "lies below 1" in fig.layout.meta["description"]


def test_trials_data_has_impact():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: HR 0.78, median OS 25.8 vs 21.7 months,
    read through the one data loader (data/trials.csv, curated for chapter 10)."""
    from widgets.data import load

    trials = load("trials")
    impact = trials[trials["trial"] == "IMPACT"]
    months = impact[impact["value_unit"] == "months"].set_index("arm")["value"]
    assert months["sipuleucel-T"] == pytest.approx(25.8)
    assert months["placebo"] == pytest.approx(21.7)
    rows = views.hazard_ratio_rows(trials)
    row = rows[rows["trial"] == "IMPACT"].iloc[0]
    assert (row["hr"], row["lower"], row["upper"]) == (0.78, 0.61, 0.98)


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
