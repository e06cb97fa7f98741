"""Figures of a virtual cohort (:mod:`widgets.cohort`): waterfall, Kaplan–Meier and swimmer.

Every function takes a cohort *results* DataFrame from :func:`widgets.cohort.run` (one row per
patient with ``best_change_pct``, ``best_response``, ``progression_time``,
``progression_event`` and, for swimmer plots, ``response_time``), so any model run through the
cohort engine can be drawn. Two layers:

* **trace builders** (``waterfall_traces``, ``km_traces``, ``swimmer_traces``) return a
  fixed number of Plotly traces whatever the data (empty traces where a category is absent),
  so they can be composed into subplots and into static explorers (whose steps must all have
  the same traces);
* **figures** (``waterfall_figure``, ``km_figure``, ``swimmer_figure``, ``cohort_figure``)
  finish those traces with titles, axis labels with units and a text description (which
  says that a virtual cohort is illustrative).

Colours: RECIST categories keep one colour each (:data:`RECIST_COLOR`), and Kaplan–Meier
curves differ by dash as well as colour.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import stats
from ..models import recist
from ..style import DASHES, PALETTE, finish, merged
from .layout import recist_lines, subplots_layout

__all__ = [
    "RECIST_COLOR",
    "SHORT",
    "waterfall_traces",
    "km_traces",
    "swimmer_traces",
    "waterfall_figure",
    "km_figure",
    "swimmer_figure",
    "cohort_figure",
    "counts_text",
]

SHORT = recist.SHORT
#: One colour per RECIST category (Okabe–Ito).
RECIST_COLOR = {
    "complete response": PALETTE[2],
    "partial response": PALETTE[0],
    "stable disease": PALETTE[4],
    "progressive disease": PALETTE[1],
}
#: Bar patterns, a second channel besides colour.
_PATTERN = {
    "complete response": "",
    "partial response": "/",
    "stable disease": ".",
    "progressive disease": "x",
}
#: Waterfall y range (%): changes above the top are drawn at the top.
CHANGE_RANGE = (-105.0, 105.0)


def _check(results: pd.DataFrame) -> pd.DataFrame:
    for col in ("best_change_pct", "best_response"):
        if col not in results.columns:
            raise ValueError(f"results need a {col!r} column (see widgets.cohort.run)")
    if len(results) == 0:
        raise ValueError("results are empty")
    return results


def counts_text(results: pd.DataFrame) -> str:
    """'12 CR, 30 PR, 40 SD, 118 PD' for a description."""
    c = results["best_response"].value_counts()
    return ", ".join(f"{int(c.get(k, 0))} {s}" for k, s in SHORT.items())


# -- waterfall ------------------------------------------------------------------------------------
def waterfall_traces(results: pd.DataFrame, *, showlegend: bool = True) -> list[go.Bar]:
    """Four bar traces (CR, PR, SD, PD): each patient's best change, sorted from the
    largest growth on the left to the deepest shrinkage on the right."""
    return [go.Bar(d) for d in _waterfall_dicts(results, showlegend=showlegend)]


def _waterfall_dicts(results: pd.DataFrame, *, showlegend: bool = True) -> list[dict]:
    """:func:`waterfall_traces` as plain dicts (a figure built from dicts in one call is
    validated once, much faster than trace objects added one by one)."""
    _check(results)
    order = results.sort_values(
        ["best_change_pct", "patient" if "patient" in results else "best_response"],
        ascending=[False, True],
    ).reset_index(drop=True)
    x = np.arange(1, len(order) + 1)
    shown = np.clip(order["best_change_pct"].to_numpy(float), CHANGE_RANGE[0], CHANGE_RANGE[1] - 5)
    change = order["best_change_pct"].to_numpy(float)
    best = order["best_response"].to_numpy()
    traces = []
    for cat in recist.CATEGORIES:
        sel = best == cat
        traces.append(
            {
                "x": x[sel],
                "y": shown[sel],
                "name": f"{SHORT[cat]}: {cat}",
                "legendgroup": cat,
                "marker": {
                    "color": RECIST_COLOR[cat],
                    "line": {"width": 0},
                    "pattern": {"shape": _PATTERN[cat], "size": 4, "solidity": 0.3},
                },
                "customdata": change[sel],
                "hovertemplate": "patient rank %{x}<br>best change %{customdata:.0f}%<extra>"
                + SHORT[cat]
                + "</extra>",
                "showlegend": showlegend,
            }
        )
    return traces


def waterfall_figure(
    results: pd.DataFrame,
    *,
    title: str | None = None,
    description: str | None = None,
    height: int = 440,
) -> go.Figure:
    """Waterfall plot of the best change in tumour size, coloured by best RECIST response."""
    _check(results)
    fig = go.Figure(waterfall_traces(results))
    shapes, notes = recist_lines("x domain", "y", short=True)
    fig.update_layout(
        shapes=shapes,
        annotations=notes,
        bargap=0.1,
        barmode="overlay",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    fig.update_xaxes(
        title="virtual patients, ranked by best change",
        showticklabels=False,
        range=[0.5, len(results) + 0.5],
    )
    fig.update_yaxes(title="best change in diameter (%)", range=list(CHANGE_RANGE))
    rate = stats.response_rate(results)
    title = title or (
        f"Best response of {len(results)} virtual patients"
        f"<br><sup>response rate {100 * rate.rate:.0f}% (95% CI "
        f"{100 * rate.lo:.0f}-{100 * rate.hi:.0f}%), illustrative model</sup>"
    )
    description = description or (
        f"Waterfall plot of an illustrative virtual cohort, not patient data: one bar per "
        f"virtual patient, the best change in the sum of lesion diameters from baseline, "
        f"sorted from growth on the left to shrinkage on the right, with dotted lines at −30% "
        f"(partial response) and +20% (progression). Best responses: {counts_text(results)}; "
        f"response rate {rate}."
    )
    fig = finish(fig, title=title, description=description, height=height)
    fig.update_layout(margin={"t": 120})
    return fig


# -- Kaplan–Meier ---------------------------------------------------------------------------------
def km_traces(
    results: pd.DataFrame,
    name: str,
    *,
    color: str = PALETTE[0],
    dash: str = "solid",
    months: bool = True,
    band: bool = True,
    showlegend: bool = True,
) -> list[go.Scatter]:
    """Three traces: the 95% band (empty if ``band`` is False), the step curve, and the
    censoring ticks. Time in months (30.44 days) unless ``months`` is False."""
    dicts, _ = _km_dicts(
        results, name, color=color, dash=dash, months=months, band=band, showlegend=showlegend
    )
    return [go.Scatter(d) for d in dicts]


def _km_dicts(
    results: pd.DataFrame,
    name: str,
    *,
    color: str = PALETTE[0],
    dash: str = "solid",
    months: bool = True,
    band: bool = True,
    showlegend: bool = True,
):
    """:func:`km_traces` as plain dicts, and the Kaplan-Meier estimate
    (:func:`widgets.stats.km_curve`, the numbers of ``lifelines``' fit)."""
    km = stats.km_curve(results)
    t, s, lo, hi = km.time, km.survival, km.lower, km.upper
    scale = 30.4375 if months else 1.0
    unit = "months" if months else "days"
    x = t / scale
    durations, events = stats.km_inputs(results)
    cens_t = np.unique(durations[~events])
    cens_s = km.at(cens_t) if cens_t.size else np.array([])
    rgba = _rgba(color, 0.15)
    band_trace = {
        "x": np.concatenate([x, x[::-1]]) if band else [],
        "y": np.concatenate([hi, lo[::-1]]) if band else [],
        "mode": "lines",
        "fill": "toself",
        "fillcolor": rgba,
        "line": {"width": 0, "shape": "hv"},
        "hoverinfo": "skip",
        "name": f"{name}: 95% CI",
        "legendgroup": name,
        "showlegend": False,
    }
    curve = {
        "x": x,
        "y": s,
        "mode": "lines",
        "name": name,
        "legendgroup": name,
        "line": {"color": color, "dash": dash, "shape": "hv", "width": 2.5},
        "hovertemplate": f"{name}<br>%{{x:.1f}} {unit}: %{{y:.0%}} free of progression"
        "<extra></extra>",
        "showlegend": showlegend,
    }
    ticks = {
        "x": cens_t / scale,
        "y": cens_s,
        "mode": "markers",
        "name": f"{name}: censored",
        "legendgroup": name,
        "marker": {"symbol": "line-ns-open", "size": 9, "color": color},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    return [band_trace, curve, ticks], km


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def km_figure(
    groups: Mapping[str, pd.DataFrame],
    *,
    title: str | None = None,
    description: str | None = None,
    months: bool = True,
    height: int = 440,
) -> go.Figure:
    """Kaplan–Meier curves of progression-free survival, one per named results frame."""
    if not groups:
        raise ValueError("give at least one named results frame")
    fig = go.Figure()
    parts = []
    for k, (name, res) in enumerate(groups.items()):
        for tr in km_traces(res, name, color=PALETTE[k % 7], dash=DASHES[k % 6], months=months):
            fig.add_trace(tr)
        med = stats.median_survival(res)
        parts.append(f"{name}: median {_median_text(med, months)}")
    unit = "months" if months else "days"
    fig.update_xaxes(title=f"time since first dose ({unit})", rangemode="tozero")
    fig.update_yaxes(title="free of progression (share)", range=[0, 1.03], tickformat=".0%")
    fig.update_layout(legend={"x": 1, "xanchor": "right", "y": 1, "yanchor": "top"})
    title = (
        title
        or "Progression-free survival<br><sup>Kaplan–Meier estimate, illustrative virtual cohort</sup>"
    )
    description = description or (
        "Kaplan–Meier curves of progression-free survival in an illustrative virtual cohort, "
        "not patient data, with 95% confidence bands and ticks where patients were censored. "
        + "; ".join(parts)
        + "."
    )
    return finish(fig, title=title, description=description, height=height)


def _median_text(days: float, months: bool = True) -> str:
    if not np.isfinite(days):
        return "not reached"
    return f"{days / 30.4375:.1f} months" if months else f"{days:.0f} days"


# -- swimmer --------------------------------------------------------------------------------------
def swimmer_traces(
    results: pd.DataFrame, *, max_patients: int = 30, months: bool = True, showlegend: bool = True
) -> list:
    """Traces for the first ``max_patients`` patients (ranked by time followed): one bar per
    patient, coloured and patterned by best response, in a single trace; response onsets
    (diamonds); progressions (crosses); still progression-free at the end (arrows); then a
    legend key of the four best-response bars (empty traces)."""
    _check(results)
    if "progression_time" not in results.columns:
        raise ValueError("results need a 'progression_time' column")
    scale = 30.4375 if months else 1.0
    sub = results.head(max_patients).copy()
    follow = sub["followup"] if "followup" in sub else sub["progression_time"]
    sub = sub.assign(_f=np.asarray(follow, float)).sort_values("_f").reset_index(drop=True)
    y = [f"#{int(p)}" for p in (sub["patient"] if "patient" in sub else sub.index)]
    bars = go.Bar(
        x=sub["_f"] / scale,
        y=y,
        orientation="h",
        name="time followed",
        marker={
            "color": [RECIST_COLOR[c] for c in sub["best_response"]],
            "pattern": {
                "shape": [_PATTERN[c] for c in sub["best_response"]],
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
            },
            "line": {"width": 0},
        },
        customdata=[SHORT[c] for c in sub["best_response"]],
        hovertemplate="patient %{y}: %{x:.1f}<br>best response %{customdata}<extra></extra>",
        showlegend=False,
    )
    resp_t = (
        sub["response_time"].to_numpy(float)
        if "response_time" in sub
        else np.full(len(sub), np.nan)
    )
    ok = np.isfinite(resp_t)
    onset = go.Scatter(
        x=resp_t[ok] / scale,
        y=[y[i] for i in np.flatnonzero(ok)],
        mode="markers",
        name="response begins (PR or CR)",
        marker={"symbol": "diamond", "size": 9, "color": PALETTE[6]},
        showlegend=showlegend,
    )
    ev = sub["progression_event"].to_numpy(bool)
    prog = go.Scatter(
        x=sub.loc[ev, "_f"] / scale,
        y=[y[i] for i in np.flatnonzero(ev)],
        mode="markers",
        name="progression",
        marker={"symbol": "x-thin-open", "size": 10, "color": PALETTE[6], "line": {"width": 2}},
        showlegend=showlegend,
    )
    cont = go.Scatter(
        x=sub.loc[~ev, "_f"] / scale,
        y=[y[i] for i in np.flatnonzero(~ev)],
        mode="markers",
        name="progression-free at the end",
        marker={"symbol": "arrow-bar-right", "size": 11, "color": PALETTE[6]},
        showlegend=showlegend,
    )
    key = [
        go.Bar(
            x=[None],
            y=[None],
            orientation="h",
            name=f"best response {SHORT[c]}",
            marker={
                "color": RECIST_COLOR[c],
                "pattern": {"shape": _PATTERN[c], "fillmode": "overlay", "fgcolor": "#ffffff"},
            },
            showlegend=showlegend,
            hoverinfo="skip",
        )
        for c in recist.CATEGORIES
    ]
    return [bars, onset, prog, cont, *key]


def swimmer_figure(
    results: pd.DataFrame,
    *,
    max_patients: int = 30,
    title: str | None = None,
    description: str | None = None,
    months: bool = True,
) -> go.Figure:
    """Swimmer plot: one lane per patient, how long they were followed and what happened."""
    traces = swimmer_traces(results, max_patients=max_patients, months=months)
    fig = go.Figure(traces)
    n = min(max_patients, len(results))
    unit = "months" if months else "days"
    fig.update_xaxes(title=f"time since first dose ({unit})", rangemode="tozero")
    fig.update_yaxes(title="virtual patient", type="category", tickfont={"size": 9})
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, bargap=0.25
    )
    sub = results.head(max_patients)
    n_resp = int(sub["best_response"].isin(recist.RESPONSES).sum())
    n_prog = int(sub["progression_event"].sum())
    title = title or f"Swimmer plot of {n} virtual patients<br><sup>illustrative model</sup>"
    description = description or (
        f"Swimmer plot of {n} patients of an illustrative virtual cohort, not patient data: "
        f"one horizontal lane per patient, as long as the patient was followed, coloured by "
        f"best response, with a key in the legend (green CR, blue PR with stripes, orange SD "
        f"with dots, vermillion PD with crosses). Diamonds mark when a "
        f"response began ({n_resp} patients), crosses a progression ({n_prog}), arrows "
        f"patients still free of progression at the end ({n - n_prog})."
    )
    fig = finish(fig, title=title, description=description, height=max(380, 60 + 16 * n))
    fig.update_layout(margin={"t": 120})
    return fig


# -- waterfall and Kaplan–Meier side by side -----------------------------------------------------
def cohort_figure(
    results: pd.DataFrame,
    reference: pd.DataFrame | None = None,
    *,
    name: str = "this scenario",
    reference_name: str = "reference",
    title: str | None = None,
    description: str | None = None,
    extra_description: str = "",
    height: int = 760,
) -> go.Figure:
    """Waterfall (top) and progression-free survival (below) of a cohort, optionally against
    a reference cohort's curve. Always the same 10 traces (4 bars, 3 + 3 curve traces). The
    panels are stacked, not side by side, so that each keeps its axis titles on a phone.

    The legend uses short labels ("CR", ..., "this scenario", "reference"), so the figure fits
    a narrow page; ``name`` and ``reference_name`` appear in the title and description."""
    layout = subplots_layout(
        rows=2,
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=("best response", "progression-free"),
    )
    # every trace as a plain dict and the whole layout as one dict, made into a figure in
    # one call: Plotly validates each once (trace objects added one by one, and layout
    # updates, cost milliseconds apiece)
    traces = []
    for tr in _waterfall_dicts(results):
        traces.append({"type": "bar", **tr, "name": SHORT[tr["legendgroup"]]})
    ref = reference if reference is not None else results
    ref_traces, ref_km = _km_dicts(ref, "reference", color=PALETTE[6], dash="dot", band=False)
    for tr in ref_traces:
        if reference is None:
            tr["x"], tr["y"] = [], []
        traces.append({"type": "scatter", **tr})
    res_traces, km = _km_dicts(results, "this scenario", color=PALETTE[0], dash="solid")
    traces += [{"type": "scatter", **tr} for tr in res_traces]
    for k, tr in enumerate(traces):  # the waterfall in row 1, the curves in row 2
        tr.update({"xaxis": "x", "yaxis": "y"} if k < 4 else {"xaxis": "x2", "yaxis": "y2"})
    shapes, notes = recist_lines("x domain", "y", short=True)
    layout = merged(
        layout,
        {
            "shapes": shapes,
            "annotations": layout["annotations"] + notes,
            "barmode": "overlay",
            "bargap": 0.1,
            "legend": {
                "orientation": "h",
                "y": 1.08,
                "yanchor": "bottom",
                "x": 0,
                "font": {"size": 12},
            },
            "xaxis": {
                "title": {"text": "patients, ranked"},
                "showticklabels": False,
                "range": [0.5, len(results) + 0.5],
            },
            "yaxis": {"title": {"text": "best change (%)"}, "range": list(CHANGE_RANGE)},
            "xaxis2": {
                "title": {"text": "months since first dose"},
                "range": [0, 12.2],
                "dtick": 3,
            },
            "yaxis2": {
                "title": {"text": "progression-free (share)"},
                "range": [0, 1.03],
                "tickformat": ".0%",
            },
        },
    )
    fig = go.Figure(data=traces, layout=layout)
    rate = stats.response_rate(results)
    med = km.median  # = stats.median_survival(results), the same estimate
    title = title or (
        f"Response rate {100 * rate.rate:.0f}% (95% CI "
        f"{100 * rate.lo:.0f}-{100 * rate.hi:.0f}%)"
        f"<br><sup>{name}<br>{len(results)} virtual patients, median "
        f"progression-free {_median_text(med)} (illustrative)</sup>"
    )
    ref_text = ""
    if reference is not None:
        rr = stats.response_rate(reference)
        ref_text = (
            f" The dotted curve is the reference ({reference_name}): response rate "
            f"{rr}, median progression-free "
            f"{_median_text(ref_km.median)}."
        )
    description = description or (
        f"Illustrative virtual cohort, not patient data ({name}). Top: waterfall plot of the "
        f"best change in tumour diameter of {len(results)} virtual patients, coloured by best "
        f"RECIST response ({counts_text(results)}), with dotted lines at −30% and +20%. Below: "
        f"Kaplan–Meier curve of progression-free survival (solid, with its 95% band); median "
        f"{_median_text(med)}. Response rate {rate}."
        + ref_text
        + (" " + extra_description if extra_description else "")
    )
    fig = finish(fig, title=title, description=description, height=height)
    fig.update_layout(margin={"t": 190, "l": 60, "r": 10})
    return fig
