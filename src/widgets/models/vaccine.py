"""A therapeutic vaccine added to the checkpoint-blockade model, alone and with anti-PD-1.

This module contains **no equations of its own**: it composes calls to
:mod:`widgets.models.checkpoint` (see its docstring for the tumour-T-cell model). A vaccine
teaches the immune system a tumour antigen, so in that model it acts on the **priming** of
T cells: the inflow of tumour-specific T cells ``s * priming`` rises by a factor
``1 + vaccine_boost``.

Simplification, stated plainly: the checkpoint model takes one priming value for the whole
run, so the vaccine's boost is **constant from day 0 to the end**. Real vaccine courses give
repeated doses whose effect builds up over weeks and may wane; here day 0 is the moment the
vaccine-primed T cells are already arriving, and memory T cells are assumed to keep them
coming. (Changing that would need a time-varying priming in the checkpoint model itself.)
The baseline priming is the checkpoint model's default (1).

Four arms are compared (:data:`ARMS`): untreated; the vaccine alone (``n_doses = 0``, no
anti-PD-1); anti-PD-1 alone (no vaccine); both. :func:`simulate` runs one arm,
:func:`compare` all four. ``vaccine_boost`` and every tumour and T-cell value are
**illustrative**.

The p-value implied by a published hazard ratio and its interval is
:func:`widgets.stats.hazard_ratio_p_value`.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..params import Param, ParamTable
from . import checkpoint

__all__ = [
    "PARAMS",
    "ARMS",
    "TUMOUR",
    "simulate",
    "compare",
    "summary",
]

#: The illustrative tumour of the chapter: high PD-L1, few T cells arriving (low infiltration).
TUMOUR = {"pdl1": 0.8, "infiltration": 0.3}

_VACCINE = Param(
    "vaccine_boost",
    1.0,
    "×",
    0.0,
    3.0,
    "vaccine priming boost; extra T-cell priming from the vaccine (1 doubles the inflow of "
    "tumour-specific T cells; illustrative)",
    "illustrative",
    step=0.25,
    symbol="v",
)

# Every checkpoint parameter except the baseline priming (the vaccine sets it), with the
# chapter's tumour as defaults. The rows are the checkpoint model's own, not copies.
PARAMS = ParamTable(
    [_VACCINE]
    + [
        dataclasses.replace(p, default=TUMOUR[p.name]) if p.name in TUMOUR else p
        for p in checkpoint.PARAMS
        if p.name != "priming"
    ]
)

#: Arm name -> (vaccine given, anti-PD-1 given).
ARMS: dict[str, tuple[bool, bool]] = {
    "untreated": (False, False),
    "vaccine alone": (True, False),
    "anti-PD-1 alone": (False, True),
    "vaccine + anti-PD-1": (True, True),
}


def _checkpoint_params(p: dict, arm: str) -> dict:
    try:
        vaccine, anti_pd1 = ARMS[arm]
    except KeyError:
        raise ValueError(f"unknown arm {arm!r}; arms: {', '.join(ARMS)}") from None
    q = {k: v for k, v in p.items() if k != "vaccine_boost"}
    base = checkpoint.PARAMS["priming"].default
    q["priming"] = base * (1.0 + (p["vaccine_boost"] if vaccine else 0.0))
    if not anti_pd1:
        q["n_doses"] = 0
    return q


def simulate(arm: str = "vaccine + anti-PD-1", **params) -> pd.DataFrame:
    """One arm (a key of :data:`ARMS`); returns :func:`widgets.models.checkpoint.simulate`'s
    DataFrame (time, antibody, occupancy, brake, T cells, tumour volume, diameter, RECIST)."""
    p = PARAMS.resolve(params)
    return checkpoint.simulate(**_checkpoint_params(p, arm))


def compare(**params) -> pd.DataFrame:
    """All four arms stacked, with a column ``arm``."""
    p = PARAMS.resolve(params)
    frames = []
    for arm in ARMS:
        df = checkpoint.simulate(**_checkpoint_params(p, arm))
        df.insert(0, "arm", arm)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def summary(df: pd.DataFrame | None = None, **params) -> pd.DataFrame:
    """One row per arm: RECIST category and diameter change at the assessment day and the end.

    Pass the DataFrame from :func:`compare` with the parameters used, or only the parameters.
    """
    p = PARAMS.resolve(params)
    if df is None:
        df = compare(**params)
    rows = []
    for arm in ARMS:
        part = df[df["arm"] == arm].drop(columns="arm").reset_index(drop=True)
        s = checkpoint.summary(part, **_checkpoint_params(p, arm))
        rows.append({"arm": arm, **s})
    return pd.DataFrame(rows).set_index("arm")
