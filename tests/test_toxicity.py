"""The therapeutic-window model (widgets.models.toxicity) and the chapter 9 views."""

import math

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import toxicity as tox
from widgets.views import toxicity as views


# -- calibration to the published rates ----------------------------------------------------------
def test_harm_curve_reproduces_checkmate_067_grade_3_4_rates():
    """Calibration check, not a prediction: Larkin et al. 2015 (N Engl J Med 373:23, abstract)
    report grade 3-4 treatment-related adverse events in 16.3% (nivolumab) and 55.0%
    (nivolumab plus ipilimumab); the rounded defaults reproduce both within 0.1 point."""
    p = tox.PARAMS.defaults()
    h = tox.harm([0.5, 1.0], harm_half=p["harm_half"], harm_hill=p["harm_hill"])
    assert 100 * h[0] == pytest.approx(16.3, abs=0.1)
    assert 100 * h[1] == pytest.approx(55.0, abs=0.1)


def test_benefit_curve_reproduces_checkmate_067_response_rates():
    """Larkin et al. 2015 (abstract): objective response 43.7% (nivolumab) and 57.6%
    (nivolumab plus ipilimumab); the calibrated benefit curve passes through both."""
    p = tox.PARAMS.defaults()
    r = tox.benefit(
        [0.5, 1.0], resp_max=p["resp_max"], resp_half=p["resp_half"], resp_hill=p["resp_hill"]
    )
    assert 100 * r[0] == pytest.approx(43.7, abs=0.1)
    assert 100 * r[1] == pytest.approx(57.6, abs=0.1)


def test_defaults_are_the_rounded_calibration():
    cal = tox.calibrate()
    p = tox.PARAMS.defaults()
    for name, digits in (("resp_max", 3), ("resp_half", 3), ("harm_half", 3), ("harm_hill", 2)):
        assert p[name] == round(cal[name], digits)


def test_calibration_can_fail():
    """The calibration is not vacuous: a flatter harm curve misses the combination's rate."""
    p = tox.PARAMS.defaults()
    h = tox.harm(0.5, harm_half=p["harm_half"], harm_hill=1.0)
    assert abs(100 * float(h) - 16.3) > 1.0
    h_other = tox.harm(1.0, harm_half=0.5, harm_hill=p["harm_hill"])
    assert abs(100 * float(h_other) - 55.0) > 10


def test_harm_is_steeper_than_benefit():
    """The chapter's claim: harm rises later but more steeply than benefit."""
    p = tox.PARAMS.defaults()
    assert p["harm_hill"] > p["resp_hill"]
    assert p["harm_half"] > p["resp_half"]
    df = tox.simulate()
    assert (df["benefit"] > df["harm"]).iloc[1:100].all()  # low settings: benefit ahead


def test_anti_ctla4_sits_between_on_the_harm_curve():
    """Anti-CTLA-4 alone: 27.3% grade 3-4 (between the other arms), but only 19.0% response
    (below anti-PD-1) in Larkin 2015: on the one dial its harm-equivalent setting lies between
    0.5 and 1 while its response would need a setting below 0.5."""
    u_harm = tox.setting_for_harm(tox.CALIBRATION["anti-CTLA-4"]["harm"])
    assert 0.5 < u_harm < 1.0
    p = tox.PARAMS.defaults()
    r = tox.benefit(u_harm, resp_max=p["resp_max"], resp_half=p["resp_half"], resp_hill=1.0)
    assert float(r) > tox.CALIBRATION["anti-CTLA-4"]["response"] + 0.2


def test_calibrate_rejects_impossible_points():
    with pytest.raises(ValueError):
        tox.calibrate(response=(0.6, 0.5))
    with pytest.raises(ValueError):
        tox.calibrate(harm_rates=(0.5, 0.2))
    with pytest.raises(ValueError):
        tox.calibrate(settings=(1.0, 0.5))


# -- the window ------------------------------------------------------------------------------------
def test_default_window():
    w = tox.window()
    assert w["open"]
    assert w["low"] == pytest.approx(0.2565, abs=1e-3)
    assert w["high"] == pytest.approx(0.6733, abs=1e-3)
    assert w["width"] == pytest.approx(w["high"] - w["low"])
    p = tox.PARAMS.defaults()
    assert float(
        tox.harm(w["high"], harm_half=p["harm_half"], harm_hill=p["harm_hill"])
    ) == pytest.approx(p["harm_limit"], abs=1e-8)


def test_window_closes_when_goal_too_high_or_limit_too_low():
    assert not tox.window(benefit_goal=0.9)["open"]
    assert tox.window(benefit_goal=0.9)["width"] == 0.0
    assert not tox.window(harm_limit=0.01, benefit_goal=0.3)["open"]
    assert tox.window(harm_limit=0.0)["high"] == 0.0


def test_window_shrinks_with_steeper_harm_through_same_anti_pd1_point():
    wide = tox.window()
    steep = tox.window(
        **{k: v for k, v in tox.calibrate(harm_rates=(0.163, 0.7)).items() if k.startswith("harm")}
    )
    assert steep["high"] < wide["high"]


def test_simulate_columns_and_monotone():
    df = tox.simulate()
    assert list(df.columns) == ["u", "benefit", "harm", "net", "in_window"]
    assert len(df) == tox.N_POINTS
    assert df["u"].iloc[0] == 0 and df["u"].iloc[-1] == tox.U_MAX
    assert df["benefit"].iloc[0] == 0 and df["harm"].iloc[0] == 0
    assert (np.diff(df["benefit"]) >= 0).all() and (np.diff(df["harm"]) >= 0).all()


def test_summary_at_the_combination():
    s = tox.summary(brake_release=1.0)
    assert s["harm"] == pytest.approx(0.55, abs=1e-3)
    assert not s["in_window"]


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"brake_release": 2.0}, "brake_release"),
        ({"harm_hill": float("nan")}, "harm_hill"),
        ({"resp_max": "high"}, "resp_max"),
        ({"harm_limit": -0.1}, "harm_limit"),
        ({"dose": 1}, "dose"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        tox.simulate(**kwargs)


def test_setting_for_harm_rejects_bad_rates():
    with pytest.raises(ValueError):
        tox.setting_for_harm(1.0)
    with pytest.raises(ValueError):
        tox.benefit(-1.0, resp_max=0.5, resp_half=0.5, resp_hill=1.0)


@settings(max_examples=40, deadline=None)
@given(param_values(tox.PARAMS, log_scale=False))
def test_finite_and_in_range_everywhere(values):
    df = tox.simulate(**values)
    num = df[["u", "benefit", "harm"]].to_numpy()
    assert np.all(np.isfinite(num)) and (num >= 0).all()
    assert (df["benefit"] <= 1).all() and (df["harm"] <= 1).all()
    s = tox.summary(**values)
    assert 0 <= s["window_width"] <= tox.U_MAX
    assert math.isfinite(s["benefit"]) and math.isfinite(s["harm"])


# -- views -----------------------------------------------------------------------------------------
def test_window_view_static_and_live_redraw():
    fig = views.window_view.static(values=[0.0, 0.5, 1.0, 1.5])
    n = len(views.window_view.figure().data)
    assert len(fig.data) == 4 * n
    assert len(fig.layout.sliders[0].steps) == 4
    assert "Illustrative" in fig.layout.meta["description"]
    live = views.window_view.live(controls=["brake_release", "harm_hill"])
    live.redraw(brake_release=1.0)
    assert "Setting 1.00" in live.figure.layout.title.text
    before = live.figure.data[1].y[-1]
    live.redraw(harm_hill=8.0)
    assert live.figure.data[1].y[-1] != before  # the harm curve was redrawn


def test_window_view_without_window_says_so():
    fig = views.window_view.figure(benefit_goal=0.9)
    assert "no therapeutic window" in fig.layout.meta["description"]


def test_incidence_view_scenarios_and_filters():
    fig = views.incidence_view.scenarios(views.ORGAN_SCENARIOS, label="Organ system")
    n = len(views.incidence_view.figure().data)
    assert len(fig.data) == n * len(views.ORGAN_SCENARIOS)
    lung = views.incidence_view.figure(organ="lung")
    assert "pneumonitis" in lung.layout.meta["description"]
    none = views.incidence_view.figure(**{views._reg_param(r): False for r in views.REGIMENS})
    assert "No rows match" in none.layout.meta["description"]


def test_incidence_rows_cover_the_organs_and_fit_the_figure():
    for organ in views.ORGANS:
        rows = views.incidence_rows(organ)
        assert 0 < len(rows) <= views.MAX_ROWS, organ
    rows = views.incidence_rows("lung")
    assert set(rows["regimen"]) == {"anti-PD-1", "anti-PD-1 + anti-CTLA-4"}


def test_incidence_live_dropdown_redraws():
    live = views.incidence_live()
    live.controls["organ"].value = "liver"
    assert "liver" in live.figure.layout.title.text
    with pytest.raises(ValueError):
        views.incidence_live("heart")


def test_exact_intervals_from_counts():
    df = views.adverse_events()
    row = df[
        (df["trial"] == "CheckMate 026")
        & (df["regimen"] == "chemotherapy")
        & (df["event"] == "anaemia")
        & (df["grade"] == "any")
    ].iloc[0]
    assert row["rate"] == pytest.approx(113 / 263)
    assert row["ci_low"] < row["rate"] < row["ci_high"]
    no_counts = df[df["events"].isna()]
    assert no_counts["ci_low"].isna().all()
