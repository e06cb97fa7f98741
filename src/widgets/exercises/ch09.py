"""Exercises of chapter 9, "Side effects" (answers computed from the data and the model)."""

from __future__ import annotations

from ..checks import Exercise, register
from ..data import load
from ..models import toxicity as tox

#: Harm rate of a hypothetical, more toxic combination in exercise 9.3.
TOXIC_COMBINATION_HARM = 0.70


def severe_ratio(trial: str) -> float:
    """Grade 3+ treatment-related events with chemotherapy divided by those with anti-PD-1,
    in one trial of ``data/adverse_events.csv`` (percentages from counts where given)."""
    df = load("adverse_events")
    rows = df[(df["trial"] == trial) & (df["organ"] == "all") & (df["grade"] == "3 or higher")]
    pct = {}
    for _, r in rows.iterrows():
        if r["events"] == r["events"] and r["patients"] == r["patients"]:  # counts given
            pct[r["regimen"]] = 100.0 * r["events"] / r["patients"]
        else:
            pct[r["regimen"]] = float(r["percent"])
    return pct["chemotherapy"] / pct["anti-PD-1"]


def _ex91() -> dict:
    return {"CheckMate 026": round(severe_ratio("CheckMate 026"), 2),
            "KEYNOTE-024": round(severe_ratio("KEYNOTE-024"), 2)}


def _ex92() -> dict:
    w = tox.window()
    both = tox.REGIMEN_SETTINGS["anti-PD-1 + anti-CTLA-4"]
    return {"low": round(w["low"], 2), "high": round(w["high"], 2),
            "combination inside": bool(w["open"] and w["low"] <= both <= w["high"])}


def toxic_combination_params() -> dict:
    """Model parameters recalibrated with the combination's grade 3+ rate set to 70%."""
    cal = tox.calibrate(harm_rates=(tox.CALIBRATION["anti-PD-1"]["harm"], TOXIC_COMBINATION_HARM))
    return {"harm_half": cal["harm_half"], "harm_hill": cal["harm_hill"]}


def _ex93() -> dict:
    p = toxic_combination_params()
    return {"harm_hill": round(p["harm_hill"], 2), "window high": round(tox.window(**p)["high"], 2)}


register(
    Exercise(
        id="9.1",
        quantity={"CheckMate 026": "how many times more common grade 3+ events were with "
                                   "chemotherapy than with nivolumab in CheckMate 026",
                  "KEYNOTE-024": "the same ratio for chemotherapy and pembrolizumab in KEYNOTE-024"},
        unit="times",
        solution=_ex91,
        hint="Filter load('adverse_events') to the trial, organ 'all' and grade '3 or higher'; "
             "use events/patients where counts are given, otherwise the percent column.",
        rtol=0.0,
        atol=0.02,
    )
)

register(
    Exercise(
        id="9.2",
        quantity={"low": "the lower edge of the therapeutic window",
                  "high": "the upper edge of the therapeutic window",
                  "combination inside": "whether the combination's setting (1.0) is in the window"},
        unit={"low": "setting", "high": "setting", "combination inside": ""},
        solution=_ex92,
        hint="Call toxicity.window() with the default parameters; compare its edges with 1.0.",
        rtol=0.0,
        atol=0.011,
    )
)

register(
    Exercise(
        id="9.3",
        quantity={"harm_hill": "the Hill coefficient of the recalibrated harm curve",
                  "window high": "the new upper edge of the therapeutic window"},
        unit={"harm_hill": "", "window high": "setting"},
        solution=_ex93,
        hint="Use toxicity.calibrate(harm_rates=(0.163, 0.70)), then pass its harm_half and "
             "harm_hill to toxicity.window().",
        rtol=0.0,
        atol=0.011,
    )
)
