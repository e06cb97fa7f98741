"""Figures of chapter 8: the gut microbiome (:mod:`widgets.models.microbiome`), its virtual
cohort (:mod:`widgets.cohort`) and nerve-injury exhaustion (:mod:`widgets.models.nerve`).

* :data:`patient_view`: one patient over time: commensals and priming; T cells; tumour
  diameter change with RECIST lines, against the same patient with no intervention.
* :data:`cohort_view`: the virtual cohort under the chosen intervention: waterfall and
  progression-free survival against no intervention (drawn by :mod:`widgets.views.cohort`).
* :func:`evidence_figure`: published numbers beside the model's, labelled as such.
* :data:`nerve_view`: diameter change with and without nerve injury and with its signal
  blocked.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .. import stats
from ..data import load
from ..explorer import View
from ..models import microbiome as model
from ..models import nerve, recist
from ..style import COLOR, DASHES, PALETTE, finish, merged
from . import cohort as cohort_views
from .checkpoint import CHANGE_RANGE
from .layout import recist_lines, subplots, subplots_layout

__all__ = [
    "patient_view",
    "cohort_view",
    "nerve_view",
    "evidence_figure",
    "evidence_numbers",
    "intervention_text",
    "refractory_conversion",
]

_CHANGE_RANGE = CHANGE_RANGE


def intervention_text(p: dict) -> str:
    """A short description of the interventions in ``p``."""
    parts = []
    if p["abx_days"] > 0:
        when = p["abx_start"]
        start = (
            f"{-when} days before the first dose"
            if when < 0
            else "the first dose"
            if when == 0
            else f"{when} days after the first dose"
        )
        parts.append(f"{p['abx_days']}-day antibiotics from {start}")
    if p["fmt"]:
        donor = "responder" if p["donor_commensals"] >= 0.5 else "non-responder"
        parts.append(f"FMT, {donor} donor, day {p['fmt_day']}")
    return "; ".join(parts) if parts else "no intervention"


def _shapes_for(p: dict, xrefs) -> list:
    shapes = []
    for xref, yref in xrefs:
        if p["abx_days"] > 0:
            shapes.append(
                {
                    "type": "rect",
                    "xref": xref,
                    "yref": yref,
                    "x0": p["abx_start"],
                    "x1": p["abx_start"] + p["abx_days"],
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": PALETTE[1],
                    "opacity": 0.12,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        if p["fmt"]:
            shapes.append(
                {
                    "type": "line",
                    "xref": xref,
                    "yref": yref,
                    "x0": p["fmt_day"],
                    "x1": p["fmt_day"],
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": PALETTE[2], "width": 2, "dash": "dashdot"},
                }
            )
        shapes.append(
            {
                "type": "line",
                "xref": xref,
                "yref": yref,
                "x0": 0,
                "x1": 0,
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "width": 1},
            }
        )
    return shapes


# -- one patient ----------------------------------------------------------------------------------
def _draw_patient(p: dict) -> go.Figure:
    df = model.simulate(**p)
    ref_p = {**p, "abx_days": 0, "fmt": False}
    ref = model.simulate(**ref_p)
    s = model.summary(df, **p)
    sr = model.summary(ref, **ref_p)
    t0 = -90.0
    tt = np.linspace(t0, 0.0, 46)
    pre = model.commensal_path(tt, **p)
    t = df["t"].to_numpy()
    layout = subplots_layout(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        specs=[[{"secondary_y": True}], [{}], [{}]],
    )
    # the traces as dicts on their subplots' axes (row 1: y, and y2 on the right; row 2: x2,
    # y3; row 3: x3, y4) and the layout as one dict: one go.Figure call validates each once
    on = {1: ("x", "y"), "1r": ("x", "y2"), 2: ("x2", "y3"), 3: ("x3", "y4")}
    traces = []
    for panel, x, y, name, line in (
        (
            1,
            np.concatenate([tt, t]),
            np.concatenate([pre, df["commensals"]]),
            "commensals (0-1)",
            {"color": PALETTE[2], "dash": DASHES[0], "width": 2.5},
        ),
        (
            "1r",
            t,
            df["priming"],
            "priming multiplier (×)",
            {"color": COLOR["occupancy"], "dash": DASHES[1]},
        ),
        (2, t, df["tcells"], "T cells", {"color": COLOR["immune"], "dash": DASHES[0]}),
        (
            2,
            t,
            ref["tcells"],
            "T cells, no intervention",
            {"color": PALETTE[6], "dash": DASHES[2], "width": 1.5},
        ),
        (
            3,
            t,
            df["diameter_change"],
            "diameter change",
            {"color": COLOR["tumour"], "dash": DASHES[0], "width": 3},
        ),
        (
            3,
            t,
            ref["diameter_change"],
            "diameter change, no intervention",
            {"color": PALETTE[6], "dash": DASHES[2], "width": 1.5},
        ),
    ):
        xaxis, yaxis = on[panel]
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": np.asarray(y),
                "name": name,
                "line": line,
                "xaxis": xaxis,
                "yaxis": yaxis,
            }
        )
    shapes = _shapes_for(p, [("x", "y domain"), ("x2", "y3 domain"), ("x3", "y4 domain")])
    lines, notes = recist_lines("x3 domain", "y4")
    shapes += lines
    top = 2.0 if max(p["priming_high"], p["priming_low"]) <= 2.0 else 5.0
    e_max = max(40.0, 1.1 * float(max(df["tcells"].max(), ref["tcells"].max())))
    days = {"title": {"text": "days", "font": {"size": 11}}, "range": [t0, p["horizon"]]}
    layout = merged(
        layout,
        {
            "shapes": shapes,
            "annotations": notes,
            "xaxis": days,
            "xaxis2": days,
            "xaxis3": {"title": {"text": "days since first infusion"}, "range": [t0, p["horizon"]]},
            "yaxis": {"title": {"text": "commensals (0-1)"}, "range": [0, 1.02], "dtick": 0.25},
            "yaxis2": {
                "title": {"text": "priming (×)"},
                "range": [0, top * 1.02],
                "dtick": top / 4,
                "showgrid": False,
            },
            "yaxis3": {"title": {"text": "T cells (relative units)"}, "range": [0, e_max]},
            "yaxis4": {"title": {"text": "diameter change (%)"}, "range": _CHANGE_RANGE},
        },
    )
    fig = go.Figure(data=traces, layout=layout)
    what = intervention_text(p)
    title = (
        f"Day {p['assess_day']}: {s['recist_at_assessment']} "
        f"({s['change_at_assessment_pct']:+.0f}%)"
        f"<br><sup>{what}<br>anti-PD-1 from day 0 (illustrative model)</sup>"
    )
    description = (
        f"Illustrative model output for one made-up patient, not patient data. Intervention: "
        f"{what} (shaded: antibiotic course; dash-dot line: FMT; solid line: first infusion). "
        f"Top panel: beneficial gut commensals (0-1, solid) from 90 days before the first "
        f"infusion, and the T-cell priming multiplier they set (dashed); at day 0 commensals "
        f"are {s['commensals_day0']:.2f} and priming {s['priming_day0']:.2f}. Middle panel: T "
        f"cells in the tumour, against the same patient with no intervention (dotted). Bottom "
        f"panel: change of the lesion diameter with the −30% and +20% RECIST lines; on day "
        f"{p['assess_day']} it is {s['change_at_assessment_pct']:+.0f}% "
        f"({s['recist_at_assessment']}), against {sr['change_at_assessment_pct']:+.0f}% "
        f"({sr['recist_at_assessment']}) with no intervention."
    )
    fig = finish(fig, title=title, description=description, height=760)
    fig.update_layout(
        margin={"t": 200},
        height=840,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


#: One patient over time under an intervention (static default: antibiotic timing).
patient_view = View(model.PARAMS, _draw_patient, key="abx_start")


# -- the virtual cohort ---------------------------------------------------------------------------
def _scenario_of(p: dict) -> dict:
    """The settings of ``p`` that differ from the defaults (patient-drawn ones excluded)."""
    d = model.PARAMS.defaults()
    return {k: v for k, v in p.items() if k not in model.COHORT and v != d[k]}


def _draw_cohort(p: dict) -> go.Figure:
    scenario = _scenario_of(p)
    what = intervention_text(p)
    res = model.cohort_results(what, **scenario)
    base = {
        k: v
        for k, v in scenario.items()
        if k not in ("abx_days", "abx_start", "fmt", "fmt_day", "donor_commensals")
    }
    ref = model.cohort_results("no intervention", **base)
    extra = ""
    if "abx_days" in scenario or "fmt" in scenario:
        try:
            hr = stats.hazard_ratio(ref, res)
            extra = (
                f"Hazard ratio of progression against no intervention {hr['hr']:.2f} "
                f"(same virtual patients)."
            )
        except ValueError:
            extra = ""
    return cohort_views.cohort_figure(
        res, ref, name=what, reference_name="no intervention", extra_description=extra
    )


#: The virtual cohort (:data:`widgets.models.microbiome.COHORT`) under one intervention.
cohort_view = View(model.PARAMS, _draw_cohort, key="abx_start")


def refractory_conversion(
    donor_commensals: float, n: int = model.COHORT_N, seed: int = model.COHORT_SEED
) -> stats.ResponseRate:
    """Among the virtual patients who do not respond with no intervention, the share who
    respond when an FMT from a donor with ``donor_commensals`` is added at day 0."""
    base = model.cohort_results("no intervention", n=n, seed=seed)
    fmt = model.cohort_results("FMT", n=n, seed=seed, fmt=True, donor_commensals=donor_commensals)
    refractory = ~base["responder"].to_numpy()
    return stats.response_rate(
        k=int(fmt["responder"].to_numpy()[refractory].sum()), n=int(refractory.sum())
    )


def evidence_numbers() -> dict:
    """Published numbers (from ``data/microbiome.csv``) and the model's counterparts."""
    data = load("microbiome")
    out = {"published": data}
    out["model_fmt_responder"] = refractory_conversion(model.DONOR_RESPONDER)
    out["model_fmt_nonresponder"] = refractory_conversion(model.DONOR_NONRESPONDER)
    base = model.cohort_results("no intervention")
    abx = model.cohort_results(
        "antibiotics", **model.SCENARIOS["antibiotics for 14 days, ending at the first infusion"]
    )
    out["model_abx_pfs_hr"] = stats.hazard_ratio(base, abx)
    return out


def evidence_figure() -> go.Figure:
    """Published results beside the model's, each with its 95% interval, clearly labelled."""
    ev = evidence_numbers()
    data = ev["published"]
    fig = subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.3,
        row_heights=[0.55, 0.45],
        subplot_titles=(
            "FMT in anti-PD-1-refractory melanoma",
            "antibiotics vs none: hazard ratio",
        ),
    )
    labels, rates, los, his, kinds = [], [], [], [], []
    for _, r in data[data["responders"].notna()].iterrows():
        rr = stats.response_rate(k=int(r["responders"]), n=int(r["patients"]))
        what = "response" if r["endpoint"] == "objective response" else "benefit"
        labels.append(f"{r['study']}: {what} {int(r['responders'])}/{int(r['patients'])}")
        rates.append(rr.rate), los.append(rr.lo), his.append(rr.hi), kinds.append("published")
    for key, donor in (
        ("model_fmt_responder", "responder"),
        ("model_fmt_nonresponder", "non-responder"),
    ):
        rr = ev[key]
        labels.append(f"model, {donor} donor: {rr.k}/{rr.n}")
        rates.append(rr.rate), los.append(rr.lo), his.append(rr.hi), kinds.append("model")
    hr_labels, hrs, hr_lo, hr_hi, hr_kinds = [], [], [], [], []
    for _, r in data[data["value"].notna()].iterrows():
        short = "OS" if r["endpoint"].startswith("overall") else "PFS"
        hr_labels.append(f"{r['study']}: {short}")
        hrs.append(r["value"]), hr_lo.append(r["lo"]), hr_hi.append(r["hi"])
        hr_kinds.append("published")
    m = ev["model_abx_pfs_hr"]
    hr_labels.append("model: PFS")
    hrs.append(m["hr"]), hr_lo.append(m["lo"]), hr_hi.append(m["hi"]), hr_kinds.append("model")
    for kind, color, symbol in (
        ("published", PALETTE[6], "square"),
        ("model", PALETTE[0], "circle-open"),
    ):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        fig.add_trace(
            go.Scatter(
                x=[100 * rates[i] for i in idx],
                y=[labels[i] for i in idx],
                mode="markers",
                name=f"{kind} (95% CI)",
                legendgroup=kind,
                marker={"color": color, "symbol": symbol, "size": 11, "line": {"width": 2}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [100 * (his[i] - rates[i]) for i in idx],
                    "arrayminus": [100 * (rates[i] - los[i]) for i in idx],
                    "color": color,
                },
            ),
            row=1,
            col=1,
        )
        jdx = [i for i, k in enumerate(hr_kinds) if k == kind]
        fig.add_trace(
            go.Scatter(
                x=[hrs[i] for i in jdx],
                y=[hr_labels[i] for i in jdx],
                mode="markers",
                name=f"{kind} (95% CI)",
                legendgroup=kind,
                showlegend=False,
                marker={"color": color, "symbol": symbol, "size": 11, "line": {"width": 2}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [hr_hi[i] - hrs[i] for i in jdx],
                    "arrayminus": [hrs[i] - hr_lo[i] for i in jdx],
                    "color": color,
                },
            ),
            row=2,
            col=1,
        )
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "x2",
                "yref": "y2 domain",
                "x0": 1,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "dash": "dot", "width": 1},
            }
        ],
        legend={"orientation": "h", "y": 1.06, "yanchor": "bottom", "x": 0},
    )
    fig.update_xaxes(title="patients responding (%)", range=[0, 100], row=1, col=1)
    fig.update_xaxes(
        title="hazard ratio (log scale)",
        type="log",
        range=[np.log10(0.5), np.log10(3)],
        tickvals=[0.5, 1, 1.5, 2, 3],
        row=2,
        col=1,
    )
    fig.update_yaxes(
        title={"text": "study or model", "font": {"size": 11}}, row=1, col=1, autorange="reversed"
    )
    fig.update_yaxes(
        title={"text": "study or model", "font": {"size": 11}}, row=2, col=1, autorange="reversed"
    )
    pub_fmt = "; ".join(
        f"{labels[i]} ({100 * rates[i]:.0f}%, 95% CI {100 * los[i]:.0f}-{100 * his[i]:.0f}%)"
        for i in range(len(labels))
    )
    pub_hr = "; ".join(
        f"{hr_labels[i]} {hrs[i]:.2f} ({hr_lo[i]:.2f}-{hr_hi[i]:.2f})"
        for i in range(len(hr_labels))
    )
    description = (
        "Published results (black squares) beside illustrative model outputs (blue circles), "
        "each with a 95% interval (exact binomial for counts). Left, share of patients with "
        "anti-PD-1-refractory melanoma who responded or benefited after a faecal microbiota "
        "transplant, and the share of the model's non-responding virtual patients who respond "
        f"when an FMT is added: {pub_fmt}. Right, hazard ratios for antibiotic exposure "
        f"(above 1 means worse), with a dotted line at 1: {pub_hr}. The model is not fitted "
        "to these numbers, and the endpoints differ (objective response, clinical benefit)."
    )
    fig = finish(
        fig,
        title="Published results beside the model<br><sup>black: published; "
        "blue: illustrative model; bars: 95% intervals</sup>",
        description=description,
        height=620,
    )
    fig.update_layout(margin={"t": 150, "l": 230, "r": 10})
    return fig


# -- nerve injury ---------------------------------------------------------------------------------
def _draw_nerve(p: dict) -> go.Figure:
    runs = [
        ("no treatment", {**p, "n_doses": 0}, PALETTE[6], DASHES[2]),
        ("anti-PD-1, no nerve injury", {**p, "nerve_injury": 0.0}, PALETTE[0], DASHES[1]),
        ("anti-PD-1 with this nerve injury", {**p, "blockade": 0.0}, COLOR["tumour"], DASHES[0]),
        ("anti-PD-1 + injury signal blocked", p, PALETTE[2], DASHES[3]),
    ]
    traces, parts = [], []
    for name, q, color, dash in runs:
        if name.endswith("blocked") and p["blockade"] == 0.0:
            name = "anti-PD-1 + blockade 0 (same as above)"  # short enough for a phone
        df = nerve.simulate(**q)
        s = nerve.summary(df, **q)
        traces.append(
            {
                "type": "scatter",
                "x": df["t"],
                "y": df["diameter_change"],
                "name": name,
                "line": {"color": color, "dash": dash, "width": 3 if dash == "solid" else 2},
            }
        )
        parts.append(
            f"{name}: {s['change_at_assessment_pct']:+.0f}% on day {p['assess_day']} "
            f"({s['recist_at_assessment']}), exhaustion {s['exhaustion']:.2f}"
        )
    shapes, notes = [], []
    for y, text in ((100 * recist.PR_CHANGE, "−30%"), (100 * recist.PD_CHANGE, "+20%")):
        shapes.append(
            {
                "type": "line",
                "xref": "x domain",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": COLOR["threshold"], "dash": "dot", "width": 1},
            }
        )
        notes.append(
            {
                "text": text,
                "xref": "x domain",
                "yref": "y",
                "x": 0,
                "y": y,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    # the traces as dicts and the layout as one dict: one go.Figure call validates each once
    fig = go.Figure(
        data=traces,
        layout={
            "shapes": shapes,
            "annotations": notes,
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            "xaxis": {"title": {"text": "days since first dose"}, "range": [0, p["horizon"]]},
            "yaxis": {"title": {"text": "diameter change (%)"}, "range": _CHANGE_RANGE},
        },
    )
    x = nerve.exhaustion(p["nerve_injury"], 0.0, p["max_exhaustion"])
    title = (
        f"Nerve injury {p['nerve_injury']:g}: T-cell killing down {100 * x:.0f}%"
        f"<br><sup>injury-signal blockade {p['blockade']:g} (illustrative model)</sup>"
    )
    description = (
        "Illustrative model output, not patient data: change of the lesion diameter over time "
        f"for one T-cell-rich tumour, with nerve-injury burden {p['nerve_injury']:g} lowering "
        f"T-cell killing by {100 * x:.0f}% through exhaustion. " + "; ".join(parts) + "."
    )
    fig = finish(fig, title=title, description=description, height=520)
    fig.update_layout(margin={"t": 170})
    return fig


#: Diameter change with nerve-injury exhaustion, against no injury and with blockade.
nerve_view = View(nerve.PARAMS, _draw_nerve, key="nerve_injury")
