"""Exercises of chapter 9, "Side effects" (answers computed from the data and the model)."""

from __future__ import annotations

from .. import stats
from ..checks import Exercise, register
from ..data import load
from ..models import toxicity as tox
from ..quiz import Option, Question

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
    return {
        "CheckMate 026": round(severe_ratio("CheckMate 026"), 2),
        "KEYNOTE-024": round(severe_ratio("KEYNOTE-024"), 2),
    }


def _ex92() -> dict:
    w = tox.window()
    both = tox.REGIMEN_SETTINGS["anti-PD-1 + anti-CTLA-4"]
    return {
        "low": round(w["low"], 2),
        "high": round(w["high"], 2),
        "combination inside": bool(w["open"] and w["low"] <= both <= w["high"]),
    }


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
        quantity={
            "CheckMate 026": "how many times more common grade 3+ events were with "
            "chemotherapy than with nivolumab in CheckMate 026",
            "KEYNOTE-024": "the same ratio for chemotherapy and pembrolizumab in KEYNOTE-024",
        },
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
        quantity={
            "low": "the lower edge of the therapeutic window",
            "high": "the upper edge of the therapeutic window",
            "combination inside": "whether the combination's setting (1.0) is in the window",
        },
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
        quantity={
            "harm_hill": "the Hill coefficient of the recalibrated harm curve",
            "window high": "the new upper edge of the therapeutic window",
        },
        unit={"harm_hill": "", "window high": "setting"},
        solution=_ex93,
        hint="Use toxicity.calibrate(harm_rates=(0.163, 0.70)), then pass its harm_half and "
        "harm_hill to toxicity.window().",
        rtol=0.0,
        atol=0.011,
    )
)

#: CheckMate 026 (Carbone et al. 2017, carbone2017), nivolumab against chemotherapy in the
#: 423 patients with PD-L1 on at least 5% of tumour cells: hazard ratios with 95% intervals.
CHECKMATE026_HR = {"progression": (1.15, 0.91, 1.45), "death": (1.02, 0.80, 1.30)}


def _ex94() -> dict:
    return {
        endpoint: round(stats.hazard_ratio_p_value(*hr)["p_two_sided"], 3)
        for endpoint, hr in CHECKMATE026_HR.items()
    }


register(
    Exercise(
        id="9.4",
        quantity={
            "progression": "the two-sided p-value implied by the hazard ratio for "
            "progression or death",
            "death": "the two-sided p-value implied by the hazard ratio for death",
        },
        unit="",
        solution=_ex94,
        hint="stats.hazard_ratio_p_value(1.15, 0.91, 1.45)['p_two_sided'], and the same for "
        "1.02 (0.80 to 1.30).",
        rtol=0.0,
        atol=0.002,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "Why can a checkpoint inhibitor inflame a healthy organ such as the thyroid or the bowel?",
        (
            Option(
                "It damages quickly dividing cells, as chemotherapy does.",
                "The harms differ: chemotherapy brought the blood-count and gut harms it is "
                "known for, while immune side effects are inflammations of particular organs.",
            ),
            Option(
                "It releases the brake on every T cell that carries it, including T cells that "
                "recognise healthy tissue.",
                "Yes: a drug in the blood cannot tell a T cell aimed at a tumour from one aimed "
                "at the thyroid or the bowel. In some patients the freed self-reactive T cells "
                "start an inflammation.",
                correct=True,
            ),
            Option(
                "The released T cells attack only the tumour, but the tumour spreads to those "
                "organs.",
                "Immune-related side effects are inflammations of healthy organs by T cells "
                "freed from their brakes, not the tumour spreading.",
            ),
        ),
        source=("pardoll2012",),
    ),
    Question(
        "A patient on a checkpoint inhibitor has a grade 3 immune side effect. What does the "
        "guideline summarised in the chapter recommend?",
        (
            Option(
                "Continue treatment with close monitoring.",
                "That is the usual approach for grade 1, a mild side effect.",
            ),
            Option(
                "Stop the checkpoint inhibitor for good.",
                "For most side effects that step is for grade 4, a life-threatening one.",
            ),
            Option(
                "Pause treatment and start high-dose corticosteroids, tapered slowly over at "
                "least 4 to 6 weeks.",
                "Right: grade 3 means severe. The guideline notes that its recommendations rest "
                "largely on expert consensus, because high-quality trials are scarce.",
                correct=True,
            ),
        ),
        source=("brahmer2018",),
    ),
    Question(
        "'Immunotherapy is gentler than chemotherapy.' What do the trials in the chapter support?",
        (
            Option(
                "It holds for anti-PD-1 alone, but not for its combination with anti-CTLA-4.",
                "Yes: in two lung cancer trials anti-PD-1 caused fewer serious side effects "
                "than chemotherapy (17.6% against 50.6% at grade 3 or 4 in CheckMate 026), "
                "while the combination caused them in 55.0% of patients in CheckMate 067.",
                correct=True,
            ),
            Option(
                "It holds for every immunotherapy, including combinations and CAR-T cells.",
                "The combination caused serious side effects as often as chemotherapy did in "
                "these lung cancer trials, and CAR-T cells bring their own risks, such as "
                "cytokine release syndrome.",
            ),
            Option(
                "It does not hold: anti-PD-1 caused as many serious side effects as chemotherapy.",
                "In both lung cancer trials serious side effects were much less common with "
                "anti-PD-1 than with chemotherapy, and they were different ones.",
            ),
        ),
        source=("carbone2017", "reck2016", "larkin2015"),
    ),
    Question(
        "In the therapeutic-window model with the default thresholds, the combination (setting 1) "
        "lies outside the window. What would bring it inside?",
        (
            Option(
                "Lowering the benefit goal.",
                "The combination already clears the benefit goal easily; what keeps it out is "
                "the harm limit.",
            ),
            Option(
                "Raising the acceptable harm limit to about the combination's own rate of "
                "serious harm.",
                "Right: only accepting a risk as high as the combination's own, about 55%, "
                "brings it in. That is a value judgement the model can make explicit but "
                "cannot settle.",
                correct=True,
            ),
            Option(
                "Nothing: the model shows the combination is too harmful for anyone.",
                "Both thresholds are value judgements, not biology. For some cancers and some "
                "patients the combination's higher response rate is worth its risks; for "
                "others it is not.",
            ),
        ),
        source=("larkin2015",),
        model=True,
    ),
]
