"""One explorer mechanism for every model: a :class:`View` and its two interactive faces.

A *view* is a model's parameter table plus a ``draw`` function that turns one set of
parameter values into a finished Plotly figure (always the same traces, in the same order).
From a view the package makes

* a **live explorer** (:meth:`View.live`): ipywidgets controls built from the parameter
  table, redrawing the package's own small figure widget
  (:class:`widgets.livefigure.LiveFigure`, which keeps plotly.js out of a saved notebook) in
  place, for Jupyter, Binder and Colab; and
* a **static explorer** (:meth:`View.static` and :meth:`View.scenarios`): the same figure
  with a Plotly slider whose steps were computed in advance by the same ``draw``, for the
  HTML book, where there is no kernel (the book draws it as an HTML slider with every step
  labelled: :func:`widgets.display.figure_html`).

Nothing here knows about any particular model.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from .params import Param, ParamTable

__all__ = ["View", "LiveExplorer"]


@dataclass(frozen=True)
class View:
    """A figure of a model as a function of its parameters.

    ``draw`` receives a complete, validated ``dict`` of parameter values and returns a
    figure finished with :func:`widgets.style.finish`.
    """

    params: ParamTable
    draw: Callable[[dict], go.Figure]
    #: the parameter the static explorer varies when none is named (also what `make bench` times)
    key: str | None = None

    # -- one figure -----------------------------------------------------------------
    def figure(self, **values: Any) -> go.Figure:
        """The figure at the defaults, overridden by ``values`` (validated)."""
        return self.draw(self.params.resolve(values))

    # -- static explorers -------------------------------------------------------------
    def static(
        self,
        vary: str | None = None,
        values: Sequence[Any] | None = None,
        *,
        n: int = 9,
        **fixed: Any,
    ) -> go.Figure:
        """A figure with a slider over parameter ``vary`` (default: the view's ``key``),
        every step precomputed.

        ``values`` defaults to ``n`` steps across the parameter's allowed range, plus its
        default (the step shown first). Other parameters keep their defaults unless given
        in ``fixed``.
        """
        vary = vary or self.key
        if vary is None:
            raise ValueError("name the parameter to vary (this view has no default key)")
        param = self.params[vary]
        base = self.params.resolve(fixed)
        if values is None and param.kind == "choice":
            values = param.steps()
        elif values is None:
            values = sorted(set(param.steps(n)) | {base[vary]})
        values = [param.validate(v) for v in values]
        active = min(range(len(values)), key=lambda i: _distance(values[i], base[vary]))
        steps = [(_step_label(param, v), {**base, vary: v}) for v in values]
        label = _control_label(param)
        return self._stepped(steps, label=label, active=active)

    def scenarios(
        self,
        scenarios: Mapping[str, Mapping[str, Any]],
        *,
        label: str = "Scenario",
        active: int = 0,
        **fixed: Any,
    ) -> go.Figure:
        """A figure with a slider over named scenarios (each a set of parameter values)."""
        base = self.params.resolve(fixed)
        steps = [(name, self.params.resolve({**base, **over})) for name, over in scenarios.items()]
        return self._stepped(steps, label=label, active=active)

    def _stepped(self, steps: list[tuple[str, dict]], *, label: str, active: int) -> go.Figure:
        if not steps:
            raise ValueError("a static explorer needs at least one step")
        figures = [self.draw(values) for _, values in steps]
        n_traces = len(figures[0].data)
        shown = figures[active]
        fig = go.Figure(layout=copy.deepcopy(shown.layout))
        for k, f in enumerate(figures):
            if len(f.data) != n_traces:
                raise RuntimeError(
                    "a view must draw the same number of traces for every parameter value"
                )
            for trace in f.data:
                trace = copy.deepcopy(trace)
                trace.visible = k == active
                fig.add_trace(trace)
        slider_steps = []
        for k, ((name, _), f) in enumerate(zip(steps, figures)):
            visible = [j == k for j in range(len(figures)) for _ in range(n_traces)]
            slider_steps.append(
                {
                    "method": "update",
                    "label": name,
                    "args": [{"visible": visible}, _layout_changes(f)],
                }
            )
        labels = [name for name, _ in steps]
        # long labels (named scenarios) would overlap under the ticks: show them only in
        # the current-value line above the slider and in the keyboard control
        # (and a long label at either end would run off the figure's edge on a phone)
        crowded = sum(len(name) for name in labels) > 60 or max(map(len, labels)) > 10
        fig.update_layout(
            sliders=[
                {
                    "active": active,
                    "font": {"color": "rgba(0,0,0,0)" if crowded else "#444"},
                    "currentvalue": {"prefix": f"{label}: ", "font": {"size": 14, "color": "#222"}},
                    "pad": {"t": 60, "b": 10},
                    "steps": slider_steps,
                }
            ],
            height=(shown.layout.height or 440) + 90,
            margin={"b": 120},
        )
        description = shown.layout.meta["description"]
        fig.update_layout(
            meta={
                **shown.layout.meta,
                # the room Plotly's slider takes, for the book's HTML slider (display.py)
                "slider_room": {"height": 90, "margin_b": shown.layout.margin.b},
                "description": (
                    f"{description} A slider under the figure changes {label.lower()} "
                    f"across {len(steps)} precomputed settings "
                    f"({', '.join(name for name, _ in steps)}); the figure opens at "
                    f"{steps[active][0]}."
                ),
            }
        )
        return fig

    # -- live explorer ----------------------------------------------------------------
    def live(self, controls: Sequence[str] | None = None, **fixed: Any) -> LiveExplorer:
        """ipywidgets controls for ``controls`` (default: every parameter) and a live figure."""
        return LiveExplorer(self, controls, fixed)


def _layout_changes(fig: go.Figure) -> dict:
    """The parts of a layout that may differ between steps of a static explorer."""
    layout = fig.layout
    changes = {
        "title.text": layout.title.text,
        "title.subtitle.text": layout.title.subtitle.text or "",
        "annotations": [a.to_plotly_json() for a in layout.annotations],
        "shapes": [s.to_plotly_json() for s in layout.shapes],
    }
    # the order of a category axis's rows (a forest plot's trials, which differ by step)
    for name in layout:
        if name[1:5] == "axis" and layout[name].categoryarray is not None:
            changes[f"{name}.categoryarray"] = list(layout[name].categoryarray)
    return changes


def _distance(a: Any, b: Any) -> float:
    if isinstance(a, str) or isinstance(b, str):
        return 0.0 if a == b else 1.0
    return abs(float(a) - float(b))


def _step_label(param: Param, value: Any) -> str:
    if param.kind == "bool":
        return "on" if value else "off"
    if param.kind == "choice":
        return str(value)
    if abs(value) >= 1e9:
        return f"{value / 1e9:g} billion"
    if abs(value) >= 1e6:
        return f"{value / 1e6:g} million"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:g}"


def _control_label(param: Param) -> str:
    name = param.description.split(";")[0] if param.description else param.name
    unit = f" ({param.unit})" if param.unit and param.unit != "1" else ""
    return f"{name}{unit}"


def _make_control(param: Param, value: Any):
    import ipywidgets as W

    style = {"description_width": "initial"}
    layout = W.Layout(width="100%", max_width="440px")  # narrower on a phone
    label = _control_label(param)
    common = dict(
        description=label,
        style=style,
        layout=layout,
        continuous_update=False,
        tooltip=param.description or None,
    )
    if param.kind == "bool":
        common.pop("continuous_update")
        return W.Checkbox(value=bool(value), indent=False, **common)
    if param.kind == "choice":
        common.pop("continuous_update")
        return W.Dropdown(options=list(param.choices), value=value, **common)
    if param.kind == "int":
        return W.IntSlider(
            value=int(value),
            min=int(param.lo),
            max=int(param.hi),
            step=int(param.step or 1),
            **common,
        )
    if param.log and param.lo > 0:
        lo, hi = math.log10(param.lo), math.log10(param.hi)
        return W.FloatLogSlider(
            value=float(value),
            base=10,
            min=lo,
            max=hi,
            step=(hi - lo) / 100,
            readout_format=".3g",
            **common,
        )
    step = param.step or (param.hi - param.lo) / 100
    return W.FloatSlider(
        value=float(value),
        min=param.lo,
        max=param.hi,
        step=step,
        readout_format=".3g",
        **common,
    )


class LiveExplorer:
    """Sliders built from a parameter table, redrawing a :class:`~widgets.livefigure.LiveFigure`
    in place.

    ``controls`` maps each parameter name to its control, ``message`` says why a figure was
    not drawn, ``plot`` is the figure widget and ``figure`` the ``go.Figure`` it shows.
    """

    def __init__(self, view: View, controls: Sequence[str] | None, fixed: Mapping[str, Any]):
        import ipywidgets as W

        from .livefigure import LiveFigure

        self.view = view
        self.values = view.params.resolve(fixed)
        names = list(controls) if controls is not None else view.params.names()
        for name in names:
            view.params[name]  # unknown names raise ValueError here
        self.controls = {
            name: _make_control(view.params[name], self.values[name]) for name in names
        }
        self.plot = LiveFigure(view.draw(self.values))
        self.message = W.HTML(value="")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = W.VBox([W.VBox(list(self.controls.values())), self.message, self.plot])

    @property
    def figure(self) -> go.Figure:
        """The figure drawn last (a new ``go.Figure`` after each redraw)."""
        return self.plot.figure

    def _on_change(self, _change=None) -> None:
        self.redraw()

    def redraw(self, **values: Any) -> None:
        """Redraw from the controls' values (or from ``values``, which move the controls)."""
        for name, value in values.items():
            self.controls[name].value = value  # observing triggers a redraw
        current = {**self.values, **{k: c.value for k, c in self.controls.items()}}
        try:
            resolved = self.view.params.resolve(current)
        except ValueError as err:
            self.message.value = f"<strong>Not drawn:</strong> {err}"
            return
        self.message.value = ""
        self.plot.show(self.view.draw(resolved))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
