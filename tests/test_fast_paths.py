"""The fast paths (many runs integrated together as one stacked system) agree with the
reference paths (one solver call per run) to the precision the book prints."""

import json
import math

import numpy as np
import pytest
from plotly.utils import PlotlyJSONEncoder

import widgets  # noqa: F401  (sets the book renderer)
from widgets import cohort
from widgets.models import checkpoint as cp
from widgets.models import microbiome as mb
from widgets.models import ode, recist, virtual_trial


# -- the integration driver -----------------------------------------------------------------------
def _decays(t, y, k):
    return -k * y


def _decays_band(t, y, k):
    band = np.zeros((3, y.size))
    band[1] = -k
    return band


def test_a_banded_system_matches_its_exact_solution_with_and_without_events():
    k = np.array([0.5, 1.0, 2.0, 4.0])
    t = np.linspace(0.0, 3.0, 31)
    for jac in (None, _decays_band):
        run = ode.solve(
            "decays", _decays, np.ones(4), t, args=(k,), jac=jac, band=(1, 1), rtol=1e-9, atol=1e-12
        )
        np.testing.assert_allclose(run.y, np.exp(-np.outer(k, t)), rtol=1e-6)
    stop = ode.Event(lambda t, y, k: y[3] - 0.01, direction=-1, name="low")
    run = ode.solve(
        "decays",
        _decays,
        np.ones(4),
        t,
        args=(k,),
        jac=_decays_band,
        band=(1, 1),
        events=[stop],
        rtol=1e-9,
        atol=1e-12,
    )
    assert run.stopped == "low" and run.t_stop == pytest.approx(math.log(100) / 4.0)


# -- checkpoint model: many tumours at once ----------------------------------------------------------
def _param_sets(n, seed, **fixed):
    rng = np.random.default_rng(seed)
    return [
        cp.PARAMS.resolve(
            {
                "infiltration": float(rng.uniform(0.0, 3.0)),
                "pdl1": float(rng.uniform()),
                "growth_rate": float(rng.uniform(0.002, 0.05)),
                "diameter0": float(rng.uniform(15.0, 90.0)),
                **fixed,
            }
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    "fixed", [{}, {"n_doses": 0}, {"anti_ctla4": True}, {"n_doses": 3, "interval": 21, "dose": 1.0}]
)
def test_simulate_many_matches_simulate(fixed):
    ps = _param_sets(12, 3, **fixed)
    many = cp.simulate_many(ps)
    for i, p in enumerate(ps):
        one = cp.simulate(**p)
        np.testing.assert_array_equal(many["t"], one["t"])
        np.testing.assert_allclose(many["diameter"][i], one["diameter"], rtol=2e-3)
        np.testing.assert_allclose(many["tcells"][i], one["tcells"], rtol=2e-3, atol=1e-3)


def test_simulate_many_takes_mixed_schedules_and_rejects_mixed_horizons():
    ps = (
        _param_sets(3, 4)
        + _param_sets(2, 5, n_doses=0)
        + _param_sets(2, 6, anti_ctla4=True, interval=28)
    )
    many = cp.simulate_many(ps)
    for i, p in enumerate(ps):
        np.testing.assert_allclose(many["diameter"][i], cp.simulate(**p)["diameter"], rtol=2e-3)
    with pytest.raises(ValueError, match="horizon"):
        cp.simulate_many(_param_sets(1, 1) + _param_sets(1, 2, horizon=200))


def test_summarise_many_equals_summarise_trajectory():
    rng = np.random.default_rng(7)
    t = np.linspace(0.0, 365.0, 301)
    base = rng.uniform(10.0, 80.0, 400)
    d = base[:, None] * np.exp(np.cumsum(rng.normal(0.0, 0.05, (400, 301)), axis=1))
    d *= rng.uniform(0.2, 1.5, (400, 1))
    d[::7] *= 0.03  # complete responses
    d[::11, 150:] *= 0.69  # a late drop across the -30% line
    many = recist.summarise_many(t, d, base, scan_every=42)
    for i in range(400):
        one = recist.summarise_trajectory(t, d[i], base[i], scan_every=42)
        assert one.keys() == many[i].keys()
        for key, value in one.items():
            assert value == many[i][key] or (math.isnan(value) and math.isnan(many[i][key]))


def test_category_codes_equal_categorise():
    rng = np.random.default_rng(8)
    d = np.r_[rng.uniform(0.0, 120.0, 3000), 28.0, 1.99, 2.0, 48.0, 60.0]
    base = np.r_[rng.uniform(10.0, 100.0, 3000), 40.0, 40.0, 40.0, 40.0, 50.0]
    nadir = np.minimum(base, np.r_[rng.uniform(0.0, 100.0, 3000), 40.0, 40.0, 40.0, 40.0, 50.0])
    codes = recist.category_codes(d, base, nadir)
    for x, b, n, c in zip(d, base, nadir, codes):
        assert recist.CATEGORIES[c] == recist.categorise(x, b, n)


# -- the virtual cohorts of chapters 8 and 10 ------------------------------------------------------
def _agree(batch, single):
    assert list(batch["best_response"]) == list(single["best_response"])
    assert list(batch["progression_event"]) == list(single["progression_event"])
    np.testing.assert_array_equal(batch["progression_time"], single["progression_time"])
    np.testing.assert_allclose(batch["best_change_pct"], single["best_change_pct"], atol=0.05)
    np.testing.assert_array_equal(
        np.isnan(batch["response_time"]), np.isnan(single["response_time"])
    )


@pytest.mark.parametrize("scenario", list(mb.SCENARIOS) + ["fast recovery"])
def test_microbiome_cohort_batch_agrees_with_one_by_one(scenario):
    over = mb.SCENARIOS.get(scenario, {"regrowth": 0.25, "abx_days": 14, "abx_start": -14})
    patients = cohort.sample_patients(
        mb.COHORT, 200 if scenario == "no intervention" else 50, mb.COHORT_SEED
    )
    batch = cohort.run(mb.patient_summary, patients, fixed=over, batch=mb.patient_summaries)
    single = cohort.run(mb.patient_summary, patients, fixed=over)
    _agree(batch, single)


@pytest.mark.parametrize("fixed", [{}, {"n_doses": 0}])
def test_virtual_trial_batch_agrees_with_one_by_one(fixed):
    patients = cohort.sample_patients(virtual_trial.distributions(), 60, 10)
    batch = cohort.run(
        virtual_trial.checkpoint_patient,
        patients,
        fixed=fixed,
        batch=virtual_trial.checkpoint_patients,
    )
    single = cohort.run(virtual_trial.checkpoint_patient, patients, fixed=fixed)
    _agree(batch, single)


def test_patient_summaries_mix_interventions():
    """Patients with different antibiotic courses in one call: grouped, same answers."""
    base = cohort.sample_patients(mb.COHORT, 6, 1).drop(columns="patient").to_dict("records")
    params = [
        {**p, **over}
        for p, over in zip(
            base,
            [
                {},
                {"abx_days": 14},
                {"fmt": True},
                {"abx_days": 7, "abx_start": 30},
                {},
                {"fmt": True, "fmt_day": 20},
            ],
        )
    ]
    for p, summ in zip(params, mb.patient_summaries(params)):
        one = mb.patient_summary(p)
        assert summ["best_response"] == one["best_response"]
        assert summ["progression_time"] == one["progression_time"]
        assert summ["best_change_pct"] == pytest.approx(one["best_change_pct"], abs=0.05)


def test_run_checks_what_batch_returns():
    patients = cohort.sample_patients(virtual_trial.distributions(), 3, 1)
    with pytest.raises(ValueError, match="batch returned 2 summaries for 3 patients"):
        cohort.run(
            virtual_trial.checkpoint_patient,
            patients,
            batch=lambda ps: virtual_trial.checkpoint_patients(ps)[:2],
        )
    with pytest.raises(ValueError, match="batch must be a function"):
        cohort.run(virtual_trial.checkpoint_patient, patients, batch=3)


# -- figures ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "rows": 1,
            "cols": 2,
            "shared_yaxes": True,
            "horizontal_spacing": 0.09,
            "subplot_titles": ["untreated", "with anti-PD-1"],
        },
        {
            "rows": 3,
            "cols": 1,
            "shared_xaxes": True,
            "vertical_spacing": 0.09,
            "specs": [[{"secondary_y": True}], [{}], [{}]],
        },
        {
            "rows": 2,
            "cols": 1,
            "shared_xaxes": True,
            "vertical_spacing": 0.12,
            "row_heights": [0.55, 0.45],
        },
    ],
)
def test_cached_subplots_equal_make_subplots(kwargs):
    from plotly.subplots import make_subplots

    from widgets.views.layout import subplots

    for _ in range(2):  # the second figure comes from the cache
        fast, ref = subplots(**kwargs), make_subplots(**kwargs)
        assert fast.to_dict() == ref.to_dict()
        fast.add_trace({"type": "scatter", "x": [1], "y": [2]}, row=kwargs["rows"], col=1)
        ref.add_trace({"type": "scatter", "x": [1], "y": [2]}, row=kwargs["rows"], col=1)
        fast.update_yaxes(title="y", row=1, col=1)
        ref.update_yaxes(title="y", row=1, col=1)
        assert fast.to_dict() == ref.to_dict()


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"n_doses": 0},
        {"anti_ctla4": True},
        {"assess_day": 84},
        {"n_doses": 2, "growth_rate": 0.03},
    ],
)
def test_response_map_grid_matches_one_tumour_at_a_time(over):
    from widgets.views import checkpoint as views

    p = cp.PARAMS.resolve(over)
    grid = views.response_grid(p)
    for i, s in enumerate(views.MAP_INFILTRATION):
        for j, level in enumerate(views.MAP_PDL1):
            q = {**p, "pdl1": float(level), "infiltration": float(s)}
            summ = cp.summary(cp.simulate(**q), **q)
            assert grid["category"][i, j] == views.SHORT[summ["recist_at_assessment"]]
            assert grid["change"][i, j] == pytest.approx(summ["change_at_assessment_pct"], abs=0.05)


# -- chapter 2's phase plane ----------------------------------------------------------------------
@pytest.mark.parametrize("s", [0.0, 5e3, 1.3e4, 2e4, 3e4, 5e4, 6e4, 7e4, 1e5])
def test_kuznetsov_outcomes_equal_outcome(s):
    from widgets.models import kuznetsov
    from widgets.views.kuznetsov import PHASE_STARTS

    for over in ({}, {"E0": 1e4}, {"E0": 1e7, "m": 5e-9}, {"n": 5e-7, "a": 0.5}):
        q = {"s": s, **over}
        starts = list(PHASE_STARTS) + [50.0, 3e5]
        fast = kuznetsov.outcomes(starts, **q)
        assert fast == [kuznetsov.outcome(**q, T0=T0) for T0 in starts]


def test_kuznetsov_equilibria_are_cached_as_copies():
    from widgets.models import kuznetsov

    first = kuznetsov.equilibria()
    first.loc[0, "E"] = -1.0
    assert kuznetsov.equilibria().loc[0, "E"] > 0


# -- chapter 5's trade-off -------------------------------------------------------------------------
def test_kirschner_late_tumour_agrees_with_long_run_outcome():
    from widgets.models import kirschner
    from widgets.views.kirschner import IL2_INPUTS

    for base in ({}, {"c": 0.0}, {"c": 0.02, "s1": 500.0}, {"s1": 600.0}, {"s1": 550.0, "c": 0.0}):
        for s2 in IL2_INPUTS:
            q = {**base, "s2": s2}
            lo, hi, fate = kirschner.late_tumour(**q)
            run, ref = kirschner.long_run_outcome(**q)
            assert fate == ref
            if not (math.isnan(lo) and fate == "cleared"):
                assert (lo, hi) == (run["T_late_min"], run["T_late_max"])


def test_kirschner_output_times_do_not_change_the_solution():
    """What late_tumour relies on: the first points of a run are those of a longer run."""
    from widgets.models import kirschner

    q = kirschner.PARAMS.resolve({"s2": 1e8})
    t = np.linspace(0.0, 3000.0, 1501)
    np.testing.assert_array_equal(
        kirschner._integrate(q, t[:151]), kirschner._integrate(q, t)[:151]
    )


def test_kuznetsov_separatrix_is_cached_as_copies_and_ignores_the_start():
    from widgets.models import kuznetsov

    first = kuznetsov.separatrix()
    assert len(first) > 0
    first["E"] = -1.0
    again = kuznetsov.separatrix(E0=1e4, T0=10.0)
    assert (again["E"] > 0).all()
    kuznetsov._separatrix.cache_clear()
    fresh = kuznetsov.separatrix()
    assert fresh.equals(again)


# -- Plotly's property paths, parsed once ------------------------------------------------------
PATHS = [
    "",
    "xaxis",
    "xaxis2.title.text",
    "yaxis_title_text",
    "title_font_size",
    "error_x",
    "error_x.array",
    "error_y_thickness",
    "marker.line.width",
    "marker_pattern_shape",
    "annotations[0].text",
    "shapes[12].line.dash",
    "sliders[0].steps[3].args",
    "a__b_",
    "_leading",
    "trailing_",
    "legend.font.size",
]


def test_remembered_property_paths_equal_plotlys_parser():
    import plotly.basedatatypes as bd

    import widgets.style  # noqa: F401  (every view imports it)

    fast = bd._str_to_dict_path_full
    assert fast._remembered  # widgets.style installed it
    for path in PATHS:
        for _ in range(2):  # the second answer comes from the cache
            keys, starts = fast(path)
            ref_keys, ref_starts = fast._parse(path)
            assert keys == ref_keys and starts == ref_starts
            assert type(keys) is type(ref_keys) and type(starts) is type(ref_starts)
            starts.append(-1)  # a caller changing its list does not change the cache
    with pytest.raises(TypeError):
        fast._parse(3)  # not a string: Plotly's own answer (an error), not a cached one
    with pytest.raises(TypeError):
        fast(3)


def test_figures_are_the_same_with_plotlys_own_parser(monkeypatch):
    import plotly.basedatatypes as bd

    from widgets.views.microbiome import patient_view

    fast = patient_view.figure(abx_days=14).to_plotly_json()
    monkeypatch.setattr(bd, "_str_to_dict_path_full", bd._str_to_dict_path_full._parse)
    slow = patient_view.figure(abx_days=14).to_plotly_json()
    assert json.dumps(fast, cls=PlotlyJSONEncoder) == json.dumps(slow, cls=PlotlyJSONEncoder)


# -- finish: the book's layout laid on a figure's own dict --------------------------------------
def _finish_with_update(fig, *, title, description, height=440):
    """What ``widgets.style.finish`` did with Plotly's ``layout.update`` (the reference)."""
    from widgets.style import BOOK_TEMPLATE, _trusted

    main, _, detail = title.partition("<br>")
    detail = detail.replace("<sup>", "").replace("</sup>", "").strip()
    title_layout = {
        "text": main,
        "x": 0.0,
        "xanchor": "left",
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
        "pad": {"t": 12},
    }
    if detail:
        title_layout["subtitle"] = {"text": detail, "font": {"size": 13}}
    with _trusted(fig) as layout:
        layout.template = BOOK_TEMPLATE
        layout.update(
            title=title_layout,
            height=height,
            margin={"l": 70, "r": 20, "t": 70, "b": 60},
            legend={"bgcolor": "rgba(255,255,255,0.8)"},
            hoverlabel={"namelength": -1},
            meta={"description": description.strip()},
        )
    return fig


@pytest.mark.parametrize(
    "layout",
    [
        {},
        {"title": {"font": {"size": 20}, "subtitle": {"font": {"color": "red"}}}},
        {"legend": {"orientation": "h", "y": 1.02}, "margin": {"t": 150, "pad": 3}},
        {"meta": {"old": 1, "description": "old"}, "hoverlabel": {"bgcolor": "white"}},
    ],
)
@pytest.mark.parametrize("title", ["Main", "Main<br><sup>detail, more</sup>"])
def test_finish_equals_plotlys_update(layout, title):
    import plotly.graph_objects as go

    from widgets.style import finish

    def figure():
        fig = go.Figure({"type": "scatter", "x": [1, 2], "y": [3, 4]}, layout=layout)
        fig.update_xaxes(title="x (days)")
        return fig.update_yaxes(title="y (cells)")

    fast = finish(figure(), title=title, description=" A line. ", height=500)
    ref = _finish_with_update(figure(), title=title, description=" A line. ", height=500)
    assert json.dumps(fast.to_plotly_json(), cls=PlotlyJSONEncoder) == json.dumps(
        ref.to_plotly_json(), cls=PlotlyJSONEncoder
    )


def test_a_figure_made_in_one_call_equals_one_built_piece_by_piece():
    """What the views built in one call rely on: ``subplots_layout`` and ``style.merged``
    give the figure that ``make_subplots``, ``add_traces(rows=...)`` and ``update_layout``
    give."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from widgets.style import merged
    from widgets.views.layout import subplots_layout

    grid = {"rows": 2, "cols": 1, "vertical_spacing": 0.16, "subplot_titles": ["a", "b"]}
    traces = [{"type": "bar", "x": [1, 2], "y": [3, 4]}, {"type": "scatter", "x": [1], "y": [2]}]
    extra = {
        "annotations": [{"text": "note", "x": 0, "y": 1, "showarrow": False}],
        "legend": {"orientation": "h", "font": {"size": 12}},
        "xaxis": {"title": {"text": "x (days)"}, "range": [0, 3]},
        "yaxis2": {"title": {"text": "share"}, "tickformat": ".0%"},
        "barmode": "overlay",
    }
    ref = make_subplots(**grid)
    ref.add_traces(traces, rows=[1, 2], cols=[1, 1])
    ref.update_layout({**extra, "annotations": list(ref.layout.annotations) + extra["annotations"]})
    layout = subplots_layout(**grid)
    one = [{**traces[0], "xaxis": "x", "yaxis": "y"}, {**traces[1], "xaxis": "x2", "yaxis": "y2"}]
    fast = go.Figure(
        data=one,
        layout=merged(
            layout, {**extra, "annotations": layout["annotations"] + extra["annotations"]}
        ),
    )
    assert fast.to_dict() == ref.to_dict()
    assert subplots_layout(**grid) == layout  # a new copy each time: the cache is unchanged


@pytest.mark.parametrize(
    "over",
    [{}, {"T0": 1e2}, {"T0": 1e4}, {"T0": 1e6}, {"T0": 1e8}, {"s": 1e3}, {"s": 8e4}, {"E0": 1e7}],
)
def test_kuznetsov_time_view_names_outcomes_fate(over):
    """The time view takes the fate from outcomes(), which must be outcome()'s."""
    from widgets.models import kuznetsov
    from widgets.views.kuznetsov import time_view

    v = kuznetsov.PARAMS.resolve(over)
    assert time_view.draw(v).layout.title.text == f"Outcome: {kuznetsov.outcome(**v)}"


def test_kirschner_toxicity_indices_equal_toxicity_index():
    from widgets.models import kirschner
    from widgets.views.kirschner import IL2_INPUTS

    for base in ({}, {"p1": 0.02}, {"mu3": 5.0, "c": 0.0}, {"mu2": 0.1, "p1": 0.05}):
        fast = kirschner.toxicity_indices(IL2_INPUTS, **base)
        assert fast == [kirschner.toxicity_index(**{**base, "s2": s2}) for s2 in IL2_INPUTS]
    with pytest.raises(ValueError, match="s2"):
        kirschner.toxicity_indices([-1.0])


def test_kirschner_bound_right_hand_side_equals_rhs():
    from widgets.models import kirschner

    rng = np.random.default_rng(5)
    q = kirschner.PARAMS.resolve({"s2": 1e7, "c": 0.02})
    rates = kirschner._rates(q)
    rhs, jac = kirschner._bound(*rates)
    for u in rng.uniform(-350.0, 350.0, (200, 3)):  # through the clipped exponent too
        assert rhs(0.0, u) == kirschner._rhs(0.0, u, *rates)
        assert jac(0.0, u) == kirschner._jac(0.0, u, *rates)
