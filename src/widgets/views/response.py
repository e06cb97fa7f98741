"""Figures of chapter 10: who responds, and how sure we can be.

The numbers come from :mod:`widgets.evidence` (published results), :mod:`widgets.stats`
(intervals), :mod:`widgets.models.survival` (the cure-fraction model) and
:mod:`widgets.models.neoantigen` (the biomarker model); this module only draws them, in
percent.

* :data:`forest_view`: response rates from ``data/trials.csv`` with exact 95% intervals,
  filtered by therapy class and cancer group (switches of :data:`FILTER_PARAMS`).
* :data:`sample_size_view`: how the exact interval around a response rate narrows as a trial
  grows.
* :data:`biomarker_view`: response by PD-L1 and by mutational burden (data), beside the
  neoantigen model's chance of at least one recognisable neoantigen by mutational burden.
* :data:`tail_view`: a cure-fraction survival curve beside an exponential with the same median,
  over the medians and landmark survivals that trials reported.
* :data:`FOREST_SCENARIOS`, :func:`tail_scenarios`: named settings for the static explorers.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import evidence, stats
from ..explorer import View
from ..models import neoantigen, survival
from ..params import Param, ParamTable
from ..style import COLOR, DASHES, PALETTE, finish

__all__ = [
    "forest_view",
    "sample_size_view",
    "biomarker_view",
    "tail_view",
    "FOREST_SCENARIOS",
    "tail_scenarios",
    "short_label",
    "FILTER_PARAMS",
    "SAMPLE_PARAMS",
    "filter_responses",
]

CLASSES = evidence.CLASSES
CANCER_GROUPS = evidence.CANCER_GROUPS

#: Sample size and uncertainty (all choices of the reader; no source needed beyond the method).
SAMPLE_PARAMS = ParamTable(
    [
        Param(
            "rate",
            0.3,
            "0-1",
            0.05,
            0.95,
            "true response rate; the share of patients who respond, as a proportion",
            "illustrative",
            step=0.05,
            symbol="p",
        ),
        Param(
            "n",
            40,
            "patients",
            5,
            1000,
            "patients in the trial; the number whose responses are counted",
            "illustrative",
            kind="int",
            log=True,
            symbol="n",
        ),
        Param(
            "level",
            0.95,
            "0-1",
            0.8,
            0.99,
            "confidence level; 0.95 for a 95% interval",
            "illustrative",
            step=0.01,
        ),
    ]
)

#: Forest-plot filters: one switch per therapy class and per cancer group.
FILTER_PARAMS = ParamTable(
    [
        Param(
            f"show_{short}",
            True,
            "",
            description=f"show {cls}; include this therapy class",
            source="illustrative",
            kind="bool",
        )
        for cls, short in CLASSES.items()
    ]
    + [
        Param(
            f"cancer_{g}",
            True,
            "",
            description=f"{g} cancers; include this cancer group",
            source="illustrative",
            kind="bool",
        )
        for g in CANCER_GROUPS
    ]
    + [
        Param(
            "complete",
            False,
            "",
            description="complete responses only; instead of all objective responses",
            source="illustrative",
            kind="bool",
        )
    ]
)


def filter_responses(table: pd.DataFrame, values: dict) -> pd.DataFrame:
    """Rows of :func:`response_table` that pass the switches in ``values`` (see
    :data:`FILTER_PARAMS`)."""
    p = FILTER_PARAMS.resolve(values)
    keep_class = {cls for cls, short in CLASSES.items() if p[f"show_{short}"]}
    keep_group = {g for g in CANCER_GROUPS if p[f"cancer_{g}"]}
    endpoints = (
        ("complete response",)
        if p["complete"]
        else ("objective response", "remission", "durable response")
    )
    mask = (
        table["class"].isin(keep_class)
        & table["group"].isin(keep_group)
        & table["endpoint"].isin(endpoints)
        & ~table["subgroup"]
    )
    return table[mask]


#: Trial sizes at which the sample-size figure evaluates interval widths.
N_GRID = np.unique(np.round(np.geomspace(5, 1000, 120)).astype(int))


_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
_ENDPOINT_TAG = {
    "objective response": "",
    "remission": " (remission)",
    "durable response": " (durable)",
    "complete response": " (CR)",
}


@lru_cache(maxsize=1)
def _table():
    t = evidence.response_table()
    t["short"] = [short_label(r) for _, r in t.iterrows()]
    order = {k: i for i, k in enumerate(CLASSES)}
    t["class_order"] = t["class"].map(order)
    return t.sort_values(["class_order", "rate"]).reset_index(drop=True)


@lru_cache(maxsize=1)
def _tails():
    return survival.tail_table()


def short_label(r, sep: str = ", ") -> str:
    """A row label for the forest plot: trial, arm, cancer and (if not ORR) the endpoint.
    ``sep`` goes between the arm and the cancer (``"<br>"`` puts the cancer on a second line,
    so the plot keeps its width on a narrow page)."""
    return f"{r['trial']}: {r['arm']}{sep}{r['cancer']}{_ENDPOINT_TAG.get(r['endpoint'], '')}"


# -- forest plot --------------------------------------------------------------------------

FOREST_SCENARIOS = {
    "all trials": {},
    "checkpoint inhibitors": {f"show_{s}": s == "checkpoint" for s in CLASSES.values()},
    "CAR-T cells": {f"show_{s}": s == "cart" for s in CLASSES.values()},
    "interleukin-2, vaccine, virus": {
        f"show_{s}": s in ("cytokine", "vaccine", "oncolytic") for s in CLASSES.values()
    },
    "melanoma only": {f"cancer_{g}": g == "melanoma" for g in CANCER_GROUPS},
    "complete responses": {"complete": True},
}


def _forest_legend(shown) -> dict:
    """Inside the plot, at the top or bottom right, wherever the rows leave that corner free
    (with few rows, the legend fits between them; it is translucent where it cannot)."""
    free = 55.0  # the legend covers roughly the right 45% of the plot's width
    inside = {"xanchor": "right", "x": 0.99, "bgcolor": "rgba(255,255,255,0.85)"}
    highs = list(100 * shown["ci_high"])
    if len(highs) >= 10 and max(highs[:6]) >= free and max(highs[-6:]) < free:
        return {**inside, "y": 0.005, "yanchor": "bottom"}
    return {**inside, "y": 0.995, "yanchor": "top"}


def _draw_forest(p: dict) -> go.Figure:
    table = _table()
    shown = filter_responses(table, p)
    fig = go.Figure()
    for i, cls in enumerate(CLASSES):
        d = shown[shown["class"] == cls]
        rate, lo, hi = [(100 * d[c]).tolist() for c in ("rate", "ci_low", "ci_high")]
        custom = [
            [k, n, a, b, "count reconstructed from %" if rec else "count reported"]
            for k, n, a, b, rec in zip(
                d["k"].tolist(), d["n"].tolist(), lo, hi, d["reconstructed"].tolist()
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=rate,
                y=[short_label(r, "<br>") for _, r in d.iterrows()],
                mode="markers",
                name=cls,
                marker={"color": PALETTE[i % 7], "symbol": _SYMBOLS[i], "size": 10},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [h - r for h, r in zip(hi, rate)],
                    "arrayminus": [r - l for r, l in zip(rate, lo)],
                    "thickness": 1.5,
                    "width": 4,
                },
                customdata=custom,
                hovertemplate="%{y}<br>%{customdata[0]} of %{customdata[1]} = %{x:.1f}%"
                "<br>95% CI %{customdata[2]:.1f} to %{customdata[3]:.1f}%"
                "<br>%{customdata[4]}<extra></extra>",
            )
        )
    labels = [short_label(r, "<br>") for _, r in shown.iterrows()]
    fig.update_layout(
        xaxis={"title": "responding (%), exact 95% CI", "range": [0, 100]},
        yaxis={
            "title": "trial: arm, cancer",
            "categoryorder": "array",
            "categoryarray": labels[::-1],
            "automargin": True,
            "tickfont": {"size": 11},
        },
        legend=_forest_legend(shown),
        annotations=[]
        if labels
        else [
            {
                "text": "no trial matches these filters",
                "x": 50,
                "y": 0.5,
                "xref": "x",
                "yref": "paper",
                "showarrow": False,
            }
        ],
    )
    n_rec = int(shown["reconstructed"].sum())
    what = "complete responses" if p["complete"] else "responses"
    finish(
        fig,
        title=f"Who responds: {len(shown)} trial arms<br><sup>{what}; dots are the share of "
        f"patients, bars the exact 95% interval</sup>",
        description=(
            f"A forest plot of {len(shown)} trial arms from the book's data file. Each row is "
            f"one arm; the marker is the percentage of patients with a {what[:-1]} and the "
            f"horizontal bar its exact (Clopper-Pearson) 95% confidence interval. Marker shape "
            f"and colour show the therapy class. "
            + (
                "; ".join(
                    f"{r.short}: {r.k} of {r.n}, {100 * r.rate:.0f}% "
                    f"({100 * r.ci_low:.0f} to {100 * r.ci_high:.0f}%)"
                    for r in shown.itertuples()
                )
                if len(shown)
                else "No arm matches the chosen filters."
            )
            + (
                f". For {n_rec} arms the count was reconstructed from the published percentage."
                if n_rec
                else "."
            )
        ),
        height=880,
    )
    fig.update_layout(margin={"t": 110})
    return fig


forest_view = View(FILTER_PARAMS, _draw_forest, key="complete")


# -- sample size ---------------------------------------------------------------------------


def _draw_sample_size(p: dict) -> go.Figure:
    rate, n, level = p["rate"], p["n"], p["level"]
    grid = N_GRID
    lo, hi = stats.exact_ci(np.round(rate * grid), grid, level)
    k0 = round(rate * n)
    lo0, hi0 = stats.exact_ci(k0, n, level)
    pct = int(round(100 * level))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=grid,
            y=100 * hi,
            name=f"upper end of the {pct}% interval",
            line={"color": COLOR["immune"], "dash": DASHES[0]},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=grid,
            y=100 * lo,
            name=f"lower end of the {pct}% interval",
            line={"color": COLOR["tumour"], "dash": DASHES[1]},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[n],
            y=[100 * k0 / n],
            mode="markers",
            name=f"a trial of {n}: {k0} responders",
            marker={"color": PALETTE[6], "size": 12, "symbol": "diamond"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [100 * (hi0 - k0 / n)],
                "arrayminus": [100 * (k0 / n - lo0)],
                "thickness": 2,
                "width": 8,
            },
        )
    )
    fig.update_layout(
        xaxis={
            "title": "patients in the trial (log scale)",
            "type": "log",
            "range": [np.log10(4), 3.05],
            "minorloglabels": "none",
        },
        yaxis={"title": "response rate (%)", "range": [0, 100]},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 100 * rate,
                "y1": 100 * rate,
                "line": {"color": PALETTE[6], "dash": "dot", "width": 1},
            }
        ],
        annotations=[
            {
                "xref": "paper",
                "x": 0.99,
                "y": 100 * rate,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"true rate {100 * rate:.0f}%",
            }
        ],
        # in the corner the funnel leaves free: the top for low rates, the bottom for high
        legend={"x": 0.99, "xanchor": "right", "y": 0.99, "yanchor": "top"}
        if rate <= 0.5
        else {"x": 0.99, "xanchor": "right", "y": 0.01, "yanchor": "bottom"},
    )
    finish(
        fig,
        title=f"{k0} of {n} responders: {pct}% interval {100 * lo0:.0f}% to {100 * hi0:.0f}%"
        f"<br><sup>the exact interval narrows roughly as one over the square root of the "
        f"trial size</sup>",
        description=(
            f"The lower and upper ends of the exact {pct}% confidence interval for a response "
            f"rate of {100 * rate:.0f}%, against the number of patients (5 to 1000, log scale). "
            f"The two curves form a funnel that narrows as trials grow. The diamond marks a "
            f"trial of {n} patients with {k0} responders: its interval runs from "
            f"{100 * lo0:.1f}% to {100 * hi0:.1f}%, {100 * (hi0 - lo0):.1f} percentage points wide."
        ),
    )
    return fig


sample_size_view = View(SAMPLE_PARAMS, _draw_sample_size, key="n")


# -- biomarkers ----------------------------------------------------------------------------

_TMB_GRID = np.geomspace(0.1, 100, 200)


def _draw_biomarker(p: dict) -> go.Figure:
    table = _table()
    sub = table[table["subgroup"]]
    f = neoantigen.presented_fraction(p["per_allele"], p["hla_alleles"])
    q = p["immunogenic"]
    threshold = evidence.tmb_threshold()
    fig = go.Figure()
    names = {r.arm: r for r in sub.itertuples()}
    for i, (arm, r) in enumerate(names.items()):
        fig.add_trace(
            go.Scatter(
                x=[100 * r.rate],
                y=[f"{arm}<br>({r.trial.split(' (')[0]})"],
                mode="markers",
                name=f"{arm}: {r.k} of {r.n}",
                showlegend=False,
                marker={"color": PALETTE[i % 7], "symbol": _SYMBOLS[i % 6], "size": 11},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [100 * (r.ci_high - r.rate)],
                    "arrayminus": [100 * (r.rate - r.ci_low)],
                    "thickness": 1.5,
                    "width": 5,
                },
                xaxis="x",
                yaxis="y",
            )
        )
    prob = 100 * neoantigen.p_neoantigen_by_tmb(_TMB_GRID, p["megabases"], f, q)
    fig.add_trace(
        go.Scatter(
            x=_TMB_GRID,
            y=prob,
            name="at least one recognisable neoantigen",
            line={"color": COLOR["immune"], "dash": DASHES[0], "width": 3},
            showlegend=False,
            xaxis="x2",
            yaxis="y2",
        )
    )
    expected = neoantigen.p_neoantigen_by_tmb(threshold, p["megabases"], f, q)
    fig.update_layout(
        xaxis={"title": "patients responding (%)", "range": [0, 100], "anchor": "y"},
        yaxis={
            "title": "subgroup (source)",
            "automargin": True,
            "tickfont": {"size": 11},
            "domain": [0.6, 1],
        },
        xaxis2={
            "title": "tumour mutational burden (mutations/Mb, log)",
            "type": "log",
            "range": [-1, 2],
            "anchor": "y2",
        },
        yaxis2={
            "title": "chance of at least<br>one neoantigen (%)",
            "range": [0, 100],
            "anchor": "x2",
            "domain": [0, 0.4],
        },
        shapes=[
            {
                "type": "line",
                "xref": "x2",
                "yref": "y2",
                "x0": threshold,
                "x1": threshold,
                "y0": 0,
                "y1": 100,
                "line": {"color": PALETTE[6], "dash": "dot", "width": 1},
            }
        ],
        annotations=[
            {
                "xref": "x2",
                "yref": "y2",
                "x": math.log10(threshold),
                "y": 4,
                "xanchor": "right",
                "showarrow": False,
                "text": f"{threshold:g} mutations/Mb ",
            }
        ],
    )
    finish(
        fig,
        title="Biomarkers: PD-L1, mutational burden and neoantigens<br><sup>top: reported "
        "response with exact 95% intervals; bottom: the neoantigen model "
        "(illustrative parameters)</sup>",
        description=(
            "Top: the share of patients who responded, with exact 95% intervals, in four "
            "subgroups from two studies: "
            + "; ".join(
                f"{r.arm} ({r.trial}), {r.k} of {r.n}, {100 * r.rate:.0f}%"
                for r in sub.itertuples()
            )
            + ". Bottom: the neoantigen model's chance that a tumour has at least one neoantigen "
            f"that T cells can recognise, against mutational burden from 0.1 to 100 mutations "
            f"per megabase counted over {p['megabases']:g} megabases, with presentation "
            f"probability {f:.3f} and immunogenic share {q:g} (illustrative). At "
            f"{threshold:g} mutations per megabase, the high-burden threshold of the study, "
            f"the chance is {100 * float(expected):.0f}%."
        ),
        height=640,
    )
    return fig


biomarker_view = View(neoantigen.TMB_PARAMS, _draw_biomarker, key="immunogenic")


# -- survival tails ------------------------------------------------------------------------

_T = np.linspace(0, 120, 241)


def _draw_tail(p: dict) -> go.Figure:
    pi = p["cure_fraction"]
    lam = math.log(2) / p["median_uncured"]
    med = survival.cure_median(pi, lam)
    cure = 100 * survival.s_cure(_T, pi, lam)
    expo = 100 * survival.s_exponential(_T, med)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=_T,
            y=cure,
            name=f"cure-fraction model (plateau {100 * pi:.0f}%)",
            line={"color": COLOR["immune"], "dash": DASHES[0], "width": 3},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=_T,
            y=expo,
            name="exponential, same median",
            line={"color": COLOR["tumour"], "dash": DASHES[1], "width": 2},
        )
    )
    tails = _tails()
    for i, r in enumerate(tails.itertuples()):
        fig.add_trace(
            go.Scatter(
                x=[r.median, r.landmark],
                y=[50, 100 * r.observed],
                mode="markers+lines",
                name=f"{r.trial}, {r.arm}",
                line={"color": PALETTE[(i + 2) % 7], "dash": "dot", "width": 1},
                marker={"color": PALETTE[(i + 2) % 7], "symbol": _SYMBOLS[i % 6], "size": 10},
                hovertemplate="%{x:.1f} months: %{y:.1f}% alive<extra>"
                + f"{r.trial}, {r.arm}</extra>",
            )
        )
    fig.update_layout(
        xaxis={"title": "months since the start of treatment", "range": [0, 120], "dtick": 12},
        yaxis={"title": "patients alive (%)", "range": [0, 100]},
        legend={"x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 12}},
        shapes=[
            {
                "type": "line",
                "x0": 0,
                "x1": 120,
                "y0": 100 * pi,
                "y1": 100 * pi,
                "line": {"color": PALETTE[6], "dash": "dot", "width": 1},
            }
        ],
    )
    at60 = 100 * float(survival.s_cure(60.0, pi, lam))
    ex60 = 100 * float(survival.s_exponential(60.0, med))
    finish(
        fig,
        title=f"The tail of the curve: median {med:.1f} months, {at60:.0f}% alive at 5 years"
        f"<br><sup>an exponential with the same median leaves {ex60:.0f}%</sup>",
        description=(
            f"Survival curves over 120 months. Solid: a cure-fraction model in which "
            f"{100 * pi:.0f}% of patients are on a long-term plateau and the others die with a "
            f"median of {p['median_uncured']:g} months; its overall median is {med:.1f} months "
            f"and {at60:.0f}% are alive at 60 months. Dashed: an exponential curve with the same "
            f"median, which has no plateau and leaves {ex60:.0f}% at 60 months. Markers joined by "
            f"dotted lines are reported results, each at its median (50% alive) and at its "
            f"landmark: "
            + "; ".join(
                f"{r.trial} {r.arm}, median {r.median:g} months, {100 * r.observed:g}% at "
                f"{r.landmark:g} months"
                for r in tails.itertuples()
            )
            + "."
        ),
        height=480,
    )
    fig.update_layout(margin={"r": 270, "t": 80})
    return fig


tail_view = View(survival.PARAMS, _draw_tail, key="cure_fraction")


def tail_scenarios() -> dict:
    """Named settings of :data:`tail_view`: the cure-fraction fit to each arm that has one,
    and no plateau at all."""
    out = {}
    for r in _tails().itertuples():
        if math.isnan(r.pi):
            continue
        out[f"fit to {r.trial}, {r.arm}"] = {
            "cure_fraction": round(r.pi, 3),
            "median_uncured": round(math.log(2) / r.lam, 1),
        }
    out["no plateau"] = {"cure_fraction": 0.0, "median_uncured": 12.0}
    return out
