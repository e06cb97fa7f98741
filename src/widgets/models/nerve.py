"""Cancer-induced nerve injury -> chronic inflammation -> exhausted T cells (illustrative).

A report in *Nature* in 2025 ("Cancer-induced nerve injury promotes resistance to anti-PD-1
therapy", doi:10.1038/s41586-025-09370-8) describes a chain: cancer cells that grow along
nerves degrade the nerves' myelin; the injured neurons start an IL-6 and type I interferon
inflammation meant to heal the nerve; as the tumour grows the injury and its inflammation
become chronic and push the tumour's immune cells into a suppressed, exhausted state; and in
mice the resistance to anti-PD-1 was reversed by denervating the tumour, by removing the
neurons' injury signal (Atf3) or the interferon-alpha receptor (Ifnar1), or by adding an
anti-IL-6-receptor antibody.

This module turns that chain into three numbers and hands the result to the checkpoint
model of chapter 3 (:mod:`widgets.models.checkpoint`), through its killing term:

* inflammation ``I = injury * (1 - blockade)`` (0-1): the nerve-injury burden, less the share
  of its signal that a treatment blocks (anti-IL-6R, denervation, ...);
* exhaustion ``x = max_exhaustion * I`` (0-1): the share of T-cell killing lost;
* the checkpoint model then runs with ``kill_rate * (1 - x)``.

Every number here is **illustrative**: the paper reports the mechanism and mouse
experiments, not the parameters of this model. The numerics import no plotting code.
"""

from __future__ import annotations

import pandas as pd

from ..params import Param, ParamTable
from . import checkpoint

__all__ = [
    "OWN_PARAMS",
    "PARAMS",
    "SCENARIOS",
    "exhaustion",
    "checkpoint_params",
    "simulate",
    "summary",
]

OWN_PARAMS = ParamTable(
    [
        Param(
            "nerve_injury",
            0.0,
            "0-1",
            0.0,
            1.0,
            "nerve-injury burden; share of tumour-associated nerves injured by the cancer",
            "illustrative",
            step=0.05,
            symbol="N",
        ),
        Param(
            "blockade",
            0.0,
            "0-1",
            0.0,
            1.0,
            "injury-signal blockade; share of the IL-6 / interferon signal blocked "
            "(e.g. anti-IL-6 receptor)",
            "illustrative",
            step=0.05,
            symbol="b",
        ),
        Param(
            "max_exhaustion",
            0.8,
            "0-1",
            0.0,
            1.0,
            "maximal exhaustion; share of killing lost at full, unblocked inflammation",
            "illustrative",
            step=0.05,
            symbol="x_{max}",
        ),
    ]
)

#: The nerve parameters followed by every parameter of the checkpoint model.
PARAMS = ParamTable(list(OWN_PARAMS) + list(checkpoint.PARAMS))

#: Illustrative settings: one T-cell-rich tumour (checkpoint defaults) with and without
#: nerve injury, and with the injury signal blocked.
SCENARIOS: dict[str, dict] = {
    "no nerve injury": {},
    "nerve injury": {"nerve_injury": 0.8},
    "nerve injury + signal blocked": {"nerve_injury": 0.8, "blockade": 0.9},
}


def exhaustion(nerve_injury: float, blockade: float, max_exhaustion: float) -> float:
    """Share of T-cell killing lost: ``max_exhaustion * nerve_injury * (1 - blockade)``."""
    p = OWN_PARAMS.resolve(
        nerve_injury=nerve_injury, blockade=blockade, max_exhaustion=max_exhaustion
    )
    return p["max_exhaustion"] * p["nerve_injury"] * (1.0 - p["blockade"])


def checkpoint_params(**params) -> dict:
    """The checkpoint-model parameters with the killing rate lowered by exhaustion."""
    p = PARAMS.resolve(params)
    x = exhaustion(p["nerve_injury"], p["blockade"], p["max_exhaustion"])
    out = {k: v for k, v in p.items() if k in checkpoint.PARAMS}
    out["kill_rate"] = p["kill_rate"] * (1.0 - x)
    return out


def simulate(**params) -> pd.DataFrame:
    """The checkpoint model with nerve-injury exhaustion (columns as in
    :func:`widgets.models.checkpoint.simulate`, plus ``exhaustion``)."""
    p = PARAMS.resolve(params)
    df = checkpoint.simulate(**checkpoint_params(**p))
    df["exhaustion"] = exhaustion(p["nerve_injury"], p["blockade"], p["max_exhaustion"])
    return df


def summary(df: pd.DataFrame | None = None, **params) -> dict:
    """:func:`widgets.models.checkpoint.summary` of a run, plus the exhaustion."""
    p = PARAMS.resolve(params)
    cp = checkpoint_params(**p)
    if df is None:
        df = checkpoint.simulate(**cp)
    s = checkpoint.summary(df, **cp)
    s["exhaustion"] = exhaustion(p["nerve_injury"], p["blockade"], p["max_exhaustion"])
    return s
