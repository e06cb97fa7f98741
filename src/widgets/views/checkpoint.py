"""Figures of the checkpoint-blockade model (:mod:`widgets.models.checkpoint`).

* :data:`treatment_view`: one course of anti-PD-1 over time, in three panels sharing the time
  axis: antibody concentration and PD-1 occupancy; T cells in the tumour; change of the lesion
  diameter with the RECIST 1.1 bands, against the same tumour left untreated.
* :data:`response_map_view`: RECIST category and diameter change at the assessment day over a
  grid of PD-L1 level x T-cell infiltration.
* :func:`occupancy_figure`: occupancy after one dose at the doses Brahmer et al. 2010 gave.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..explorer import View
from ..models import checkpoint as model
from ..models import recist
from ..style import COLOR, DASHES, LABEL_BACKGROUND, PALETTE, finish, merged
from .layout import recist_lines, subplots, subplots_layout

__all__ = ["treatment_view", "response_map_view", "occupancy_figure", "SHORT"]

#: Short labels of the RECIST categories, for figures.
SHORT = recist.SHORT

#: Range of the diameter-change axis (%) in every time-course figure of the book.
CHANGE_RANGE = [-105.0, 200.0]
_CHANGE_RANGE = CHANGE_RANGE


def treatment_end(p: dict) -> float:
    """The day the last dose's interval ends (0 without treatment)."""
    return p["n_doses"] * p["interval"] if p["n_doses"] and p["dose"] > 0 else 0


def treatment_shapes(p: dict, panels) -> list[dict]:
    """Shade the treatment period and mark the assessment day on each ``(xref, yref)`` panel,
    as plain layout shapes (Plotly's add_vrect/add_vline cost tens of ms per redraw)."""
    shapes = []
    end = treatment_end(p)
    for xref, yref in panels:
        if end:
            shapes.append(
                {
                    "type": "rect",
                    "xref": xref,
                    "yref": yref,
                    "x0": 0,
                    "x1": min(end, p["horizon"]),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": PALETTE[2],
                    "opacity": 0.07,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        shapes.append(
            {
                "type": "line",
                "xref": xref,
                "yref": yref,
                "x0": p["assess_day"],
                "x1": p["assess_day"],
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "dash": "dash", "width": 1},
            }
        )
    return shapes


def _draw_treatment(p: dict) -> go.Figure:
    df = model.simulate(**p)
    ref = model.simulate(**{**p, "n_doses": 0})
    s = model.summary(df, **p)
    t = df["t"].to_numpy()
    layout = subplots_layout(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        specs=[[{"secondary_y": True}], [{}], [{}]],
    )
    # the traces as dicts on their subplots' axes (row 1: y, and y2 on the right; row 2: x2,
    # y3; row 3: x3, y4) and the layout as one dict: one go.Figure call validates each once
    conc = df["antibody"].to_numpy()
    traces = [
        {
            "x": t,
            "y": np.where(conc > 1e-3, conc, np.nan),
            "name": "antibody (µg/mL)",
            "line": {"color": COLOR["drug"], "dash": DASHES[0]},
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "x": t,
            "y": df["occupancy"].to_numpy(),
            "name": "PD-1 occupancy (0-1)",
            "line": {"color": COLOR["occupancy"], "dash": DASHES[1]},
            "xaxis": "x",
            "yaxis": "y2",
        },
        {
            "x": t,
            "y": df["tcells"].to_numpy(),
            "name": "T cells, treated",
            "line": {"color": COLOR["immune"], "dash": DASHES[0]},
            "xaxis": "x2",
            "yaxis": "y3",
        },
        {
            "x": t,
            "y": ref["tcells"].to_numpy(),
            "name": "T cells, untreated",
            "line": {"color": PALETTE[6], "dash": DASHES[2], "width": 1.5},
            "xaxis": "x2",
            "yaxis": "y3",
        },
        {
            "x": t,
            "y": df["diameter_change"].to_numpy(),
            "name": "diameter change, treated",
            "line": {"color": COLOR["tumour"], "dash": DASHES[0], "width": 3},
            "xaxis": "x3",
            "yaxis": "y4",
        },
        {
            "x": t,
            "y": ref["diameter_change"].to_numpy(),
            "name": "diameter change, untreated",
            "line": {"color": PALETTE[6], "dash": DASHES[2], "width": 1.5},
            "xaxis": "x3",
            "yaxis": "y4",
        },
    ]
    i_a = int(np.argmin(np.abs(t - p["assess_day"])))
    traces.append(
        {
            "x": [t[i_a]],
            "y": [df["diameter_change"].iloc[i_a]],
            "mode": "markers",
            "name": f"assessment (day {p['assess_day']})",
            "marker": {"color": PALETTE[6], "size": 11, "symbol": "diamond"},
            "xaxis": "x3",
            "yaxis": "y4",
        }
    )
    # RECIST reference lines and bands (PD is judged from the smallest size so far), the
    # treatment period and the assessment day. Written as plain layout shapes in one go:
    # Plotly's add_hline/add_vrect helpers cost tens of milliseconds per redraw.
    shapes, annotations = [], []
    band = {
        "type": "rect",
        "xref": "x3 domain",
        "yref": "y4",
        "x0": 0,
        "x1": 1,
        "opacity": 0.15,
        "line": {"width": 0},
        "layer": "below",
    }
    shapes.append(
        {**band, "y0": _CHANGE_RANGE[0], "y1": 100 * recist.PR_CHANGE, "fillcolor": PALETTE[5]}
    )
    shapes.append(
        {**band, "y0": 100 * recist.PD_CHANGE, "y1": _CHANGE_RANGE[1], "fillcolor": PALETTE[4]}
    )
    lines, annotations = recist_lines("x3 domain", "y4")
    shapes += lines
    treat_end = treatment_end(p)
    shapes += treatment_shapes(p, (("x", "y domain"), ("x2", "y3 domain"), ("x3", "y4 domain")))
    horizon = p["horizon"]
    e_max = max(60.0, 1.1 * float(max(df["tcells"].max(), ref["tcells"].max())))
    # shared axis: a small title keeps every axis labelled
    small = {"title": {"text": "time (days)", "font": {"size": 11}}, "range": [0, horizon]}
    layout = merged(
        layout,
        {
            "shapes": shapes,
            "annotations": annotations,
            "xaxis": small,
            "xaxis2": small,
            "xaxis3": {"title": {"text": "time since first dose (days)"}, "range": [0, horizon]},
            "yaxis": {"title": {"text": "antibody (µg/mL)"}, "type": "log", "range": [-2, 3]},
            "yaxis2": {
                "title": {"text": "occupancy (0-1)"},
                "range": [0, 1.05],
                "dtick": 0.25,
                "showgrid": False,
            },
            "yaxis3": {"title": {"text": "T cells (relative units)"}, "range": [0, e_max]},
            "yaxis4": {"title": {"text": "diameter change (%)"}, "range": _CHANGE_RANGE},
        },
    )
    fig = go.Figure(data=[{"type": "scatter", **tr} for tr in traces], layout=layout)
    cat = s["recist_at_assessment"]
    doses = (
        f"{p['n_doses']} doses of {p['dose']:g} mg/kg every {p['interval']} days"
        if treat_end
        else "no treatment"
    )
    title = (
        f"Day {p['assess_day']}: {cat} ({s['change_at_assessment_pct']:+.0f}%) "
        f"<br><sup>{doses}; PD-L1 {p['pdl1']:g}, infiltration {p['infiltration']:g}"
        f"{', with anti-CTLA-4' if p['anti_ctla4'] else ''} (illustrative model)</sup>"
    )
    description = (
        f"Illustrative model output, not patient data. {doses.capitalize()} of an anti-PD-1 "
        f"antibody (shaded: treatment period). Top panel: the antibody concentration in the "
        f"blood (log scale) rises with each dose and then falls with a half-life of "
        f"{p['half_life']:g} days; PD-1 occupancy stays near 1 while the drug is present. "
        f"Middle panel: T cells in the tumour peak at {s['tcells_peak']:.0f} units with "
        f"treatment (dotted line: untreated). Bottom panel: the change of the lesion diameter "
        f"from baseline, with reference lines at -30% (partial response) and +20% "
        f"(progression); at the assessment on day {p['assess_day']} the treated tumour has "
        f"changed by {s['change_at_assessment_pct']:+.0f}%, RECIST category {cat}; the "
        f"untreated tumour has changed by {ref['diameter_change'].iloc[i_a]:+.0f}%. "
        f"At the end (day {horizon}) the treated tumour is at "
        f"{s['change_at_end_pct']:+.0f}% ({s['recist_at_end']})."
    )
    fig = finish(fig, title=title, description=description, height=760)
    # legend between the title and the panels, so the slider under the plot has room
    fig.update_layout(
        margin={"t": 175},
        height=(fig.layout.height or 440) + 60,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


#: One course of treatment over time (three panels sharing the time axis).
treatment_view = View(model.PARAMS, _draw_treatment, key="infiltration")


#: Grid of the response map (kept small so a redraw stays well under a second).
MAP_PDL1 = np.round(np.linspace(0.0, 1.0, 9), 3)
MAP_INFILTRATION = np.round(np.linspace(0.0, 2.0, 9), 3)


def response_grid(p: dict, pdl1=MAP_PDL1, infiltration=MAP_INFILTRATION) -> dict:
    """Diameter change (%) and RECIST category at the assessment day over a grid.

    Every tumour of the grid is integrated together as one stacked system
    (:func:`widgets.models.checkpoint.simulate_many`); the values are those
    :func:`widgets.models.checkpoint.summary` gives for each tumour alone."""
    p = model.PARAMS.resolve(p)
    grid = [{**p, "pdl1": float(L), "infiltration": float(s)} for s in infiltration for L in pdl1]
    run = model.simulate_many(grid)
    t, d, d0 = run["t"], run["diameter"], run["diameter0"]
    i = int(np.argmin(np.abs(t - p["assess_day"])))
    nadir = np.minimum.accumulate(np.minimum(d[:, : i + 1], d0[:, None]), axis=1)[:, -1]
    codes = recist.category_codes(d[:, i], d0, nadir)
    shape = (len(infiltration), len(pdl1))
    change = (100.0 * (d[:, i] / d0 - 1.0)).reshape(shape)
    short = np.array([SHORT[c] for c in recist.CATEGORIES], dtype=object)
    return {
        "pdl1": np.asarray(pdl1),
        "infiltration": np.asarray(infiltration),
        "change": change,
        "category": short[codes].reshape(shape),
    }


def _draw_map(p: dict) -> go.Figure:
    treated = response_grid(p)
    untreated = response_grid({**p, "n_doses": 0})
    doses = (
        f"{p['n_doses']} doses of {p['dose']:g} mg/kg every {p['interval']} days"
        if p["n_doses"] and p["dose"] > 0
        else "no treatment"
    )
    ctla = " + anti-CTLA-4" if p["anti_ctla4"] else ""
    # one map above the other (side by side, each is a sliver on a phone)
    fig = subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=("untreated", f"with anti-PD-1{ctla}"),
    )
    # both heatmaps as plain dicts in one call, and the axis titles in one update: Plotly
    # validates each once (adding and updating piece by piece costs milliseconds apiece)
    fig.add_traces(
        [
            {
                "type": "heatmap",
                "x": g["pdl1"],
                "y": g["infiltration"],
                "z": np.clip(g["change"], -100, 100),
                "text": g["category"],
                "texttemplate": "%{text}",
                "textfont": {"size": 11},
                "coloraxis": "coloraxis",
                "hovertemplate": "PD-L1 %{x}<br>infiltration %{y}<br>change %{z:.0f}%<br>"
                "%{text}<extra></extra>",
            }
            for g in (untreated, treated)
        ],
        rows=[1, 2],
        cols=[1, 1],
    )
    infiltration = {"text": "T-cell infiltration (units/day)"}
    fig.update_layout(
        xaxis2={"title": {"text": "PD-L1 level (0-1)"}},
        yaxis={"title": infiltration},
        yaxis2={"title": infiltration},
        # one colour scale for both maps
        coloraxis={
            "cmin": -100,
            "cmax": 100,
            "colorscale": "RdBu_r",
            "colorbar": {"title": {"text": "diameter change (%)", "side": "right"}},
        },
    )

    def counts(g):
        return ", ".join(f"{int((g['category'] == k).sum())} {k}" for k in SHORT.values())

    n = treated["category"].size
    title = (
        f"RECIST category on day {p['assess_day']}: untreated vs treated"
        f"<br><sup>{doses}{ctla} (illustrative model)</sup>"
    )
    description = (
        f"Illustrative model output, not patient data. Two grids of {n} model tumours each, "
        f"PD-L1 level from 0 to 1 across and T-cell infiltration from 0 to 2 up; each cell is "
        f"coloured by the change in lesion diameter on day {p['assess_day']} (blue shrinking, "
        f"red growing) and labelled with its RECIST category (CR, PR, SD, PD). Top, "
        f"untreated: {counts(untreated)}. Bottom, {doses}{ctla}: {counts(treated)}. "
        "Tumours with few T cells (bottom rows) progress with or without treatment; tumours "
        "with many T cells and little PD-L1 shrink even untreated (the immune system already "
        "controls them); the benefit of blockade is largest where T cells are present and "
        "PD-L1 is high."
    )
    fig = finish(fig, title=title, description=description, height=760)
    fig.update_layout(
        margin={"t": 110},
        # on a phone the colour bar lies under the maps, which then take the full width
        meta={**fig.layout.meta, "narrow": _MAP_ON_A_PHONE},
    )
    return fig


_MAP_ON_A_PHONE = {
    "coloraxis": {
        "colorbar": {
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.14,
            "yanchor": "top",
            "thickness": 14,
            "title": {"side": "top"},
        }
    },
    "extra_height": 80,
}


#: RECIST category over PD-L1 level x infiltration.
response_map_view = View(model.PARAMS, _draw_map)


def occupancy_figure(doses=(0.3, 1.0, 3.0, 10.0), days: int = 90, **fixed) -> go.Figure:
    """PD-1 occupancy after one dose, at Brahmer et al. 2010's doses, with the 70% line."""
    p = model.PARAMS.resolve(fixed)
    t = np.linspace(0, days, 181)
    fig = go.Figure()
    lows = []
    for k, d in enumerate(doses):
        c = model.concentration(
            t,
            dose=d,
            interval=p["interval"],
            n_doses=1,
            body_weight=p["body_weight"],
            half_life=p["half_life"],
            volume=p["volume"],
        )
        ro = model.occupancy(c, p["ec50"])
        lows.append(float(ro[np.searchsorted(t, 60.0)]))
        fig.add_trace(
            go.Scatter(
                x=t,
                y=ro,
                name=f"{d:g} mg/kg",
                line={"color": PALETTE[k % 7], "dash": DASHES[k % 6]},
            )
        )
    fig.add_hline(
        y=0.7,
        line={"color": COLOR["threshold"], "dash": "dot"},
        annotation_text="70%",
        annotation_position="bottom left",
    )
    fig.add_vline(
        x=60,
        line={"color": COLOR["threshold"], "dash": "dash", "width": 1},
        annotation_text="2 months",
        annotation_position="bottom right",
        annotation_bgcolor=LABEL_BACKGROUND,
    )
    fig.update_xaxes(title="days after one dose", range=[0, days])
    fig.update_yaxes(title="PD-1 occupancy (0-1)", range=[0, 1.02])
    description = (
        "Model PD-1 occupancy after a single dose of anti-PD-1 at "
        + ", ".join(f"{d:g}" for d in doses)
        + f" mg/kg (half-life {p['half_life']:g} days, EC50 {p['ec50']:g} µg/mL, "
        "illustrative calibration). On day 60 occupancy is "
        + ", ".join(f"{100 * x:.0f}%" for x in lows)
        + " respectively, all above the 70% line, matching the calibration target from "
        "Brahmer et al. 2010."
    )
    return finish(
        fig,
        title="PD-1 occupancy after one dose (model calibration)",
        description=description,
        height=420,
    )
