"""The therapeutic window: one brake-release dial drives benefit and harm together.

Releasing the brakes on T cells (chapter 3) frees the T cells that recognise the tumour, and
with them T cells that recognise the body's own tissues. This module reduces that to one dial,
the **brake-release setting** ``u`` (0 = no treatment; 0.5 = one checkpoint blocked, as with
anti-PD-1 at its standard dose; 1 = both PD-1 and CTLA-4 blocked, as with the combination;
above 1 = more intense combinations than those tested), and two curves:

* **benefit**, the probability of an objective response, a saturating (Hill) function

  ``R(u) = R_max * u**n_R / (u**n_R + K_R**n_R)``

* **harm**, the probability of at least one grade 3 or higher immune-related side effect,
  a steeper Hill function that starts later

  ``H(u) = u**n_H / (u**n_H + K_H**n_H)``.

The **therapeutic window** is the range of settings where the benefit has reached a chosen
goal while the harm is still below a chosen limit: ``R(u) >= benefit_goal`` and
``H(u) <= harm_limit``.

Calibration (not a prediction): with ``n_R = 1`` fixed, ``R_max`` and ``K_R`` are solved so
that ``R(0.5)`` and ``R(1)`` equal the objective response rates of nivolumab alone and of
nivolumab plus ipilimumab in CheckMate 067 (43.7% and 57.6%; Larkin et al. 2015, N Engl J Med
373:23, doi:10.1056/NEJMoa1504030), and ``n_H`` and ``K_H`` so that ``H(0.5)`` and ``H(1)``
equal the grade 3-4 treatment-related adverse-event rates of the same arms (16.3% and 55.0%).
Two points fix two parameters exactly (:func:`calibrate`); the rounded results are the
defaults in :data:`PARAMS`. Anti-CTLA-4 alone (27.3% grade 3-4, 19.0% response in the same
trial) does not fit on the same dial, which the chapter discusses: the dial is an
illustration, and where each regimen sits on it (0.5, 1) is a modelling choice.

The numerics import no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..params import Param, ParamTable

__all__ = [
    "PARAMS",
    "REGIMEN_SETTINGS",
    "CALIBRATION",
    "N_POINTS",
    "U_MAX",
    "benefit",
    "harm",
    "calibrate",
    "simulate",
    "summary",
    "window",
    "setting_for_harm",
]

#: Number of grid points of :func:`simulate`, from 0 to :data:`U_MAX`.
N_POINTS = 301
#: Largest brake-release setting shown and searched.
U_MAX = 1.5

#: Where the regimens of CheckMate 067 sit on the dial (a modelling choice).
REGIMEN_SETTINGS = {"anti-PD-1": 0.5, "anti-PD-1 + anti-CTLA-4": 1.0}

#: The published rates the curves are calibrated to (Larkin et al. 2015, CheckMate 067):
#: objective response and grade 3-4 treatment-related adverse events, as fractions.
CALIBRATION = {
    "anti-PD-1": {"response": 0.437, "harm": 0.163},
    "anti-PD-1 + anti-CTLA-4": {"response": 0.576, "harm": 0.550},
    "anti-CTLA-4": {"response": 0.190, "harm": 0.273},
}


def calibrate(
    response=(
        CALIBRATION["anti-PD-1"]["response"],
        CALIBRATION["anti-PD-1 + anti-CTLA-4"]["response"],
    ),
    harm_rates=(CALIBRATION["anti-PD-1"]["harm"], CALIBRATION["anti-PD-1 + anti-CTLA-4"]["harm"]),
    settings=(REGIMEN_SETTINGS["anti-PD-1"], REGIMEN_SETTINGS["anti-PD-1 + anti-CTLA-4"]),
) -> dict:
    """Solve the two curves through two (setting, rate) points each.

    Benefit (Hill coefficient 1): ``R = R_max u / (u + K_R)`` through both response rates.
    Harm: ``H/(1-H) = (u/K_H)**n_H``, a straight line in log-odds against log u, through both
    harm rates. Returns ``resp_max``, ``resp_half``, ``harm_half`` and ``harm_hill``.
    """
    (u1, u2), (r1, r2), (h1, h2) = settings, response, harm_rates
    if not (0 < u1 < u2 and 0 < r1 < r2 < 1 and 0 < h1 < h2 < 1):
        raise ValueError("calibration needs 0 < u1 < u2 and rates that rise between them")
    # r1 (u1 + K) / u1 = r2 (u2 + K) / u2  ->  K (r1/u1 - r2/u2) = r2 - r1
    resp_half = (r2 - r1) / (r1 / u1 - r2 / u2)
    if resp_half <= 0:
        raise ValueError("the response rates cannot be matched by a saturating curve")
    resp_max = r2 * (u2 + resp_half) / u2
    odds1, odds2 = h1 / (1 - h1), h2 / (1 - h2)
    harm_hill = math.log(odds2 / odds1) / math.log(u2 / u1)
    harm_half = u2 / odds2 ** (1.0 / harm_hill)
    return {
        "resp_max": resp_max,
        "resp_half": resp_half,
        "harm_half": harm_half,
        "harm_hill": harm_hill,
    }


_CAL = calibrate()

PARAMS = ParamTable(
    [
        Param(
            "brake_release",
            0.5,
            "1",
            0.0,
            U_MAX,
            "brake-release setting; 0 none, 0.5 one checkpoint (anti-PD-1), 1 both "
            "(anti-PD-1 + anti-CTLA-4), above 1 more intense than tested",
            "illustrative",
            step=0.05,
            symbol="u",
        ),
        Param(
            "resp_max",
            round(_CAL["resp_max"], 3),
            "probability",
            0.0,
            1.0,
            "maximum response probability; the plateau of the benefit curve "
            "(calibrated to the CheckMate 067 response rates)",
            "larkin2015",
            step=0.01,
            symbol="R_{max}",
        ),
        Param(
            "resp_half",
            round(_CAL["resp_half"], 3),
            "setting",
            0.05,
            2.0,
            "benefit half-setting; where the benefit reaches half its plateau "
            "(calibrated to the CheckMate 067 response rates)",
            "larkin2015",
            step=0.01,
            symbol="K_R",
        ),
        Param(
            "resp_hill",
            1.0,
            "1",
            0.5,
            4.0,
            "benefit steepness; Hill coefficient of the benefit curve (1 = simple saturation)",
            "illustrative",
            step=0.1,
            symbol="n_R",
        ),
        Param(
            "harm_half",
            round(_CAL["harm_half"], 3),
            "setting",
            0.1,
            3.0,
            "harm half-setting; where half of patients would have a grade 3+ event "
            "(calibrated to the CheckMate 067 grade 3-4 rates)",
            "larkin2015",
            step=0.01,
            symbol="K_H",
        ),
        Param(
            "harm_hill",
            round(_CAL["harm_hill"], 2),
            "1",
            0.5,
            8.0,
            "harm steepness; Hill coefficient of the harm curve "
            "(calibrated to the CheckMate 067 grade 3-4 rates)",
            "larkin2015",
            step=0.05,
            symbol="n_H",
        ),
        Param(
            "benefit_goal",
            0.3,
            "probability",
            0.0,
            1.0,
            "benefit goal; smallest response probability worth treating for "
            "(a value judgement, illustrative)",
            "illustrative",
            step=0.05,
            symbol="R^*",
        ),
        Param(
            "harm_limit",
            0.3,
            "probability",
            0.0,
            1.0,
            "harm limit; largest acceptable chance of a grade 3+ event "
            "(a value judgement, illustrative)",
            "illustrative",
            step=0.05,
            symbol="H^*",
        ),
    ]
)

#: Named settings of the window explorer (illustrative).
SCENARIOS: dict[str, dict] = {
    "no treatment": {"brake_release": 0.0},
    "anti-PD-1": {"brake_release": REGIMEN_SETTINGS["anti-PD-1"]},
    "anti-PD-1 + anti-CTLA-4": {"brake_release": REGIMEN_SETTINGS["anti-PD-1 + anti-CTLA-4"]},
    "beyond the tested doses": {"brake_release": 1.4},
    "steeper harm curve": {"brake_release": 1.0, "harm_hill": 4.0},
}
__all__.append("SCENARIOS")


def _hill(u, half, n):
    u = np.asarray(u, dtype=float)
    if np.any(u < 0) or np.any(~np.isfinite(u)):
        raise ValueError("brake-release settings must be finite and non-negative")
    # u**n / (u**n + half**n), written so that u = 0 gives exactly 0
    ratio = np.power(u / half, n)
    return ratio / (1.0 + ratio)


def benefit(u, *, resp_max, resp_half, resp_hill) -> np.ndarray:
    """Probability of an objective response at setting(s) ``u``."""
    return resp_max * _hill(u, resp_half, resp_hill)


def harm(u, *, harm_half, harm_hill) -> np.ndarray:
    """Probability of a grade 3 or higher immune-related event at setting(s) ``u``."""
    return _hill(u, harm_half, harm_hill)


def _b(p, u):
    return benefit(u, resp_max=p["resp_max"], resp_half=p["resp_half"], resp_hill=p["resp_hill"])


def _h(p, u):
    return harm(u, harm_half=p["harm_half"], harm_hill=p["harm_hill"])


def setting_for_harm(rate: float, **params) -> float:
    """The setting at which the harm curve reaches ``rate`` (inverse of :func:`harm`)."""
    p = PARAMS.resolve(params)
    if not 0.0 < rate < 1.0:
        raise ValueError(f"rate must lie strictly between 0 and 1; got {rate!r}")
    return float(p["harm_half"] * (rate / (1.0 - rate)) ** (1.0 / p["harm_hill"]))


def _crossing(f, target: float, lo: float = 0.0, hi: float = U_MAX) -> float:
    """Smallest u in [lo, hi] with f(u) = target for an increasing f (nan if none)."""
    a, b = f(lo) - target, f(hi) - target
    if a >= 0:
        return lo
    if b < 0:
        return float("nan")
    return float(brentq(lambda x: f(x) - target, lo, hi, xtol=1e-10))


def window(**params) -> dict:
    """The therapeutic window on [0, U_MAX]: ``low`` (benefit reaches its goal), ``high``
    (harm reaches its limit) and ``width`` (0 when there is no window). ``low``/``high`` are
    nan when the goal is never reached or the limit is never crossed (then ``high`` = U_MAX)."""
    p = PARAMS.resolve(params)
    low = _crossing(lambda x: float(_b(p, x)), p["benefit_goal"])
    high = _crossing(lambda x: float(_h(p, x)), p["harm_limit"])
    if p["harm_limit"] <= 0.0:
        high = 0.0
    elif math.isnan(high):
        high = U_MAX
    open_ = not math.isnan(low) and low <= high
    return {"low": low, "high": high, "width": (high - low) if open_ else 0.0, "open": open_}


def simulate(**params) -> pd.DataFrame:
    """Benefit and harm over the dial, one row per setting from 0 to :data:`U_MAX`.

    Columns: ``u`` (setting), ``benefit`` and ``harm`` (probabilities), ``net`` (benefit minus
    harm) and ``in_window`` (True where benefit >= goal and harm <= limit).
    """
    p = PARAMS.resolve(params)
    u = np.linspace(0.0, U_MAX, N_POINTS)
    b = _b(p, u)
    h = _h(p, u)
    return pd.DataFrame(
        {
            "u": u,
            "benefit": b,
            "harm": h,
            "net": b - h,
            "in_window": (b >= p["benefit_goal"]) & (h <= p["harm_limit"]),
        }
    )


def summary(**params) -> dict:
    """Key numbers at the chosen setting and of the window."""
    p = PARAMS.resolve(params)
    u = p["brake_release"]
    w = window(**p)
    return {
        "setting": u,
        "benefit": float(_b(p, u)),
        "harm": float(_h(p, u)),
        "window_low": w["low"],
        "window_high": w["high"],
        "window_width": w["width"],
        "in_window": bool(w["open"] and w["low"] <= u <= w["high"]),
        "benefit_at_limit": float(_b(p, w["high"])) if not math.isnan(w["high"]) else float("nan"),
    }
