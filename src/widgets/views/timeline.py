"""Chapter 1: a timeline of regulatory approvals of cancer immunotherapies.

The data are the rows of ``data/approvals.csv``: one row per approval milestone, each with
its date as stated in a primary source (a DOI), the place in that source where the date is
stated, the agency, the therapy and its class. :func:`approvals` reads and checks them;
:data:`timeline_view` draws them as a Plotly timeline with one lane per therapy class.

The view's parameters are an ``until_year`` (show approvals up to the end of that year) and
one switch per therapy class, so the same ``draw`` serves the live explorer (sliders and
check boxes), the static slider over years (:meth:`View.static`) and the static slider over
named class filters (:meth:`View.scenarios`, see :data:`CLASS_SCENARIOS`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from ..data import load
from ..explorer import View
from ..params import Param, ParamTable
from ..style import PALETTE, finish

__all__ = [
    "COLUMNS",
    "CLASSES",
    "CLASS_SCENARIOS",
    "PARAMS",
    "LAST_DATE",
    "SLIDER_YEARS",
    "approvals",
    "count_before",
    "first_year",
    "timeline_figure",
    "timeline_view",
]

#: Columns of ``data/approvals.csv`` (schema in :mod:`widgets.schemas`), in order.
COLUMNS = [
    "date",
    "agency",
    "therapy",
    "brand",
    "class",
    "target",
    "indication",
    "source",
    "source_detail",
]

#: Therapy classes, in the order of the timeline's lanes (bottom to top).
CLASSES = [
    "cytokine",
    "vaccine",
    "checkpoint inhibitor",
    "bispecific antibody",
    "oncolytic virus",
    "CAR-T / cell therapy",
    "other",
]

# One marker symbol and colour per class, so lanes differ by shape as well as colour.
_SYMBOL = {
    "cytokine": "star",
    "vaccine": "square",
    "checkpoint inhibitor": "circle",
    "bispecific antibody": "diamond",
    "oncolytic virus": "triangle-up",
    "CAR-T / cell therapy": "hexagon",
    "other": "x",
}
_COLOUR = {c: PALETTE[i % 7] for i, c in enumerate(CLASSES)}


def _param_name(cls: str) -> str:
    return "show_" + re.sub(r"[^a-z]+", "_", cls.lower()).strip("_")


def _load_raw() -> pd.DataFrame:
    """The validated table from the book's single data loader."""
    return load("approvals")


@lru_cache(maxsize=1)
def _approvals_cached() -> pd.DataFrame:
    frame = _load_raw().copy()
    text = frame["date"].astype(str)
    frame["date_precision"] = text.str.len().map({7: "month", 10: "day"})
    # A month-only date is placed on the 1st of that month.
    frame["date"] = pd.to_datetime(
        text.where(text.str.len() == 10, text + "-01"), format="%Y-%m-%d"
    )
    frame["year"] = frame["date"].dt.year
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def approvals() -> pd.DataFrame:
    """The approvals table: one row per approval, sorted by date.

    ``date`` is a timestamp (a month-only date is placed on the 1st of the month and
    ``date_precision`` says ``"month"``); ``year`` is the calendar year.
    """
    return _approvals_cached().copy()


def count_before(year: int, data: pd.DataFrame | None = None) -> int:
    """Number of approvals dated before 1 January of ``year``."""
    data = approvals() if data is None else data
    return int((data["year"] < year).sum())


def first_year(cls: str, data: pd.DataFrame | None = None) -> int:
    """Calendar year of the first approval of therapy class ``cls`` in the table."""
    data = approvals() if data is None else data
    rows = data[data["class"] == cls]
    if rows.empty:
        raise ValueError(f"no approval of class {cls!r} in the table; classes: {CLASSES}")
    return int(rows["year"].min())


# -- the view ---------------------------------------------------------------------------
_ALL = approvals()
#: Classes that have at least one row: the lanes of the figure (fixed for every setting).
LANES = [c for c in CLASSES if (_ALL["class"] == c).any()]
FIRST_YEAR = int(_ALL["year"].min())
LAST_YEAR = int(_ALL["year"].max())
#: The calendar years with at least one approval: the steps of the static year slider (a step
#: for every year from FIRST_YEAR to LAST_YEAR would add frames in which nothing changes).
SLIDER_YEARS = sorted(int(y) for y in _ALL["year"].unique())
#: Date of the latest approval in the table, as stated in its source: the date the table runs to.
LAST_DATE = _ALL["date"].max()

PARAMS = ParamTable(
    [
        Param(
            "until_year",
            LAST_YEAR,
            "year",
            FIRST_YEAR,
            LAST_YEAR,
            "shown up to; the last calendar year whose approvals are drawn",
            "model choice (display filter)",
            kind="int",
            step=1,
        )
    ]
    + [
        Param(
            _param_name(c),
            True,
            "",
            description=f"show {c}; draw the {c} lane's approvals",
            source="model choice (display filter)",
            kind="bool",
        )
        for c in LANES
    ]
)

#: Named class filters for :meth:`View.scenarios`.
CLASS_SCENARIOS = {
    "all": {_param_name(c): True for c in LANES},
    "checkpoint": {_param_name(c): c == "checkpoint inhibitor" for c in LANES},
    "cell/bispecific": {
        _param_name(c): c in ("CAR-T / cell therapy", "bispecific antibody") for c in LANES
    },
    "vaccine/virus": {_param_name(c): c in ("vaccine", "oncolytic virus") for c in LANES},
}


def _hover(row: pd.Series) -> str:
    when = row["date"].strftime("%B %Y" if row["date_precision"] == "month" else "%d %B %Y")
    source = f"doi:{row['source']}" if row["source"].startswith("10.") else row["source"]
    brand = f" ({row['brand']})" if isinstance(row["brand"], str) and row["brand"] else ""
    target = row["target"] if isinstance(row["target"], str) and row["target"] else "not stated"
    return (
        f"<b>{row['therapy']}</b>{brand}<br>{row['agency']}, {when}<br>"
        f"Target: {target}<br>For: {row['indication']}<br>Source: {source}"
    )


def timeline_figure(values: dict | None = None, data: pd.DataFrame | None = None) -> go.Figure:
    """The timeline for parameter ``values`` (defaults if omitted), from ``data``.

    ``data`` defaults to :func:`approvals`; pass a filtered copy (same columns) to draw a
    subset, e.g. only blood-cancer approvals. One trace per lane, always in the same order.
    """
    values = PARAMS.resolve(values or {})
    data = approvals() if data is None else data
    until = values["until_year"]
    shown = data[data["year"] <= until]
    fig = go.Figure()
    n_total = 0
    counts = []
    drawn = []
    for cls in LANES:
        on = values[_param_name(cls)]
        rows = shown[shown["class"] == cls] if on else shown.iloc[0:0]
        n_total += len(rows)
        drawn.append(rows)
        counts.append(f"{cls}: {len(rows)}")
        fig.add_trace(
            go.Scatter(
                x=list(rows["date"]),
                y=[cls] * len(rows),
                mode="markers",
                name=cls,
                marker={
                    "symbol": _SYMBOL[cls],
                    "size": 14,
                    "color": _COLOUR[cls],
                    "line": {"width": 1.5, "color": "#000000"},
                },
                text=[_hover(r) for _, r in rows.iterrows()],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    lo = pd.Timestamp(f"{FIRST_YEAR - 1}-07-01")
    hi = pd.Timestamp(f"{LAST_YEAR + 1}-07-01")
    fig.update_xaxes(
        title_text="approval date (year)",
        range=[lo, hi],
        dtick="M48",  # four-yearly ticks stay apart on a phone
        tickformat="%Y",
        tickangle=0,
    )
    fig.update_yaxes(
        title_text="Therapy class",
        categoryorder="array",
        categoryarray=LANES,
        range=[-0.6, len(LANES) - 0.4],
    )
    fig.add_shape(
        type="line",
        x0=pd.Timestamp(f"{until}-12-31"),
        x1=pd.Timestamp(f"{until}-12-31"),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#555555", "dash": "dot", "width": 1.5},
    )
    drawn_rows = pd.concat(drawn).sort_values("date") if n_total else None
    first = drawn_rows.iloc[0] if n_total else None
    description = (
        f"Timeline of regulatory approvals of cancer immunotherapies from the book's sourced "
        f"table, one horizontal lane per therapy class ({', '.join(LANES)}), each approval a "
        f"marker at its date; lanes use different marker shapes as well as colours. Shown: "
        f"approvals up to the end of {until} in the switched-on classes, {n_total} in all "
        f"({'; '.join(counts)})."
        + (
            f" The earliest shown is {first['therapy']} ({first['agency']}, {first['year']})."
            if first is not None and n_total
            else ""
        )
        + " A dotted vertical line marks the end of the chosen year."
    )
    fig = finish(
        fig,
        title=f"Immunotherapy approvals up to {until}: {n_total} shown",
        description=description,
        height=460,
    )
    # the lanes are labelled on the y axis, so a legend would only narrow the plot
    fig.update_layout(showlegend=False)
    return fig


def _draw(values: dict) -> go.Figure:
    return timeline_figure(values)


#: The chapter 1 view: ``timeline_view.static("until_year", ...)``,
#: ``timeline_view.scenarios(CLASS_SCENARIOS, label="Classes shown")``, ``timeline_view.live()``.
timeline_view = View(PARAMS, _draw, key="until_year")
