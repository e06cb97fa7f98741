"""Figures of chapter 9: the therapeutic window and the side effects reported in trials.

* :data:`window_view`: benefit (response) and harm (grade 3+ immune-related events) over the
  brake-release dial of :mod:`widgets.models.toxicity`, with the therapeutic window shaded and
  the CheckMate 067 calibration points marked.
* :data:`incidence_view`: the share of patients with each side effect, by organ and regimen,
  from ``data/adverse_events.csv`` (through :func:`widgets.data.load`). Pale bars are any
  grade, dark bars grade 3 or higher; whiskers are exact 95% intervals where counts exist.
  Static: :meth:`View.scenarios` over :data:`ORGAN_SCENARIOS`; live: :func:`incidence_live`
  (a dropdown for the organ and check boxes for the regimens).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import evidence
from ..explorer import LiveExplorer, View
from ..models import toxicity as model
from ..params import Param, ParamTable
from ..style import COLOR, DASHES, PALETTE, finish

__all__ = [
    "window_view",
    "incidence_view",
    "incidence_live",
    "incidence_rows",
    "adverse_events",
    "ORGANS",
    "ORGAN_SCENARIOS",
    "REGIMENS",
]

# -- the therapeutic window ------------------------------------------------------------------
_BENEFIT = COLOR["immune"]
_HARM = COLOR["tumour"]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _draw_window(p: dict) -> go.Figure:
    df = model.simulate(**p)
    s = model.summary(**p)
    u = df["u"].to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=u,
            y=100 * df["benefit"],
            name="benefit: response",
            line={"color": _BENEFIT, "dash": DASHES[0], "width": 3},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=u,
            y=100 * df["harm"],
            name="harm: grade 3+ side effect",
            line={"color": _HARM, "dash": DASHES[1], "width": 3},
        )
    )
    names = list(model.REGIMEN_SETTINGS)
    xs = [model.REGIMEN_SETTINGS[n] for n in names]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[100 * model.CALIBRATION[n]["response"] for n in names],
            mode="markers",
            name="CheckMate 067 response (calibration)",
            marker={"color": _BENEFIT, "symbol": "circle-open", "size": 12, "line": {"width": 2}},
            text=names,
            hovertemplate="%{text}: %{y:.1f}% responded<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[100 * model.CALIBRATION[n]["harm"] for n in names],
            mode="markers",
            name="CheckMate 067 grade 3-4 (calibration)",
            marker={"color": _HARM, "symbol": "diamond-open", "size": 12, "line": {"width": 2}},
            text=names,
            hovertemplate="%{text}: %{y:.1f}% grade 3-4<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[s["setting"], s["setting"]],
            y=[100 * s["benefit"], 100 * s["harm"]],
            mode="markers",
            name="chosen setting",
            marker={"color": PALETTE[6], "symbol": ["circle", "diamond"], "size": 11},
            hovertemplate="setting %{x:.2f}: %{y:.0f}%<extra></extra>",
        )
    )
    shapes, annotations = [], []
    if s["window_width"] > 0:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": s["window_low"],
                "x1": s["window_high"],
                "y0": 0,
                "y1": 1,
                "fillcolor": PALETTE[2],
                "opacity": 0.15,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "text": "therapeutic window",
                "xref": "x",
                "yref": "paper",
                "x": 0.5 * (s["window_low"] + s["window_high"]),
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    for y, text, colour, x, anchor in (
        (100 * p["benefit_goal"], "benefit goal", _BENEFIT, 0.0, "left"),
        (100 * p["harm_limit"], "harm limit", _HARM, 1.0, "right"),
    ):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": colour, "dash": "dot", "width": 1.5},
            }
        )
        annotations.append(
            {
                "text": text,
                "xref": "paper",
                "yref": "y",
                "x": x,
                "y": y,
                "xanchor": anchor,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": colour},
            }
        )
    shapes.append(
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": s["setting"],
            "x1": s["setting"],
            "y0": 0,
            "y1": 1,
            "line": {"color": PALETTE[6], "dash": "dash", "width": 1},
        }
    )
    fig.update_layout(shapes=shapes, annotations=annotations)
    fig.update_xaxes(
        title="brake-release setting (0 none, 0.5 anti-PD-1, 1 both brakes)",
        range=[0, model.U_MAX],
        dtick=0.25,
    )
    fig.update_yaxes(title="patients (%)", range=[0, 100], dtick=20)
    if s["window_width"] > 0:
        win = f"window {s['window_low']:.2f} to {s['window_high']:.2f}"
        win_text = (
            f"The therapeutic window, shaded, runs from setting {s['window_low']:.2f}, "
            f"where the benefit reaches the goal of {_pct(p['benefit_goal'])}, to "
            f"{s['window_high']:.2f}, where the harm reaches the limit of "
            f"{_pct(p['harm_limit'])}."
        )
    else:
        win = "no window"
        win_text = (
            f"There is no therapeutic window: the harm reaches its limit of "
            f"{_pct(p['harm_limit'])} before the benefit reaches its goal of "
            f"{_pct(p['benefit_goal'])}."
        )
    where = "inside" if s["in_window"] else "outside"
    title = (
        f"Setting {s['setting']:.2f}: response {_pct(s['benefit'])}, "
        f"grade 3+ harm {_pct(s['harm'])}"
        f"<br><sup>{win}; illustrative model calibrated to CheckMate 067</sup>"
    )
    description = (
        "Illustrative model, calibrated to one trial, not a prediction for any patient. "
        "Horizontal axis: the brake-release setting, from no treatment (0) through one "
        "checkpoint blocked (0.5, anti-PD-1) and both blocked (1, anti-PD-1 plus anti-CTLA-4) "
        "to more intense settings. Solid line: the chance of a response, which rises and "
        "levels off. Dashed line: the chance of a grade 3 or higher immune-related side "
        "effect, which starts later and rises more steeply. Open markers: the CheckMate 067 "
        "rates the curves were calibrated to. "
        + win_text
        + f" At the chosen setting of {s['setting']:.2f} (dashed vertical line) the response "
        f"chance is {_pct(s['benefit'])} and the harm {_pct(s['harm'])}, {where} the window."
    )
    fig = finish(fig, title=title, description=description, height=480)
    fig.update_layout(
        margin={"t": 150},
        height=(fig.layout.height or 480) + 50,
        legend={"orientation": "h", "y": 1.04, "yanchor": "bottom", "x": 0},
    )
    return fig


#: Benefit and harm over the dial (key: the brake-release setting).
window_view = View(model.PARAMS, _draw_window, key="brake_release")


# -- side effects reported in trials -------------------------------------------------------------
#: The regimens, in drawing order (from data/adverse_events.csv; schema in widgets.schemas).
REGIMENS = ["anti-PD-1", "anti-CTLA-4", "anti-PD-1 + anti-CTLA-4", "CAR-T", "chemotherapy"]
_REG_COLOUR = dict(zip(REGIMENS, [PALETTE[0], PALETTE[4], PALETTE[1], PALETTE[3], PALETTE[6]]))
_REG_PATTERN = dict(zip(REGIMENS, ["", "/", "x", ".", "-"]))

#: Organ filters of the incidence view; index 0 shows the 'any event' rows.
ORGANS = [
    "any organ (overall)",
    "skin",
    "gastrointestinal",
    "liver",
    "lung",
    "endocrine",
    "neurological",
    "systemic",
    "blood",
    "other",
]
_ORGAN_VALUE = {"any organ (overall)": "all"}
#: Most rows any organ filter shows (fixes the height of the figure).
MAX_ROWS = 14


def _reg_param(regimen: str) -> str:
    return "show_" + re.sub(r"[^a-z0-9]+", "_", regimen.lower()).strip("_")


INCIDENCE_PARAMS = ParamTable(
    [
        Param(
            "organ",
            ORGANS[0],
            "",
            description="Organ system; the side effects shown",
            source="model choice (display filter)",
            kind="choice",
            choices=tuple(ORGANS),
        )
    ]
    + [
        Param(
            _reg_param(r),
            True,
            "",
            description=f"show {r}; draw the {r} rows",
            source="model choice (display filter)",
            kind="bool",
        )
        for r in REGIMENS
    ]
)
__all__.append("INCIDENCE_PARAMS")

#: Named filters for the static explorer.
ORGAN_SCENARIOS = {name: {"organ": name} for name in ORGANS if name != "other"}


def adverse_events() -> pd.DataFrame:
    """The adverse-events table (:func:`widgets.evidence.adverse_events`): ``rate`` and its
    exact interval ``ci_low``/``ci_high``, as proportions."""
    return evidence.adverse_events()


def incidence_rows(organ: str, regimens=REGIMENS) -> pd.DataFrame:
    """One row per (regimen, trial, event) for an organ filter (a name of :data:`ORGANS` or an
    organ value of the data), with ``any`` and ``severe`` percentages side by side."""
    return _rows_cached(organ, tuple(regimens)).copy()


@lru_cache(maxsize=256)
def _rows_cached(organ: str, regimens: tuple) -> pd.DataFrame:
    value = _ORGAN_VALUE.get(organ, organ)
    df = evidence.adverse_events()
    sel = df[(df["organ"] == value) & df["regimen"].isin(list(regimens))]
    keys = ["regimen", "trial", "event"]
    out = []
    for key, grp in sel.groupby(keys, sort=False):
        row = dict(zip(keys, key))
        for grade, tag in (("any", "any"), ("3 or higher", "severe")):
            g = grp[grp["grade"] == grade]
            for col, name in (("rate", tag), ("ci_low", f"{tag}_low"), ("ci_high", f"{tag}_high")):
                row[name] = 100 * float(g[col].iloc[0]) if len(g) else np.nan
        row["patients"] = (
            grp["patients"].dropna().iloc[0] if grp["patients"].notna().any() else np.nan
        )
        row["cancer"] = grp["cancer"].iloc[0]
        row["therapy"] = grp["therapy"].iloc[0]
        out.append(row)
    frame = pd.DataFrame(
        out,
        columns=keys
        + [
            "any",
            "any_low",
            "any_high",
            "severe",
            "severe_low",
            "severe_high",
            "patients",
            "cancer",
            "therapy",
        ],
    )
    order = {r: i for i, r in enumerate(REGIMENS)}
    frame["_o"] = frame["regimen"].map(order)
    return (
        frame.sort_values(["_o", "trial", "event"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _err(values, lows, highs):
    plus = [h - v if np.isfinite(h) else 0.0 for v, h in zip(values, highs)]
    minus = [v - lo if np.isfinite(lo) else 0.0 for v, lo in zip(values, lows)]
    return {
        "type": "data",
        "array": plus,
        "arrayminus": minus,
        "visible": True,
        "thickness": 1.2,
        "width": 3,
        "color": "#555555",
    }


def _fmt(x: float) -> str:
    return "" if not np.isfinite(x) else (f"{x:.1f}%" if x < 10 else f"{x:.0f}%")


def _draw_incidence(p: dict) -> go.Figure:
    organ = p["organ"]
    shown = [r for r in REGIMENS if p[_reg_param(r)]]
    rows = incidence_rows(organ, shown)
    n = len(rows)
    # every trace as a dict and the layout as one dict, made into a figure in one call
    # (Plotly validates each once; trace objects added one by one cost milliseconds apiece)
    traces = []
    # row labels as a text trace above each row's bars (a trace, so static slider steps swap
    # them), not in a wide left margin: on a phone the bars keep the width
    traces.append(
        dict(
            type="scatter",
            x=[0.8] * n,
            y=[i - 0.22 for i in range(n)],
            mode="text",
            textposition="top right",
            text=[f"{e} ({t})" for e, t in zip(rows["event"], rows["trial"])],
            textfont={"size": 11},
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for reg in REGIMENS:  # always the same ten traces, in the same order
        sub = rows[rows["regimen"] == reg]
        y = list(sub.index)
        hover = [
            f"<b>{reg}</b>: {t}<br>{tr}, {c}<br>"
            for t, tr, c in zip(sub["therapy"], sub["trial"], sub["cancer"])
        ]
        for tag, label, opacity in (("any", "any grade", 0.35), ("severe", "grade 3+", 1.0)):
            vals = sub[tag].to_numpy(dtype=float)
            traces.append(
                dict(
                    type="bar",
                    x=np.nan_to_num(vals, nan=0.0),
                    y=y,
                    orientation="h",
                    name=f"{reg}",
                    legendgroup=reg,
                    showlegend=tag == "any",
                    marker={
                        "color": _REG_COLOUR[reg],
                        "opacity": opacity,
                        "pattern": {
                            "shape": _REG_PATTERN[reg],
                            "fillmode": "overlay",
                            "fgcolor": "#ffffff" if tag == "severe" else _REG_COLOUR[reg],
                        },
                        "line": {"color": _REG_COLOUR[reg], "width": 1},
                    },
                    width=0.42 if tag == "any" else 0.24,
                    error_x=_err(vals, sub[f"{tag}_low"], sub[f"{tag}_high"]),
                    customdata=[
                        h + f"{label}: {_fmt(v) or 'not reported'}" for h, v in zip(hover, vals)
                    ],
                    hovertemplate="%{customdata}<extra></extra>",
                )
            )
    # value labels right of each row's longest bar or whisker
    ends = rows[["any", "any_high", "severe", "severe_high"]].to_numpy(dtype=float)
    right = [float(np.nanmax(e)) if np.isfinite(e).any() else 0.0 for e in ends]
    labels = [
        f"{_fmt(a) if np.isfinite(a) else '–'} / {_fmt(g) if np.isfinite(g) else '–'}"
        for a, g in zip(rows["any"].to_numpy(float), rows["severe"].to_numpy(float))
    ]
    traces.append(
        dict(
            type="scatter",
            x=[r + 1.0 for r in right],
            y=[i + 0.02 for i in range(n)],
            mode="text",
            textposition="middle right",
            text=labels,
            textfont={"size": 10},
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig = go.Figure(
        data=traces,
        layout={
            "barmode": "overlay",
            "bargap": 0.2,
            "xaxis": {
                "title": {"text": "patients with the side effect (%)"},
                "range": [0, 135],
                "tickvals": [0, 20, 40, 60, 80, 100],
            },
            "yaxis": {
                "title": {"text": "side effect (trial)", "standoff": 4},
                "showticklabels": False,
                "range": [MAX_ROWS - 0.5, -0.5],
                "showgrid": False,
                "ticks": "",
            },
        },
    )
    lines = []
    for _, r in rows.iterrows():
        parts = []
        if np.isfinite(r["any"]):
            parts.append(f"any grade {_fmt(r['any'])}")
        if np.isfinite(r["severe"]):
            parts.append(f"grade 3 or higher {_fmt(r['severe'])}")
        lines.append(f"{r['event']} with {r['regimen']} in {r['trial']}: {', '.join(parts)}")
    title = (
        f"Side effects in trials: {organ}"
        f"<br><sup>pale bars any grade, dark bars grade 3 or higher (numbers: any grade / "
        f"grade 3 or higher); whiskers exact 95% intervals; {n} results shown</sup>"
    )
    description = (
        f"Horizontal bar chart of the share of patients with each reported side effect, for "
        f"the organ filter '{organ}' and the regimens {', '.join(shown) or 'none'}. Each row "
        "is one side effect in one trial arm, labelled above its bars with the trial; a pale "
        "wide bar gives "
        "any grade and a dark narrow bar grade 3 or higher; regimens differ by colour and "
        "by hatching. Whiskers show exact 95% confidence intervals where the trial gave "
        "counts. Trials differ in cancer, dose and setting, so rows from different trials "
        "are not a fair head-to-head comparison. "
        + ("Rows: " + "; ".join(lines) + "." if lines else "No rows match this filter.")
    )
    fig = finish(fig, title=title, description=description, height=40 * MAX_ROWS + 190)
    fig.update_layout(
        margin={"l": 40, "r": 20, "t": 140},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


#: Side effects by organ and regimen from the trial data.
incidence_view = View(INCIDENCE_PARAMS, _draw_incidence, key="organ")


def incidence_live(organ: str = ORGANS[0], **fixed) -> LiveExplorer:
    """Live explorer of the trial side effects: organ dropdown and regimen check boxes."""
    return incidence_view.live(INCIDENCE_PARAMS.names(), organ=organ, **fixed)
