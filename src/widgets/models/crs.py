"""An ILLUSTRATIVE link from CAR-T expansion to severe cytokine release syndrome (CRS).

A logistic curve of the risk of grade 3 or higher CRS against the peak CAR-T level (copies of
the transgene per microgram of genomic DNA, as in :mod:`widgets.models.cart_kinetics`). Its two
parameters are invented to show the idea that more expansion means more cytokine release;
nothing here is fitted to patients.

This module imports no plotting code.
"""

from __future__ import annotations

import math

import numpy as np

from ..params import Param, ParamTable

__all__ = ["PARAMS", "risk"]

PARAMS = ParamTable(
    [
        Param(
            "c50",
            1.0e5,
            "copies/µg",
            1e3,
            1e6,
            "peak at 50% risk; peak CAR-T level at which the illustrative risk of severe "
            "CRS is one half (invented)",
            "illustrative",
            log=True,
            symbol="C_50",
        ),
        Param(
            "slope",
            1.5,
            "1/decade",
            0.2,
            5.0,
            "steepness; how fast the illustrative risk rises per tenfold higher peak (invented)",
            "illustrative",
            symbol="k",
        ),
    ]
)


def risk(peak, **params) -> np.ndarray:
    """ILLUSTRATIVE probability of grade >= 3 cytokine release syndrome for a peak CAR-T
    level ``peak`` (copies/µg): ``1 / (1 + 10**(-k (log10 peak - log10 C50)))``."""
    q = PARAMS.resolve(params)
    peak = np.asarray(peak, dtype=float)
    if np.any(~np.isfinite(peak)) or np.any(peak <= 0):
        raise ValueError("parameter 'peak' must be positive and finite")
    x = q["slope"] * (np.log10(peak) - math.log10(q["c50"]))
    return 1.0 / (1.0 + 10.0 ** (-x))
