"""Figures of chapter 6, "Cancer vaccines".

* :data:`neoantigen_view`: the neoantigen counting model (:mod:`widgets.models.neoantigen`).
  Left, the chance of at least one immunogenic neoantigen against the number of mutations
  (log scale; exact and Poisson), with the chosen tumour marked; right, the distribution of
  the number of immunogenic neoantigens in that tumour.
* :data:`arms_view`: the vaccine added to the checkpoint model (:mod:`widgets.models.vaccine`):
  T cells and lesion diameter over time for four arms (untreated, vaccine alone, anti-PD-1
  alone, both), with the RECIST 1.1 lines.
* :func:`trial_figure`: hazard ratios with 95% confidence intervals of vaccine trials, from
  ``widgets.data.load("trials")``, on a log axis with the line of no effect at 1.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..explorer import View
from ..models import neoantigen as neo
from ..models import recist
from ..models import vaccine as model
from ..style import COLOR, DASHES, PALETTE, finish, merged
from .checkpoint import CHANGE_RANGE, treatment_end, treatment_shapes
from .layout import recist_lines, subplots, subplots_layout

__all__ = ["neoantigen_view", "arms_view", "trial_figure", "ARM_STYLE"]

_K_MAX = 8


def _r(values, decimals: int = 2) -> np.ndarray:
    """Rounded copies of plotted values: keeps the precomputed static explorers small."""
    return np.round(np.asarray(values, dtype=float), decimals)


_LOG_M = [0.0, math.log10(5000)]


def _draw_neoantigen(p: dict) -> go.Figure:
    df = neo.simulate(**p)
    s = neo.summary(**p)
    m, q, k = p["mutations"], p["immunogenic"], p["hla_alleles"]
    f = s["presented_fraction"]
    dist = neo.count_distribution(m, f, q, k_max=_K_MAX)
    fig = subplots(rows=1, cols=2, column_widths=[0.62, 0.38], horizontal_spacing=0.12)
    fig.add_trace(
        go.Scatter(
            x=df["mutations"],
            y=_r(df["p_at_least_one"], 4),
            name="exact: 1 − (1 − fq)^m",
            line={"color": COLOR["immune"], "dash": DASHES[0], "width": 3},
            hovertemplate="%{x} mutations<br>P(≥1) = %{y:.3f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=df["mutations"],
            y=_r(df["p_poisson"], 4),
            name="Poisson: 1 − exp(−mfq)",
            line={"color": COLOR["accent"], "dash": DASHES[1], "width": 2},
            hovertemplate="%{x} mutations<br>P(≥1) ≈ %{y:.3f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=[m],
            y=[s["p_at_least_one"]],
            mode="markers",
            name=f"this tumour ({m} mutations)",
            marker={"color": COLOR["tumour"], "size": 12, "symbol": "diamond"},
            hovertemplate="%{x} mutations<br>P(≥1) = %{y:.3f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    labels = [str(i) for i in dist["k"]]
    labels[-1] = f"≥{_K_MAX}"
    fig.add_trace(
        go.Bar(
            x=labels,
            y=dist["probability"],
            name="number of immunogenic neoantigens",
            marker={"color": COLOR["immune"], "pattern": {"shape": "/"}},
            hovertemplate="%{x} immunogenic<br>probability %{y:.3f}<extra></extra>",
        ),
        row=1,
        col=2,
    )
    half = s["mutations_for_half"]
    shapes = [
        {
            "type": "line",
            "xref": "x domain",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": 0.5,
            "y1": 0.5,
            "line": {"color": COLOR["threshold"], "dash": "dot", "width": 1},
        }
    ]
    fig.update_layout(shapes=shapes)
    fig.update_xaxes(
        title="nonsynonymous mutations (log scale)", type="log", range=_LOG_M, row=1, col=1
    )
    fig.update_yaxes(title="P(at least one immunogenic) (0-1)", range=[0, 1.02], row=1, col=1)
    fig.update_xaxes(
        title=f"immunogenic neoantigens<br>with {m} mutations (count)",
        type="category",
        row=1,
        col=2,
    )
    fig.update_yaxes(title="probability (0-1)", range=[0, 1.02], row=1, col=2)
    half_text = f"{half:.0f} mutations" if math.isfinite(half) else "never"
    title = (
        f"{m} mutations: {100 * s['p_at_least_one']:.0f}% chance of at least one "
        f"immunogenic neoantigen<br><sup>{k} HLA alleles, presentation f = {f:.3f}, "
        f"immunogenic share q = {q:g}; expected {s['expected_immunogenic']:.2g} immunogenic "
        f"(illustrative model)</sup>"
    )
    description = (
        "Illustrative model output, not patient data. Left panel: the probability that a tumour "
        "has at least one neoantigen that is both presented and recognised by T cells, against "
        "the number of protein-changing mutations on a log scale from 1 to 5000; solid line the "
        "exact binomial formula, dashed line its Poisson approximation, which lies almost on top "
        f"of it; dotted line at one half, reached at {half_text}. The diamond marks a tumour with "
        f"{m} mutations: probability {s['p_at_least_one']:.2f}. Right panel: bars give the "
        f"probability of 0, 1, 2, ... immunogenic neoantigens in that tumour; the expected "
        f"number is {s['expected_immunogenic']:.2g} and the chance of none is "
        f"{dist['probability'].iloc[0]:.2f}. Parameters: {k} distinct HLA class I alleles, each "
        f"presenting a mutation's peptide with probability {p['per_allele']:g}, so f = {f:.3f}; "
        f"immunogenic share q = {q:g}."
    )
    fig = finish(fig, title=title, description=description, height=470)
    fig.update_layout(
        margin={"t": 150},
        bargap=0.15,
        legend={"orientation": "h", "y": 1.03, "yanchor": "bottom", "x": 0},
        # on a phone the two panels stack (widgets/static/figure.js)
        meta={**fig.layout.meta, "narrow": _STACKED},
    )
    return fig


_STACKED = {
    "xaxis": {"domain": [0, 1]},
    "xaxis2": {"domain": [0, 1]},
    "yaxis": {"domain": [0.6, 1]},
    "yaxis2": {"domain": [0, 0.36]},
    "extra_height": 260,
}


#: The neoantigen model: probability curve and count distribution.
neoantigen_view = View(neo.PARAMS, _draw_neoantigen, key="mutations")


#: Line style of each arm: colour, dash, width.
ARM_STYLE = {
    "untreated": (PALETTE[6], DASHES[2], 1.5),
    "vaccine alone": (PALETTE[4], DASHES[3], 2.5),
    "anti-PD-1 alone": (COLOR["drug"], DASHES[1], 2.5),
    "vaccine + anti-PD-1": (COLOR["immune"], DASHES[0], 3.5),
}
_CHANGE_RANGE = CHANGE_RANGE
#: Plot every second output time (about 2.4 days apart over a year): smaller static pages.
_EVERY = 2


def _short(cat: str) -> str:
    return recist.SHORT[cat]


def _draw_arms(p: dict) -> go.Figure:
    df = model.compare(**p)
    summ = model.summary(df, **p)
    layout = subplots_layout(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1)
    # the traces as dicts on their panels' axes and the layout as one dict: one go.Figure
    # call validates each once (adding and updating piece by piece walks Plotly's tree)
    e_max = 60.0
    traces = []
    for arm, (color, dash, width) in ARM_STYLE.items():
        part = df[df["arm"] == arm].iloc[::_EVERY]
        e_max = max(e_max, 1.1 * float(part["tcells"].max()))
        traces.append(
            dict(
                type="scatter",
                x=_r(part["t"]),
                y=_r(part["tcells"]),
                name=arm,
                legendgroup=arm,
                line={"color": color, "dash": dash, "width": width},
                hovertemplate=f"{arm}<br>day %{{x:.0f}}<br>T cells %{{y:.1f}}<extra></extra>",
                xaxis="x",
                yaxis="y",
            )
        )
    for arm, (color, dash, width) in ARM_STYLE.items():
        part = df[df["arm"] == arm].iloc[::_EVERY]
        traces.append(
            dict(
                type="scatter",
                x=_r(part["t"]),
                y=_r(part["diameter_change"], 1),
                name=arm,
                legendgroup=arm,
                showlegend=False,
                line={"color": color, "dash": dash, "width": width},
                hovertemplate=f"{arm}<br>day %{{x:.0f}}<br>change %{{y:.0f}}%<extra></extra>",
                xaxis="x2",
                yaxis="y2",
            )
        )
    shapes, annotations = recist_lines("x2 domain", "y2")
    shapes += treatment_shapes(p, (("x", "y domain"), ("x2", "y2 domain")))
    days = [0, p["horizon"]]
    layout = merged(
        layout,
        {
            "shapes": shapes,
            "annotations": annotations,
            "xaxis": {"title": {"text": "time (days)", "font": {"size": 11}}, "range": days},
            "xaxis2": {
                "title": {"text": "time since the start of treatment (days)"},
                "range": days,
            },
            "yaxis": {"title": {"text": "T cells (relative units)"}, "range": [0, e_max]},
            "yaxis2": {"title": {"text": "diameter change (%)"}, "range": _CHANGE_RANGE},
        },
    )
    fig = go.Figure(data=traces, layout=layout)
    both = summ.loc["vaccine + anti-PD-1"]
    day = p["assess_day"]
    parts = [
        f"{arm} {summ.loc[arm, 'change_at_assessment_pct']:+.0f}% "
        f"({_short(summ.loc[arm, 'recist_at_assessment'])})"
        for arm in ARMS_ORDER
    ]
    doses = (
        f"{p['n_doses']} doses of anti-PD-1 every {p['interval']} days"
        if treatment_end(p)
        else "no anti-PD-1"
    )
    title = (
        f"Day {day}: vaccine + anti-PD-1 {both['change_at_assessment_pct']:+.0f}% "
        f"({_short(both['recist_at_assessment'])})"
        f"<br><sup>vaccine boost {p['vaccine_boost']:g}; PD-L1 {p['pdl1']:g}, infiltration "
        f"{p['infiltration']:g}; {doses} (illustrative model)</sup>"
    )
    description = (
        "Illustrative model output, not patient data. The same model tumour (PD-L1 level "
        f"{p['pdl1']:g}, T-cell infiltration {p['infiltration']:g}) under four treatments: "
        "untreated (dotted), a vaccine alone (dash-dot), anti-PD-1 alone (dashed) and both "
        f"(solid). The vaccine multiplies the inflow of primed T cells by "
        f"{1 + p['vaccine_boost']:g} for the whole run; anti-PD-1 arms get {doses} "
        "(shaded period). Top panel: T cells in the tumour. Bottom panel: change of the lesion diameter "
        "from baseline, with reference lines at −30% (partial response) and +20% "
        f"(progression). On day {day}: " + "; ".join(parts) + ". At the end (day "
        f"{p['horizon']}): "
        + "; ".join(f"{arm} {summ.loc[arm, 'change_at_end_pct']:+.0f}%" for arm in ARMS_ORDER)
        + "."
    )
    fig = finish(fig, title=title, description=description, height=640)
    fig.update_layout(
        margin={"t": 150},
        height=(fig.layout.height or 440) + 40,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


ARMS_ORDER = list(model.ARMS)

#: The four arms over time; the static slider varies the vaccine's priming boost.
arms_view = View(model.PARAMS, _draw_arms, key="vaccine_boost")


#: the hazard-ratio axis's ticks
HR_TICKS = (0.4, 0.5, 0.7, 1, 1.5, 2, 2.5)


def trial_figure(rows: pd.DataFrame) -> go.Figure:
    """Hazard ratios with their confidence intervals, one row each (log axis, line at 1).

    ``rows`` needs columns ``label``, ``hr``, ``lower``, ``upper`` (and optionally
    ``endpoint``).
    """
    rows = rows.reset_index(drop=True)
    y = list(rows["label"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=rows["hr"],
            y=y,
            mode="markers",
            name="hazard ratio (95% CI)",
            marker={"color": COLOR["immune"], "size": 12, "symbol": "square"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["upper"] - rows["hr"],
                "arrayminus": rows["hr"] - rows["lower"],
                "color": COLOR["immune"],
                "thickness": 2,
                "width": 8,
            },
            hovertemplate="%{y}<br>HR %{x:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": 1,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "dash": "dash", "width": 1},
            }
        ],
        annotations=[
            {
                "text": "← favours the vaccine arm",
                "xref": "x",
                "yref": "paper",
                "x": math.log10(0.95),
                "y": 1.0,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
            },
            {
                "text": "favours the comparator →",
                "xref": "x",
                "yref": "paper",
                "x": math.log10(1.05),
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            },
        ],
    )
    fig.update_xaxes(
        title="hazard ratio (log scale; 1 = no difference)",
        type="log",
        # as much room right of 1 as left of it, for the two labels; every tick written out
        # (Plotly's own log ticks print 0.8 as a bare "8")
        range=[math.log10(0.4), math.log10(2.5)],
        tickvals=HR_TICKS,
        ticktext=[f"{v:g}" for v in HR_TICKS],
    )
    fig.update_yaxes(title="trial, endpoint", autorange="reversed")
    parts = [
        f"{r.label}: hazard ratio {r.hr:g} (95% CI {r.lower:g} to {r.upper:g})"
        + (", the interval crosses 1" if r.lower <= 1 <= r.upper else ", the interval lies below 1")
        for r in rows.itertuples()
    ]
    description = (
        "Hazard ratios of randomised vaccine trials, each with its 95% confidence interval as a "
        "horizontal bar, on a log scale; the dashed line at 1 means no difference between the "
        "arms, values below 1 favour the vaccine arm. " + "; ".join(parts) + "."
    )
    fig = finish(
        fig,
        title="Vaccine trials: hazard ratios with 95% confidence intervals",
        description=description,
        height=120 + 70 * len(rows),
    )
    fig.update_layout(margin={"l": 260, "t": 80}, showlegend=False)
    return fig
