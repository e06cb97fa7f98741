"""Views of the tumour-microenvironment model (:mod:`widgets.models.microenvironment`).

* :data:`arms_view`: one tumour (its priming, access, PD-L1 and so on taken from the
  parameters) under the four treatment arms of
  :data:`~widgets.models.microenvironment.TREATMENTS` side by side: T cells inside the tumour
  over time (top) and the change of the lesion diameter with the RECIST 1.1 lines (bottom).
  The treatment switches in the parameters are ignored: every arm is always drawn. Static
  steps: the three phenotypes (``.scenarios(TUMOURS)``) or the T-cell access.
* :func:`evidence_figure`: clinical results (``data/microenvironment_trials.csv``) beside what
  the model says about the same idea, evidence and illustration labelled as such.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..explorer import View
from ..models import microenvironment as model
from ..models import recist
from ..style import COLOR, DASHES, PALETTE, finish, merged
from .checkpoint import CHANGE_RANGE
from .layout import recist_lines, subplots, subplots_layout

__all__ = ["arms_view", "draw_arms", "arm_results", "evidence_figure", "EVIDENCE_PAIRS"]

_ARM_STYLE = {
    "untreated": (PALETTE[6], DASHES[2]),
    "anti-PD-1": (PALETTE[0], DASHES[1]),
    "anti-PD-1 + priming boost": (PALETTE[4], DASHES[3]),
    "anti-PD-1 + access restoration": (PALETTE[2], DASHES[0]),
}
#: line widths (px), wide to thin in drawing order: where two arms give the same course,
#: the later, thinner line runs inside the earlier, wider one and both stay visible
_ARM_WIDTH = {
    "untreated": 2.5,
    "anti-PD-1": 8,
    "anti-PD-1 + priming boost": 5,
    "anti-PD-1 + access restoration": 2.5,
}
_LINE_WORDS = {
    "untreated": "black dotted",
    "anti-PD-1": "blue dashed",
    "anti-PD-1 + priming boost": "orange dash-dot",
    "anti-PD-1 + access restoration": "green solid",
}
_OFF = {"blockade": False, "prime": False, "open_access": False}


def arm_results(v: dict) -> dict:
    """``{arm: (DataFrame, summary)}`` for the four treatment arms at parameters ``v``."""
    out = {}
    for arm, over in model.TREATMENTS.items():
        q = {**v, **_OFF, **over}
        df = model.simulate(**q)
        out[arm] = (df, model.summary(df, **q))
    return out


def _fate(s: dict, day: int) -> str:
    short = recist.SHORT[s["recist_at_assessment"]]
    escape = (
        f"progression on day {s['escape_day']:.0f}"
        if np.isfinite(s["escape_day"])
        else "no progression"
    )
    return f"{s['change_at_assessment_pct']:+.0f}% on day {day} ({short}), {escape}"


def draw_arms(v: dict) -> go.Figure:
    runs = arm_results(v)
    day = v["assess_day"]
    layout = subplots_layout(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.38, 0.62]
    )
    # the traces as dicts on their panels' axes and the layout as one dict: one go.Figure
    # call validates each once (adding and updating piece by piece walks Plotly's tree)
    traces = []
    for arm, (df, _) in runs.items():
        colour, dash = _ARM_STYLE[arm]
        traces.append(
            dict(
                type="scatter",
                x=df["t"],
                y=df["inside"],
                name=arm,
                legendgroup=arm,
                showlegend=False,
                mode="lines",
                line={"color": colour, "dash": dash, "width": _ARM_WIDTH[arm] * 0.75},
                hovertemplate=f"{arm}<br>day %{{x:.0f}}: %{{y:.3g}} T cells inside<extra></extra>",
                xaxis="x",
                yaxis="y",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=df["t"],
                y=df["diameter_change"],
                name=arm,
                legendgroup=arm,
                mode="lines",
                line={"color": colour, "dash": dash, "width": _ARM_WIDTH[arm]},
                hovertemplate=f"{arm}<br>day %{{x:.0f}}: %{{y:+.0f}}%<extra></extra>",
                xaxis="x2",
                yaxis="y2",
            )
        )
    shapes, annotations = recist_lines("x2 domain", "y2")
    for yref in ("y domain", "y2 domain"):
        xref = "x" if yref == "y domain" else "x2"
        shapes.append(
            {
                "type": "line",
                "xref": xref,
                "yref": yref,
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "dash": "dash", "width": 1},
            }
        )
        end = float(v["n_doses"] * v["interval"])
        if end:
            shapes.append(
                {
                    "type": "rect",
                    "xref": xref,
                    "yref": yref,
                    "x0": 0,
                    "x1": min(end, v["horizon"]),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": PALETTE[2],
                    "opacity": 0.07,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
    top = max(10.0, 1.1 * max(float(df["inside"].max()) for df, _ in runs.values()))
    days = [0, v["horizon"]]
    layout = merged(
        layout,
        {
            "shapes": shapes,
            "annotations": annotations,
            "yaxis": {"title": {"text": "T cells inside (units)"}, "range": [0, top]},
            "yaxis2": {"title": {"text": "diameter change (%)"}, "range": CHANGE_RANGE},
            "xaxis": {"range": days, "title": {"text": "time (days)", "font": {"size": 11}}},
            "xaxis2": {"range": days, "title": {"text": "time since treatment start (days)"}},
        },
    )
    fig = go.Figure(data=traces, layout=layout)
    df0, s0 = runs["untreated"]
    where = (
        f"before treatment {s0['edge_start']:.1f} units of T cells at the edge, "
        f"{s0['inside_start']:.1f} inside"
    )
    best = runs["anti-PD-1"][1]
    title = (
        f"Anti-PD-1 alone: {_fate(best, day)}<br><sup>priming {v['priming']:g}, "
        f"access {v['access']:g}/day; T cells at the edge {s0['edge_start']:.1f}, "
        f"inside {s0['inside_start']:.1f} (illustrative model)</sup>"
    )
    description = (
        "Illustrative model output, not patient data. One tumour under four treatment arms, "
        f"each given for {v['n_doses'] * v['interval']} days (shaded): "
        + ", ".join(f"{arm} ({_LINE_WORDS[arm]})" for arm in runs)
        + "; where arms give the same course, their lines lie on one another, drawn from "
        "wide (anti-PD-1) to thin (access restoration) so that each stays visible"
        + ". Top: T cells inside the tumour. Bottom: change of the lesion diameter from "
        "baseline, with reference lines at -30% (partial response) and +20% (progression), "
        f"and the assessment on day {day} (dashed vertical line). The tumour has priming "
        f"{v['priming']:g} and T-cell access {v['access']:g} per day; {where}. Results: "
        + "; ".join(f"{arm}: {_fate(s, day)}" for arm, (_, s) in runs.items())
        + "."
    )
    fig = finish(fig, title=title, description=description, height=640)
    fig.update_layout(
        margin={"t": 190}, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}
    )
    return fig


#: One tumour under the four treatment arms.
arms_view = View(model.PARAMS, draw_arms, key="access")


#: The model experiment shown beside each kind of clinical result: trial ->
#: (what the trial tested, the model's version of the idea, phenotype or None to compare the
#: phenotypes, the arm without the added treatment, the arm with it).
EVIDENCE_PAIRS = {
    "IMbrave150": (
        ", liver cancer<br>atezolizumab + bevacizumab vs sorafenib",
        "excluded tumour<br>anti-PD-1 ± access restored",
        "immune-excluded",
        "anti-PD-1",
        "anti-PD-1 + access restoration",
    ),
    "INTR@PID Lung 037": (
        "<br>lung: bintrafusp alfa vs pembrolizumab",
        "inflamed tumour<br>anti-PD-1 ± access restored",
        "inflamed",
        "anti-PD-1",
        "anti-PD-1 + access restoration",
    ),
    "IMvigor210": (
        ", bladder cancer<br>atezolizumab alone (single arm)",
        "anti-PD-1 alone<br>excluded vs inflamed tumour",
        None,
        "anti-PD-1",
        "anti-PD-1",
    ),
}
_SHORT_ARM = {"anti-PD-1": "anti-PD-1", "anti-PD-1 + access restoration": "+ access restored"}


def _plain(text: str) -> str:
    return text.replace("<br>", ": ").lstrip(", :").replace("±", "with or without")


def _model_pair(trial: str) -> tuple[str, list[str], list[float]]:
    _, label, phenotype, without, with_ = EVIDENCE_PAIRS[trial]
    if phenotype is None:  # compare phenotypes under the same arm
        names = ["immune-excluded", "inflamed"]
        values = [
            model.summary(**{**model.TUMOURS[n], **_OFF, **model.TREATMENTS[without]})[
                "change_at_assessment_pct"
            ]
            for n in names
        ]
        return label, ["excluded", "inflamed"], values
    tv = model.TUMOURS[phenotype]
    values = [
        model.summary(**{**tv, **_OFF, **model.TREATMENTS[arm]})["change_at_assessment_pct"]
        for arm in (without, with_)
    ]
    return label, [_SHORT_ARM[without], _SHORT_ARM[with_]], values


def evidence_figure(trials) -> go.Figure:
    """Clinical results (*evidence*) each followed by the model's version of the same idea
    (*illustration*, hatched), for the trials of ``trials`` (the loaded
    ``microenvironment_trials`` data) named in :data:`EVIDENCE_PAIRS`. One column, so that it
    reads on a phone."""
    names = [t for t in EVIDENCE_PAIRS if t in set(trials["trial"])]
    if not names:
        raise ValueError("no trial of EVIDENCE_PAIRS is in the data")
    titles = []
    for t in names:
        titles += [
            f"EVIDENCE: {t}{EVIDENCE_PAIRS[t][0]}",
            f"MODEL ILLUSTRATION: {EVIDENCE_PAIRS[t][1]}",
        ]
    n = 2 * len(names)
    fig = subplots(rows=n, cols=1, vertical_spacing=0.55 / n, subplot_titles=titles)
    parts = []
    day = model.PARAMS["assess_day"].default
    for i, t in enumerate(names):
        ev, il = 2 * i + 1, 2 * i + 2
        rows = trials[trials["trial"] == t]
        ratio = rows["value_unit"].eq("hazard ratio").all()
        if ratio:
            labels = [
                e.replace(" hazard ratio", "").replace(" survival", "") for e in rows["endpoint"]
            ]
            fig.add_trace(
                go.Scatter(
                    x=rows["value"],
                    y=labels,
                    mode="markers",
                    showlegend=False,
                    marker={"color": COLOR["immune"], "size": 10, "symbol": "square"},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": rows["ci_high"] - rows["value"],
                        "arrayminus": rows["value"] - rows["ci_low"],
                    },
                    hovertemplate="%{y}: hazard ratio %{x}<extra></extra>",
                ),
                row=ev,
                col=1,
            )
            fig.add_vline(
                x=1.0, line={"color": COLOR["threshold"], "dash": "dot", "width": 1}, row=ev, col=1
            )
            fig.update_xaxes(
                title={
                    "text": "hazard ratio, 95% CI<br>(below 1 favours the combination)",
                    "font": {"size": 11},
                },
                type="log",
                range=[np.log10(0.3), np.log10(2.5)],
                row=ev,
                col=1,
            )
            fig.update_yaxes(title={"text": "survival", "font": {"size": 11}}, row=ev, col=1)
            parts.append(
                f"Evidence, {t} ({_plain(EVIDENCE_PAIRS[t][0])}): "
                + "; ".join(
                    f"{lab} survival hazard ratio {v:g} (95% CI {lo:g} to {hi:g})"
                    for lab, v, lo, hi in zip(
                        labels, rows["value"], rows["ci_low"], rows["ci_high"]
                    )
                )
            )
        else:
            labels = [f"all {p:.0f}" if p == p else "IC2/3" for p in rows["patients"]]
            interval = rows["ci_low"].notna().all() and rows["ci_high"].notna().all()
            fig.add_trace(
                go.Bar(
                    x=rows["value"],
                    y=labels,
                    orientation="h",
                    showlegend=False,
                    marker={"color": COLOR["immune"]},
                    error_x=(
                        {
                            "type": "data",
                            "symmetric": False,
                            "array": rows["ci_high"] - rows["value"],
                            "arrayminus": rows["value"] - rows["ci_low"],
                        }
                        if interval
                        else None
                    ),
                    hovertemplate="%{y}: %{x}% responded<extra></extra>",
                ),
                row=ev,
                col=1,
            )
            fig.update_xaxes(
                title={"text": "objective response (% of patients)", "font": {"size": 11}},
                range=[0, 100],
                row=ev,
                col=1,
            )
            fig.update_yaxes(title={"text": "patients", "font": {"size": 11}}, row=ev, col=1)
            parts.append(
                f"Evidence, {t} ({_plain(EVIDENCE_PAIRS[t][0])}): "
                + "; ".join(
                    f"{lab} patients {v:g}% responded"
                    + (f" (95% CI {lo:g} to {hi:g}%)" if lo == lo and hi == hi else "")
                    for lab, v, lo, hi in zip(
                        labels, rows["value"], rows["ci_low"], rows["ci_high"]
                    )
                )
            )
        label, arms, values = _model_pair(t)
        fig.add_trace(
            go.Bar(
                x=values,
                y=arms,
                orientation="h",
                showlegend=False,
                marker={"color": COLOR["tumour"], "pattern": {"shape": "/"}},
                hovertemplate="%{y}: %{x:+.0f}%<extra></extra>",
            ),
            row=il,
            col=1,
        )
        fig.add_vline(
            x=-30, line={"color": COLOR["threshold"], "dash": "dot", "width": 1}, row=il, col=1
        )
        fig.update_xaxes(
            title={"text": f"model: diameter change on day {day} (%)", "font": {"size": 11}},
            range=[-105, 100],
            row=il,
            col=1,
        )
        fig.update_yaxes(title={"text": "model", "font": {"size": 11}}, row=il, col=1)
        parts.append(
            f"Illustration, {_plain(label)}: "
            + "; ".join(f"{a} {v:+.0f}%" for a, v in zip(arms, values))
        )
    left = 110  # the left margin, where the panels' category labels sit
    for a in fig.layout.annotations:
        # panel titles start at the figure's left edge, not the plot's, so that on a phone
        # they have the figure's whole width
        a.update(font={"size": 12}, x=0.0, xanchor="left", align="left", xshift=8 - left)
    title = (
        "Evidence from patients beside the teaching model<br><sup>solid: measured in "
        "trials (evidence); hatched: illustrative model output, not a prediction</sup>"
    )
    description = (
        "Pairs of panels, one pair per trial. The first panel of each pair is evidence from a "
        "clinical trial; the second, with hatched bars, is output of the chapter's "
        "illustrative model for the same idea (change of the lesion diameter on day "
        f"{day}; the dotted line marks -30%, a partial response). " + ". ".join(parts) + "."
    )
    fig = finish(fig, title=title, description=description, height=170 * n + 150)
    fig.update_layout(margin={"t": 120, "l": left})
    return fig
