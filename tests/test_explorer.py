"""The generic explorer mechanism, on a toy view (the models' own views have their tests)."""

import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from widgets.display import use_book_renderer
from widgets.explorer import View
from widgets.params import Param, ParamTable
from widgets.style import PALETTE, TRACE_TYPES, finish

PARAMS = ParamTable(
    [
        Param("k", 1.0, "/day", 0.1, 2.0, "decay rate; per day", "illustrative"),
        Param("double", False, "", kind="bool", description="double the start"),
        Param(
            "shape",
            "exponential",
            "",
            kind="choice",
            description="curve shape",
            choices=("exponential", "linear"),
        ),
    ]
)


def draw(p):
    t = np.linspace(0, 10, 50)
    y0 = 2.0 if p["double"] else 1.0
    decay = (
        np.exp(-p["k"] * t) if p["shape"] == "exponential" else np.clip(1 - p["k"] * t / 10, 0, 1)
    )
    fig = go.Figure(
        [
            go.Scatter(x=t, y=y0 * decay, name="y"),
            go.Scatter(x=t, y=np.full_like(t, 0.5), name="threshold"),
        ]
    )
    fig.update_xaxes(title="time (days)")
    fig.update_yaxes(title="amount (units)")
    fig.add_annotation(x=5, y=1, text=f"k = {p['k']:g}", showarrow=False)
    return finish(fig, title=f"Decay at k = {p['k']:g}", description="A decaying curve.")


VIEW = View(PARAMS, draw)


def test_static_slider_steps_hold_every_precomputed_figure():
    fig = VIEW.static("k", [0.5, 1.0, 1.5])
    assert len(fig.data) == 3 * 2
    slider = fig.layout.sliders[0]
    assert [s.label for s in slider.steps] == ["0.5", "1", "1.5"]
    assert slider.active == 1  # opens at the default, k = 1
    # step i shows exactly the traces drawn with the i-th value
    for i, step in enumerate(slider.steps):
        visible = step.args[0]["visible"]
        assert visible == [j // 2 == i for j in range(6)]
        assert step.args[1]["title.text"] == f"Decay at k = {[0.5, 1.0, 1.5][i]:g}"
    y_first = np.asarray(fig.data[0].y)
    y_last = np.asarray(fig.data[4].y)
    assert y_first[-1] > y_last[-1]  # slower decay leaves more
    assert "slider" in fig.layout.meta["description"]


def test_book_html_draws_its_own_slider_with_every_step_labelled():
    """In the HTML book a static explorer's slider is an HTML range input with every step's
    label under it (display.figure_html); Plotly's own slider and the room it took are gone."""
    import json
    import re

    from widgets import display

    fig = VIEW.static("k", [0.5, 1.0, 1.5])
    page = display.figure_html(fig.to_plotly_json())
    assert re.findall(r"<span data-step=\"\d+\"[^>]*>([^<]*)</span>", page) == ["0.5", "1", "1.5"]
    assert 'type="range"' in page and 'min="0" max="2"' in page and 'value="1"' in page
    assert (
        'aria-valuetext="1"' in page
        and '<span data-step="1" style="grid-column:2" class="current">' in page
    )
    drawn = json.loads(re.search(r"var D=(\[.*?\]),L=(\{.*?\}),C=\{", page).group(2))
    assert "sliders" not in drawn and "slider_room" not in drawn["meta"]
    plain = display.figure_html(VIEW.figure().to_plotly_json())
    assert re.search(r"height:(\d+)px", page).group(1) == re.search(r"height:(\d+)px", plain).group(
        1
    )
    assert drawn["margin"]["b"] == VIEW.figure().layout.margin.b


def test_step_labels_are_readable_numbers():
    from widgets.explorer import _step_label
    from widgets.params import Param

    p = Param("n", 1e6, "cells", 1.0, 1e8, "initial size", "x")
    assert [_step_label(p, v) for v in (2e9, 5e6, 13000, 250, 0.035)] == [
        "2 billion",
        "5 million",
        "13,000",
        "250",
        "0.035",
    ]


def test_static_default_steps_include_default_and_validate():
    fig = VIEW.static("k", n=3)
    labels = [s.label for s in fig.layout.sliders[0].steps]
    assert labels == ["0.1", "1", "1.1", "2"]
    with pytest.raises(ValueError, match="'k'"):
        VIEW.static("k", [0.5, 5.0])


def test_scenarios():
    fig = VIEW.scenarios({"slow": {"k": 0.2}, "fast, doubled": {"k": 2.0, "double": True}})
    assert [s.label for s in fig.layout.sliders[0].steps] == ["slow", "fast, doubled"]
    assert fig.data[2].y[0] == pytest.approx(2.0)


def test_live_explorer_redraws_in_place():
    live = VIEW.live(controls=["k", "double"])
    before = np.asarray(live.figure.data[0].y).copy()
    live.redraw(k=2.0)
    after = np.asarray(live.figure.data[0].y)
    assert after[-1] < before[-1]
    assert live.figure.layout.title.text == "Decay at k = 2"
    assert live.figure.layout.annotations[0].text == "k = 2"
    live.redraw(double=True)
    assert live.figure.data[0].y[0] == pytest.approx(2.0)
    assert live.message.value == ""
    # slider ranges come from the parameter table
    assert (live.controls["k"].min, live.controls["k"].max) == (0.1, 2.0)


def test_choice_parameter_gives_dropdown_and_static_steps_in_order():
    fig = VIEW.static("shape")
    assert [s.label for s in fig.layout.sliders[0].steps] == ["exponential", "linear"]
    live = VIEW.live(controls=["shape"])
    assert list(live.controls["shape"].options) == ["exponential", "linear"]
    live.controls["shape"].value = "linear"
    assert live.figure.data[0].y[-1] == pytest.approx(0.0)


def test_live_explorer_rejects_unknown_control():
    with pytest.raises(ValueError, match="unknown parameter"):
        VIEW.live(controls=["nope"])


def test_finish_requires_description_and_axis_titles():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    with pytest.raises(ValueError, match="axis"):
        finish(fig, title="t", description="d")
    with pytest.raises(ValueError, match="description"):
        finish(fig, title="t", description=" ")


def test_finish_gives_the_book_template_and_refuses_other_trace_types():
    fig = VIEW.figure()
    assert fig.layout.template.layout.colorway[0] == PALETTE[0]
    assert set(fig.layout.template.data.to_plotly_json()) == set(TRACE_TYPES)
    pie = go.Figure(go.Pie(values=[1, 2]))
    with pytest.raises(ValueError, match="only scatter, bar, heatmap"):
        finish(pie, title="t", description="d")


def test_importing_the_package_changes_no_plotly_default():
    code = (
        "import plotly.io as pio; before = (pio.renderers.default, pio.templates.default); "
        "import widgets, widgets.views.checkpoint; "
        "assert (pio.renderers.default, pio.templates.default) == before, before"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_book_renderer_stores_offline_html_and_plotly_json():
    use_book_renderer()
    bundle = VIEW.figure()._repr_mimebundle_()
    assert "application/vnd.plotly.v1+json" in bundle
    html = bundle["text/html"]
    assert "<figure" in html and "A decaying curve." in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "newPlot" in html
    # deterministic apart from the per-kernel counter
    again = VIEW.figure()._repr_mimebundle_()["text/html"]
    assert (
        html.split("fig-", 1)[1].split("-", 1)[1][:10]
        == again.split("fig-", 1)[1].split("-", 1)[1][:10]
    )


def test_evenly_spaced_x_is_stored_as_start_and_step():
    from widgets.display import _even_x

    t = np.linspace(0.0, 365.0, 301)
    even = _even_x({"type": "scatter", "x": t, "y": np.sin(t)})
    assert "x" not in even and even["x0"] == 0.0 and even["dx"] == pytest.approx(365 / 300)
    uneven = {"type": "scatter", "x": np.array([0.0, 1.0, 3.0]), "y": [1, 2, 3]}
    assert _even_x(uneven) is uneven
    bar = {"type": "bar", "x": t, "y": t}  # a bar's x may be its lengths: left alone
    assert _even_x(bar) is bar
