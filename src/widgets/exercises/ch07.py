"""Exercises of chapter 7, "The tumour microenvironment" (answers computed from the model and
the curated data, never retyped)."""

from __future__ import annotations

from ..checks import Exercise, register
from ..data import load
from ..models import microenvironment as tme
from ..quiz import Option, Question

#: T-cell access values (per day) tried in exercise 7.3.
ACCESS_GRID = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
#: The strongest priming boost the model allows (exercise 7.3).
MAX_BOOST = tme.PARAMS["prime_boost"].hi


def _ex71() -> dict:
    exc = tme.summary(**tme.TUMOURS["immune-excluded"])
    des = tme.summary(**tme.TUMOURS["immune desert"])
    return {
        "excluded, edge": round(exc["edge_start"], 1),
        "excluded, inside": round(exc["inside_start"], 1),
        "desert, edge": round(des["edge_start"], 1),
        "desert, inside": round(des["inside_start"], 1),
    }


def access_restoration_gain(phenotype: str = "inflamed") -> float:
    """How many percentage points access restoration adds to anti-PD-1's shrinkage of the
    lesion diameter on the assessment day, in the model tumour ``phenotype``."""
    tv = tme.TUMOURS[phenotype]
    alone = tme.summary(**tv, blockade=True)["change_at_assessment_pct"]
    both = tme.summary(**tv, blockade=True, open_access=True)["change_at_assessment_pct"]
    return round(alone - both, 1)


def _ex72() -> dict:
    trials = load("microenvironment_trials")
    row = trials[
        (trials["trial"] == "INTR@PID Lung 037")
        & (trials["endpoint"] == "progression-free survival hazard ratio")
    ].iloc[0]
    return {
        "hazard ratio": float(row["value"]),
        "interval includes 1": bool(row["ci_low"] <= 1.0 <= row["ci_high"]),
        "model gain": access_restoration_gain("inflamed"),
    }


def smallest_access_for_response(**fixed) -> float:
    """Smallest access on :data:`ACCESS_GRID` at which anti-PD-1 alone gives a complete or
    partial response on the assessment day (NaN if none does)."""
    for a in ACCESS_GRID:
        if tme.summary(
            **{**tme.TUMOURS["immune-excluded"], **fixed, "access": a, "blockade": True}
        )["response"]:
            return a
    return float("nan")


def _ex73() -> dict:
    s = tme.summary(
        **tme.TUMOURS["immune-excluded"], blockade=True, prime=True, prime_boost=MAX_BOOST
    )
    return {
        "smallest access": smallest_access_for_response(),
        "change with the strongest boost": round(s["change_at_assessment_pct"], 1),
        "category with the strongest boost": s["recist_at_assessment"],
    }


register(
    Exercise(
        id="7.1",
        quantity={
            "excluded, edge": "T cells at the edge of the immune-excluded tumour",
            "excluded, inside": "T cells inside the immune-excluded tumour",
            "desert, edge": "T cells at the edge of the immune desert",
            "desert, inside": "T cells inside the immune desert",
        },
        unit={
            "excluded, edge": "units",
            "excluded, inside": "units",
            "desert, edge": "units",
            "desert, inside": "units",
        },
        solution=_ex71,
        hint="tme.summary(**tme.TUMOURS['immune-excluded']) gives 'edge_start' and "
        "'inside_start' (T cells before treatment); round each to one decimal.",
        rtol=0.0,
        atol=0.06,
    )
)

register(
    Exercise(
        id="7.2",
        quantity={
            "hazard ratio": "the hazard ratio for progression-free survival, bintrafusp "
            "alfa vs pembrolizumab",
            "interval includes 1": "whether its 95% confidence interval includes 1",
            "model gain": "the percentage points of shrinkage access restoration adds "
            "to anti-PD-1 in the model's inflamed tumour on day 168",
        },
        unit={"hazard ratio": "", "interval includes 1": "", "model gain": "percentage points"},
        solution=_ex72,
        hint="Load the data with load('microenvironment_trials') and pick the INTR@PID Lung 037 "
        "progression-free survival row; for the model, subtract the diameter change with "
        "blockade=True, open_access=True from the change with blockade=True alone.",
        rtol=0.0,
        atol=0.06,
    )
)

register(
    Exercise(
        id="7.3",
        quantity={
            "smallest access": "the smallest access on the grid at which anti-PD-1 "
            "alone gives a response on day 168",
            "change with the strongest boost": "the diameter change on day 168 of the "
            "excluded tumour with anti-PD-1 and a "
            "priming boost of 10",
            "category with the strongest boost": "its RECIST category on day 168",
        },
        unit={
            "change with the strongest boost": "%",
            "category with the strongest boost": "",
            "smallest access": "per day",
        },
        solution=_ex73,
        hint="Use tme.summary(**tme.TUMOURS['immune-excluded'], blockade=True, prime=True, "
        "prime_boost=10); then loop over the access values and stop at the first whose "
        "summary has response True.",
        rtol=0.0,
        atol=0.06,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "In an immune-excluded tumour, where are the T cells?",
        (
            Option(
                "Inside the tumour, in contact with the tumour cells but held back by the "
                "PD-1/PD-L1 brake.",
                "That describes an inflamed tumour, where releasing the brake is exactly "
                "what a checkpoint inhibitor does.",
            ),
            Option(
                "Hardly anywhere: few T cells were primed against the tumour.",
                "That is the immune desert: the failure is in the supply of T cells, not "
                "in where they go.",
            ),
            Option(
                "Gathered in the stroma at the tumour's edge, without reaching the tumour cells.",
                "Yes: in bladder cancer treated with atezolizumab, lack of response went with "
                "TGF-β signalling in fibroblasts, particularly where CD8+ T cells were kept in "
                "the stroma around the tumour.",
                correct=True,
            ),
        ),
        source=("mariathasan2018",),
    ),
    Question(
        "In the chapter's model, anti-PD-1 alone fails in the immune desert. Which addition "
        "makes it work?",
        (
            Option(
                "Restoring access, so that T cells can cross the tumour's edge.",
                "The desert's few T cells already get in; the model's desert responds no "
                "better with access restored.",
            ),
            Option(
                "A priming boost (a vaccine or anti-CTLA-4) that raises the supply of T cells.",
                "Right: the desert lacks T cells, so the supply has to rise before releasing "
                "the brake can help.",
                correct=True,
            ),
            Option(
                "Nothing: a desert cannot respond to immunotherapy.",
                "In the model, the desert responds once priming is raised together with "
                "blockade. Whether a given patient's tumour would is another matter.",
            ),
        ),
        model=True,
    ),
    Question(
        'When people call a tumour "cold", which immune phenotypes can they mean?',
        (
            Option(
                "Only the immune desert.",
                "An immune-excluded tumour has few T cells inside too, so it is also called "
                "cold, although its T cells are waiting at the edge.",
            ),
            Option(
                "The immune-excluded tumour and the immune desert: both have few T cells "
                "inside the tumour.",
                "Yes. The everyday word hides a difference that matters: one needs access "
                "restored, the other needs more T cells primed.",
                correct=True,
            ),
            Option(
                "An inflamed tumour whose T cells are switched off.",
                "An inflamed tumour is what people call hot: its T cells are inside, held "
                "back by brakes such as PD-L1.",
            ),
        ),
        source=("mariathasan2018",),
    ),
    Question(
        "IMbrave150 found that atezolizumab plus bevacizumab (anti-VEGF) helped people with "
        "liver cancer live longer than sorafenib did. What can this trial not tell us on its "
        "own?",
        (
            Option(
                "Whether the combination was better than sorafenib.",
                "That is exactly what it tested: the hazard ratio for death was 0.58 (95% CI "
                "0.42 to 0.79).",
            ),
            Option(
                "How much of the benefit came from bevacizumab rather than from atezolizumab.",
                "Right: the control arm was sorafenib, not atezolizumab alone, so the trial "
                "does not separate the two drugs' parts.",
                correct=True,
            ),
            Option(
                "Whether the result is more than chance.",
                "The 95% interval of the hazard ratio lies wholly below 1, so chance alone "
                "is an unlikely explanation.",
            ),
        ),
        source=("finn2020",),
        data="microenvironment_trials",
    ),
    Question(
        "In the model, adding access restoration to anti-PD-1 changes nothing for the inflamed "
        "tumour. Why?",
        (
            Option(
                "Its T cells already get in; what held them back was the brake, which "
                "anti-PD-1 releases.",
                "Yes: restoring access only helps where access is what fails.",
                correct=True,
            ),
            Option(
                "Access restoration does not work in any tumour.",
                "In the model it rescues the immune-excluded tumour, together with anti-PD-1.",
            ),
            Option(
                "The inflamed tumour has no PD-L1.",
                "All three model tumours have the same PD-L1; they differ in priming and "
                "access only.",
            ),
        ),
        model=True,
    ),
]
