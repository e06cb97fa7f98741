"""The figures of chapter 10 (widgets.views.response) and the chapter's exercises."""

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets import evidence, stats
from widgets.models import neoantigen
from widgets.views import response as views


def test_filters():
    t = evidence.response_table()
    all_ = views.filter_responses(t, {})
    assert not all_["subgroup"].any()
    only_cart = views.filter_responses(
        t, {f"show_{s}": s == "cart" for s in views.CLASSES.values()}
    )
    assert set(only_cart["class"]) == {"CAR-T / cell therapy"}
    mel = views.filter_responses(t, {f"cancer_{g}": g == "melanoma" for g in views.CANCER_GROUPS})
    assert set(mel["group"]) == {"melanoma"}
    cr = views.filter_responses(t, {"complete": True})
    assert set(cr["endpoint"]) == {"complete response"}
    with pytest.raises(ValueError, match="show_cart"):
        views.filter_responses(t, {"show_cart": "yes"})


@settings(max_examples=40, deadline=None)
@given(param_values(views.SAMPLE_PARAMS, log_scale=False))
def test_sample_size_finite(values):
    w = stats.interval_width(values["rate"], views.N_GRID, values["level"])
    assert np.all(np.isfinite(w)) and np.all(w > 0) and np.all(w <= 1)
    fig = views.sample_size_view.figure(**values)
    assert len(fig.data) == 3


@settings(max_examples=40, deadline=None)
@given(param_values(neoantigen.TMB_PARAMS, log_scale=False))
def test_neoantigen_by_tmb_finite_and_rising(values):
    f = neoantigen.presented_fraction(values["per_allele"], values["hla_alleles"])
    p = neoantigen.p_neoantigen_by_tmb(
        np.geomspace(0.1, 100, 50), values["megabases"], f, values["immunogenic"]
    )
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= -1e-12)


def test_parameter_errors_name_the_parameter():
    with pytest.raises(ValueError, match="cure_fraction"):
        views.tail_view.figure(cure_fraction=0.9)
    with pytest.raises(ValueError, match="'n'"):
        views.sample_size_view.figure(n=2)
    with pytest.raises(ValueError, match="megabases"):
        views.biomarker_view.figure(megabases=float("nan"))


# -- views -----------------------------------------------------------------------------------
def test_forest_scenarios_and_live():
    fig = views.forest_view.scenarios(views.FOREST_SCENARIOS, label="Show")
    n = len(views.forest_view.figure().data)
    assert len(fig.data) == len(views.FOREST_SCENARIOS) * n
    assert [s.label for s in fig.layout.sliders[0].steps] == list(views.FOREST_SCENARIOS)
    live = views.forest_view.live(controls=["show_checkpoint", "show_cart", "complete"])
    live.redraw(show_cart=False)
    assert len(live.figure.data[1].x) == 0  # no CAR-T arm left
    live.redraw(show_cart=True, complete=True)
    assert "complete" in live.figure.layout.title.subtitle.text


def test_forest_empty_selection_says_so():
    off = {f"show_{s}": False for s in views.CLASSES.values()}
    fig = views.forest_view.figure(**off)
    assert "No arm matches" in fig.layout.meta["description"]


def test_tail_view_scenarios_use_the_fits():
    sc = views.tail_scenarios()
    assert "fit to KEYNOTE-024, pembrolizumab" in sc and "no plateau" in sc
    assert not any("IMPACT" in name for name in sc)
    fig = views.tail_view.scenarios(sc, label="Curve")
    assert len(fig.layout.sliders[0].steps) == len(sc)
    live = views.tail_view.live()
    live.redraw(cure_fraction=0.0)
    assert np.allclose(live.figure.data[0].y, live.figure.data[1].y)


def test_static_explorers_have_steps():
    fig = views.sample_size_view.static("n", [10, 40, 250])
    assert len(fig.data) == 9
    fig = views.biomarker_view.static("immunogenic", [0.02, 0.1, 0.5])
    assert len(fig.layout.sliders[0].steps) == 3


# -- exercises -------------------------------------------------------------------------------
@pytest.mark.parametrize("ex", ["10.1", "10.2", "10.3"])
def test_exercises_check(ex, capsys):
    from widgets.checks import check, feedback, get

    assert check(ex, get(ex).solution())
    assert "✔" in capsys.readouterr().out
    ok, _ = feedback(ex, {"wrong": 1})
    assert not ok
