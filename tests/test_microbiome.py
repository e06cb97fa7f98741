"""The microbiome model (widgets.models.microbiome), the nerve-injury model
(widgets.models.nerve), the time-varying priming they add to the checkpoint model, and
their views."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import stats
from widgets.models import checkpoint as cp
from widgets.models import microbiome as mb
from widgets.models import nerve, recist
from widgets.views import microbiome as views

ABX = mb.SCENARIOS["antibiotics for 14 days, ending at the first infusion"]


# -- the checkpoint extension: time-varying priming ----------------------------------------------
def test_checkpoint_without_priming_fn_is_unchanged_and_constant_fn_matches_priming():
    base = cp.simulate(priming=2.0)
    same = cp.simulate(priming_fn=lambda t: 2.0)
    np.testing.assert_allclose(same["tcells"], base["tcells"], rtol=1e-4, atol=1e-6)
    cut = cp.simulate(priming_fn=lambda t: 2.0, priming_breaks=[30.0, 73.0])
    assert len(cut) == cp.N_POINTS
    np.testing.assert_allclose(cut["tumour_volume"], base["tumour_volume"], rtol=1e-3)


def test_checkpoint_priming_fn_is_validated():
    with pytest.raises(ValueError, match="priming_fn"):
        cp.simulate(priming_fn=3.0)
    with pytest.raises(ValueError, match="priming_fn"):
        cp.simulate(priming_fn=lambda t: -1.0)
    with pytest.raises(ValueError, match="priming_fn"):
        cp.simulate(priming_fn=lambda t: float("nan"))
    with pytest.raises(ValueError, match="priming_breaks"):
        cp.simulate(priming_breaks=[10.0])


def test_lower_priming_after_day_0_weakens_the_response():
    strong = cp.summary(cp.simulate(infiltration=0.5), infiltration=0.5)
    weak_df = cp.simulate(
        infiltration=0.5, priming_fn=lambda t: 1.0 if t < 1 else 0.5, priming_breaks=[1.0]
    )
    weak = cp.summary(weak_df, infiltration=0.5)
    assert weak["change_at_assessment_pct"] > strong["change_at_assessment_pct"]


# -- commensals -----------------------------------------------------------------------------------
def test_commensals_stay_at_set_point_without_intervention():
    a = mb.commensal_path(np.linspace(-50, 365, 50), commensals=0.37)
    np.testing.assert_allclose(a, 0.37)


def test_antibiotics_deplete_then_commensals_recover_logistically():
    p = dict(commensals=0.5, abx_days=10, abx_start=0, abx_kill=0.3, regrowth=0.05)
    t = np.array([0.0, 10.0, 400.0])
    a = mb.commensal_path(t, **p)
    # during the course: logistic with r = g - k, exact solution
    r, c = 0.05 - 0.3, 0.05 / 0.5
    expected10 = r * 0.5 * math.exp(r * 10) / (r + c * 0.5 * (math.exp(r * 10) - 1))
    assert a[0] == pytest.approx(0.5)
    assert a[1] == pytest.approx(expected10, rel=1e-9)
    assert a[2] == pytest.approx(0.5, rel=1e-3)  # back to the set point


def test_fmt_mixes_in_the_donor_community_and_its_set_point():
    p = dict(commensals=0.2, fmt=True, fmt_day=0, donor_commensals=0.9, engraftment=0.5)
    a = mb.commensal_path([0.0, 1000.0], **p)
    assert a[0] == pytest.approx(0.55)
    assert a[1] == pytest.approx(0.55, rel=1e-6)
    low = mb.commensal_path([0.0], **{**p, "donor_commensals": 0.1})
    assert low[0] == pytest.approx(0.15)


def test_simulate_adds_commensals_and_priming_columns():
    df = mb.simulate(**ABX)
    assert {"commensals", "priming", "tcells", "recist"} <= set(df.columns)
    assert len(df) == cp.N_POINTS
    np.testing.assert_allclose(df["priming"], 0.5 + 1.0 * df["commensals"])
    assert df["commensals"].iloc[0] < 0.05  # depleted by the course that ended on day 0


def test_no_intervention_equals_the_checkpoint_model_with_constant_priming():
    df = mb.simulate(commensals=0.5)
    ref = cp.simulate(priming=1.0)
    np.testing.assert_allclose(df["tumour_volume"], ref["tumour_volume"], rtol=1e-12)


def test_antibiotics_blunt_and_fmt_restores_response_routy_baruch():
    """Published behaviour (direction only): antibiotics blunted the benefit of PD-1
    blockade (Routy et al. 2018, Science 359:91, abstract), and responder-donor FMT was
    followed by responses in anti-PD-1-refractory patients (Baruch et al. 2021, Science,
    doi:10.1126/science.abb5920, abstract). One patient with moderate infiltration."""
    p = dict(infiltration=0.5)
    none = mb.summary(**p)["change_at_assessment_pct"]
    abx = mb.summary(**p, **ABX)["change_at_assessment_pct"]
    fmt = mb.summary(**{**p, "commensals": 0.1, "fmt": True})["change_at_assessment_pct"]
    poor = mb.summary(**{**p, "commensals": 0.1})["change_at_assessment_pct"]
    assert abx > none
    assert fmt < poor


def test_cohort_response_rates_order_and_reproducibility():
    base = mb.cohort_results("none", n=60)
    again = mb.cohort_results("none", n=60)
    pd.testing.assert_frame_equal(base, again)
    abx = mb.cohort_results("abx", n=60, **ABX)
    fmt = mb.cohort_results("fmt", n=60, fmt=True)
    assert stats.response_rate(abx).k <= stats.response_rate(base).k <= stats.response_rate(fmt).k
    # crossover: the same virtual patients in every scenario
    np.testing.assert_array_equal(base["infiltration"], fmt["infiltration"])


@pytest.mark.parametrize(
    "name, value",
    [
        ("commensals", 1.5),
        ("abx_days", 2.5),
        ("abx_start", -200),
        ("fmt", "yes"),
        ("regrowth", float("nan")),
        ("engraftment", -0.1),
    ],
)
def test_bad_input_names_the_parameter(name, value):
    with pytest.raises(ValueError, match=name):
        mb.simulate(**{name: value})


@settings(max_examples=40, deadline=None)
@given(
    commensals=st.floats(0, 1),
    regrowth=st.floats(0.005, 0.5),
    abx_days=st.integers(0, 42),
    abx_start=st.integers(-90, 180),
    abx_kill=st.floats(0, 2),
    fmt=st.booleans(),
    fmt_day=st.integers(-60, 180),
    donor=st.floats(0, 1),
    engraftment=st.floats(0, 1),
    low=st.floats(0, 2),
    high=st.floats(0, 5),
)
def test_property_finite_and_bounded(
    commensals, regrowth, abx_days, abx_start, abx_kill, fmt, fmt_day, donor, engraftment, low, high
):
    df = mb.simulate(
        commensals=commensals,
        regrowth=regrowth,
        abx_days=abx_days,
        abx_start=abx_start,
        abx_kill=abx_kill,
        fmt=fmt,
        fmt_day=fmt_day,
        donor_commensals=donor,
        engraftment=engraftment,
        priming_low=low,
        priming_high=high,
    )
    num = df.drop(columns=["recist"]).to_numpy(float)
    assert np.all(np.isfinite(num))
    assert df["commensals"].between(0, 1).all() and (df["priming"] >= 0).all()
    assert (df["tcells"] >= 0).all() and (df["tumour_volume"] > 0).all()


# -- nerve injury ---------------------------------------------------------------------------------
def test_nerve_injury_resistance_reversed_by_blocking_the_signal():
    """Published behaviour (direction only): nerve injury by the cancer went with resistance
    to anti-PD-1, reversed in mice by blocking the injury signal (e.g. anti-IL-6 receptor)
    ("Cancer-induced nerve injury promotes resistance to anti-PD-1 therapy", Nature 2025,
    doi:10.1038/s41586-025-09370-8, abstract)."""
    s = {k: nerve.summary(**v) for k, v in nerve.SCENARIOS.items()}
    assert s["no nerve injury"]["recist_at_assessment"] in recist.RESPONSES
    assert s["nerve injury"]["recist_at_assessment"] not in recist.RESPONSES
    assert s["nerve injury + signal blocked"]["recist_at_assessment"] in recist.RESPONSES
    assert nerve.exhaustion(0.8, 0.0, 0.8) == pytest.approx(0.64)
    assert nerve.checkpoint_params(nerve_injury=0.5, max_exhaustion=0.8)[
        "kill_rate"
    ] == pytest.approx(0.03 * 0.6)
    with pytest.raises(ValueError, match="nerve_injury"):
        nerve.simulate(nerve_injury=2.0)


# -- views ----------------------------------------------------------------------------------------
def test_patient_view_static_and_live():
    fig = views.patient_view.static("abx_start", [-60, 0], abx_days=14)
    assert len(fig.layout.sliders[0].steps) == 2
    live = views.patient_view.live(controls=["abx_days", "abx_start", "fmt"])
    before = list(live.figure.data[4].y)
    live.redraw(abx_days=21)
    assert list(live.figure.data[4].y) != before
    assert "description" in fig.layout.meta


def test_nerve_view_static_steps_and_cohort_view():
    fig = views.nerve_view.static("nerve_injury", [0.0, 0.8], blockade=0.9)
    assert len(fig.layout.sliders[0].steps) == 2 and len(fig.data) == 8
    c = views.cohort_view.figure()
    assert len(c.data) == 10 and "virtual" in c.layout.meta["description"]


def test_evidence_numbers_come_from_the_loader():
    data = views.evidence_numbers()["published"]
    assert set(data["study"]) == {"Baruch 2021", "Davar 2021", "Xu 2020"}
    baruch = data[data["study"] == "Baruch 2021"].iloc[0]
    assert (baruch["responders"], baruch["patients"]) == (3, 10)
    pfs = data[data["endpoint"] == "progression-free survival hazard ratio"].iloc[0]
    assert (pfs["value"], pfs["lo"], pfs["hi"]) == (1.53, 1.30, 1.79)
