"""The checkpoint-blockade model (widgets.models.checkpoint) and its views."""

import math

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import checkpoint as cp
from widgets.views import checkpoint as views

PK = dict(interval=14, body_weight=80.0, half_life=19.7, volume=6.41)


# -- pharmacokinetics and occupancy --------------------------------------------------------------
def test_defaults_follow_bajaj_2017_population_pk():
    """Bajaj et al. 2017 (CPT Pharmacometrics Syst Pharmacol 6:58), Table 1: CL 9.4 mL/h,
    Vc 3.63 L, Vp 2.78 L for the 80-kg reference patient; the one-compartment half-life
    ln2 (Vc + Vp) / CL lies inside Brahmer et al. 2010's 12-20 days."""
    cl_l_per_day = 9.4 * 24 / 1000
    volume = 3.63 + 2.78
    half_life = math.log(2) * volume / cl_l_per_day
    assert cp.PARAMS["volume"].default == pytest.approx(volume)
    assert cp.PARAMS["half_life"].default == pytest.approx(half_life, abs=0.05)
    assert cp.PARAMS["body_weight"].default == 80.0
    assert 12.0 <= cp.PARAMS["half_life"].default <= 20.0


def test_concentration_halves_over_one_half_life():
    """Brahmer et al. 2010 (J Clin Oncol 28:3167): serum half-life 12-20 days; the model's
    concentration after one dose halves over each half-life."""
    for h in (12.0, 20.0):
        c = cp.concentration(
            [10.0, 10.0 + h, 10.0 + 2 * h], dose=3.0, n_doses=1, **{**PK, "half_life": h}
        )
        assert c[1] / c[0] == pytest.approx(0.5, rel=1e-9)
        assert c[2] / c[0] == pytest.approx(0.25, rel=1e-9)
    c0 = cp.concentration([0.0], dose=3.0, n_doses=1, **PK)[0]
    assert c0 == pytest.approx(3.0 * 80.0 / 6.41)  # mg/L = µg/mL


def test_superposition_of_repeated_doses():
    one = cp.concentration(np.arange(0, 60.0), dose=3.0, n_doses=1, **PK)
    two = cp.concentration(np.arange(0, 60.0), dose=3.0, n_doses=2, **PK)
    shifted = np.concatenate([np.zeros(14), one[:-14]])
    np.testing.assert_allclose(two, one + shifted, rtol=1e-12)
    assert cp.concentration([5.0], dose=0.0, n_doses=3, **PK)[0] == 0.0


@pytest.mark.parametrize("dose", [0.3, 1.0, 3.0, 10.0])
def test_occupancy_calibration_brahmer_2010(dose):
    """Calibration check, not a prediction: Brahmer et al. 2010 (abstract, pharmacodynamics)
    report mean PD-1 occupancy > 70% on circulating T cells for >= 2 months after one dose of
    0.3-10 mg/kg; the illustrative EC50 is chosen so that the model does the same."""
    t = np.linspace(0, 60, 121)
    ro = cp.occupancy(cp.concentration(t, dose=dose, n_doses=1, **PK), cp.PARAMS["ec50"].default)
    assert ro.min() > 0.70


def test_calibration_can_fail():
    """The occupancy test is not vacuous: a tenfold higher EC50 breaks it at 0.3 mg/kg."""
    c = cp.concentration([60.0], dose=0.3, n_doses=1, **PK)
    assert cp.occupancy(c, 10 * cp.PARAMS["ec50"].default)[0] < 0.70


# -- the scenarios the chapter teaches --------------------------------------------------------------
EXPECTED = {
    "immune desert: no response": ("progressive disease", "progressive disease"),
    "partial response": ("partial response", "partial response"),
    "durable control after short treatment": ("complete response", "complete response"),
    "T cells but no PD-L1": ("stable disease", "progressive disease"),
    "anti-PD-1 + anti-CTLA-4": ("partial response", "partial response"),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_scenario_recist_categories(name):
    s = cp.summary(**cp.SCENARIOS[name])
    assert (s["recist_at_assessment"], s["recist_at_end"]) == EXPECTED[name]


def test_durable_control_outlasts_the_drug():
    """Four doses (8 weeks); the tumour stays controlled long after occupancy has fallen,
    echoing durable responses off treatment (Lipson et al. 2013, Clin Cancer Res 19:462)."""
    p = cp.SCENARIOS["durable control after short treatment"]
    df = cp.simulate(**{**p, "horizon": 730, "assess_day": 168})
    late = df[df["t"] >= 400]
    assert late["occupancy"].max() < 0.1  # the drug is gone ...
    assert late["diameter_change"].max() < -95  # ... and the tumour has not come back
    assert (late["recist"] == "complete response").all()


def test_no_pdl1_means_no_benefit_from_blockade():
    """Without PD-L1 there is no brake to release: treated and untreated runs coincide."""
    p = cp.SCENARIOS["T cells but no PD-L1"]
    treated = cp.simulate(**p)
    untreated = cp.simulate(**{**p, "n_doses": 0})
    np.testing.assert_allclose(treated["tumour_volume"], untreated["tumour_volume"], rtol=1e-3)


def test_no_tcells_means_no_benefit_from_blockade():
    treated = cp.simulate(infiltration=0.0)
    untreated = cp.simulate(infiltration=0.0, n_doses=0)
    np.testing.assert_allclose(treated["tumour_volume"], untreated["tumour_volume"], rtol=1e-3)
    assert treated["tcells"].max() == 0.0


def test_benefit_grows_with_pdl1_when_tcells_are_present():
    """Benefit (untreated minus treated diameter change at assessment) rises with PD-L1."""
    benefit = []
    for L in (0.2, 0.5, 0.8, 1.0):
        t = cp.summary(pdl1=L, infiltration=0.8)["change_at_assessment_pct"]
        u = cp.summary(pdl1=L, infiltration=0.8, n_doses=0)["change_at_assessment_pct"]
        benefit.append(u - t)
    assert np.all(np.diff(benefit) > 0)


def test_more_infiltration_smaller_tumour_with_blockade():
    day = cp.PARAMS["assess_day"].default
    sizes = [cp.summary(infiltration=s)["change_at_assessment_pct"] for s in (0.2, 0.5, 1.0, 2.0)]
    assert np.all(np.diff(sizes) < 0), (day, sizes)


def test_anti_ctla4_raises_priming_and_helps():
    base = dict(infiltration=0.3)
    off = cp.simulate(**base)
    on = cp.simulate(**base, anti_ctla4=True)
    early = off["t"] <= 30
    assert (on["tcells"][early].iloc[1:] > off["tcells"][early].iloc[1:]).all()
    assert (
        cp.summary(**base, anti_ctla4=True)["change_at_assessment_pct"]
        < cp.summary(**base)["change_at_assessment_pct"]
    )


def test_priming_is_an_explicit_parameter():
    """Chapter 8 reuses the model by raising priming; more priming, smaller tumour."""
    low = cp.summary(infiltration=0.4, priming=1.0)["change_at_assessment_pct"]
    high = cp.summary(infiltration=0.4, priming=2.0)["change_at_assessment_pct"]
    assert high < low


def test_untreated_tumour_grows():
    s = cp.summary(n_doses=0)
    assert s["recist_at_assessment"] == "progressive disease"
    assert s["change_at_end_pct"] > s["change_at_assessment_pct"] > 20


def test_output_columns_and_units():
    df = cp.simulate()
    assert list(df.columns) == [
        "t",
        "antibody",
        "occupancy",
        "brake",
        "tcells",
        "tumour_volume",
        "diameter",
        "diameter_change",
        "recist",
    ]
    assert len(df) == cp.N_POINTS
    assert df["t"].iloc[0] == 0 and df["t"].iloc[-1] == 365
    assert df["diameter"].iloc[0] == pytest.approx(40.0)
    assert df["tumour_volume"].iloc[0] == pytest.approx(math.pi / 6 * 4.0**3)
    assert ((df["brake"] >= 0) & (df["brake"] <= df["occupancy"].max())).all()
    assert cp.recist_at(df, 168) == cp.summary(df)["recist_at_assessment"]


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"dose": 11.0}, "dose"),
        ({"pdl1": float("nan")}, "pdl1"),
        ({"interval": 14.5}, "interval"),
        ({"n_doses": "four"}, "n_doses"),
        ({"anti_ctla4": "yes"}, "anti_ctla4"),
        ({"infiltration": -0.1}, "infiltration"),
        ({"assess_day": 400}, "assess_day"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cp.simulate(**kwargs)


def test_recist_at_outside_the_run():
    with pytest.raises(ValueError):
        cp.recist_at(cp.simulate(horizon=100, assess_day=50), 200)


# -- property test over the whole parameter space -----------------------------------------------


@settings(max_examples=40, deadline=None)
@given(param_values(cp.PARAMS, log_scale=False))
def test_finite_non_negative_everywhere(values):
    values["assess_day"] = min(values["assess_day"], values["horizon"])
    df = cp.simulate(**values)
    numeric = df.drop(columns="recist").to_numpy()
    assert np.all(np.isfinite(numeric))
    assert (df.drop(columns=["recist", "diameter_change"]).to_numpy() >= 0).all()
    assert (df["diameter_change"] >= -100).all()
    assert (df["occupancy"] <= 1).all()
    bound = (
        values["infiltration"]
        * values["priming"]
        * (1 + (values["ctla4_boost"] if values["anti_ctla4"] else 0))
        / (values["tcell_death"] * (1 - values["expansion"]))
    )
    # within the solver's tolerance (rtol 1e-6 per step; LSODA's results can differ in the
    # last digits with the calls made before in the same process, so a few times that)
    assert df["tcells"].max() <= bound * (1 + 1e-5) + 1e-9


# -- views -------------------------------------------------------------------------------------
def test_treatment_view_static_and_live():
    fig = views.treatment_view.static("pdl1", [0.0, 0.5, 1.0])
    n = len(views.treatment_view.figure().data)
    assert len(fig.data) == 3 * n
    assert [s.label for s in fig.layout.sliders[0].steps] == ["0", "0.5", "1"]
    assert (
        "RECIST" in fig.layout.meta["description"] or "diameter" in fig.layout.meta["description"]
    )
    live = views.treatment_view.live(controls=["pdl1", "infiltration", "n_doses"])
    before = np.asarray(live.figure.data[4].y).copy()
    live.redraw(infiltration=0.1)
    after = np.asarray(live.figure.data[4].y)
    assert after[-1] > before[-1]  # an immune-desert tumour keeps growing
    assert "progressive disease" in live.figure.layout.title.text


def test_treatment_view_scenarios():
    fig = views.treatment_view.scenarios(cp.SCENARIOS, label="Scenario")
    assert [s.label for s in fig.layout.sliders[0].steps] == list(cp.SCENARIOS)


def test_response_map_and_occupancy_figure():
    fig = views.response_map_view.figure(assess_day=112)
    untreated, treated = fig.data
    assert np.asarray(treated.z).shape == (len(views.MAP_INFILTRATION), len(views.MAP_PDL1))
    # bottom row: no T cells -> progression with or without treatment
    assert set(np.asarray(treated.text)[0]) == {"PD"}
    # high PD-L1, many T cells: progression untreated, response treated
    assert np.asarray(untreated.text)[-1][-1] == "PD"
    assert np.asarray(treated.text)[-1][-1] in {"CR", "PR"}
    occ = views.occupancy_figure()
    assert len(occ.data) == 4 and "70%" in occ.layout.meta["description"]


# -- exercises -----------------------------------------------------------------------------------
@pytest.mark.parametrize("ex", ["3.1", "3.2", "3.3"])
def test_exercises_check(ex, capsys):
    from widgets.checks import check, feedback, get

    assert check(ex, get(ex).solution())
    assert "✔" in capsys.readouterr().out
    ok, message = feedback(ex, {"wrong": 1} if isinstance(get(ex).solution(), dict) else -1234.5)
    assert not ok
