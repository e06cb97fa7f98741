"""Exercises of chapter 7, "The tumour microenvironment" (answers computed from the model)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..quiz import Option, Question
from ..models import microenvironment as tme

#: T-cell access values tried in exercise 7.2.
ACCESS_GRID = np.round(np.arange(0.05, 1.0001, 0.05), 2)
#: Depletion rates tried in exercise 7.3.
DEPLETION_GRID = np.round(np.arange(0.0, 2.0001, 0.1), 1)


def _ex71() -> dict:
    hot = tme.TUMOURS["hot (inflamed)"]
    untreated = tme.summary(**hot)
    treated = tme.summary(**hot, blockade=True)
    return {"untreated, day 60": round(untreated["T_end"] / 1e6),
            "day eliminated": treated["day_eliminated"]}


def smallest_access_for_elimination(**fixed) -> float:
    """Smallest access on :data:`ACCESS_GRID` at which anti-PD-1 alone eliminates the tumour."""
    for eps in ACCESS_GRID:
        if tme.outcome(**{**fixed, "access": float(eps), "blockade": True}) == "elimination":
            return float(eps)
    return float("nan")


def smallest_depletion_for_elimination(**fixed) -> float:
    """Smallest depletion rate on :data:`DEPLETION_GRID` at which anti-PD-1 plus
    suppression-lowering therapy (stroma not opened) eliminates the cold tumour."""
    cold = tme.TUMOURS["cold (suppressed)"]
    for u in DEPLETION_GRID:
        q = {**cold, **fixed, "blockade": True, "deplete": True, "depletion_rate": float(u)}
        if tme.outcome(**q) == "elimination":
            return float(u)
    return float("nan")


register(
    Exercise(
        id="7.1",
        quantity={"untreated, day 60": "the untreated hot tumour on day 60, in millions of "
                                       "cells",
                  "day eliminated": "the day anti-PD-1 eliminates the hot tumour"},
        unit={"untreated, day 60": "million cells", "day eliminated": "days"},
        solution=_ex71,
        hint="Use tme.summary(**tme.TUMOURS['hot (inflamed)']) and the same with "
             "blockade=True; read 'T_end' (divide by 1e6 and round) and 'day_eliminated'.",
        rtol=0.0,
        atol=0.6,
    )
)

register(
    Exercise(
        id="7.2",
        quantity="the smallest T-cell access at which anti-PD-1 alone eliminates the tumour",
        unit="",
        solution=smallest_access_for_elimination,
        hint="Loop over access = 0.05, 0.10, ..., 1.00 and stop at the first value for which "
             "tme.outcome(access=..., blockade=True) is 'elimination'.",
        rtol=0.0,
        atol=0.001,
    )
)

register(
    Exercise(
        id="7.3",
        quantity={"without depletion": "the outcome of anti-PD-1 alone in the cold tumour",
                  "smallest depletion rate": "the smallest depletion rate that, with "
                                             "anti-PD-1, eliminates the cold tumour"},
        unit={"without depletion": "", "smallest depletion rate": "1/day"},
        solution=lambda: {
            "without depletion": tme.outcome(**tme.TUMOURS["cold (suppressed)"],
                                             blockade=True),
            "smallest depletion rate": smallest_depletion_for_elimination(),
        },
        hint="Take tme.TUMOURS['cold (suppressed)'], set blockade=True and deplete=True, and "
             "loop over depletion_rate = 0, 0.1, ..., 2 until tme.outcome(...) is "
             "'elimination'.",
        rtol=0.0,
        atol=0.001,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "In an 'excluded' tumour, where are the T cells?",
        (
            Option("Inside the tumour, in contact with tumour cells but held back by the "
                   "PD-1/PD-L1 brake.",
                   "That describes a hot (inflamed) tumour, where releasing the brake is exactly "
                   "what a checkpoint inhibitor does."),
            Option("Hardly anywhere: the neighbourhood switches off almost all of them.",
                   "That is the cold (suppressed) profile, with regulatory T cells, suppressor "
                   "cells and adenosine at work."),
            Option("Gathered in the stroma around the tumour, without reaching the tumour cells.",
                   "Yes: in bladder cancer treated with atezolizumab, lack of response went with "
                   "TGF-β signalling, particularly where CD8+ T cells were kept in the stroma "
                   "around the tumour.", correct=True),
        ),
        source=("mariathasan2018",),
    ),
    Question(
        "In the published model of de Pillis and colleagues, what does the killing by CD8+ T "
        "cells depend on?",
        (
            Option("The ratio of T cells to tumour cells, with killing that saturates at a "
                   "maximum rate d per day.",
                   "Right: that is why a small challenge of ten thousand tumour cells is "
                   "eliminated when ten thousand CD8+ T cells are present, and escapes when there "
                   "are only a hundred.", correct=True),
            Option("Only the number of T cells, whatever the size of the tumour.",
                   "The paper's key idea is the ratio: the more T cells there are per tumour "
                   "cell, and the better each one kills, the better the outcome."),
            Option("Only the number of NK cells, which do all the killing.",
                   "NK cells kill tumour cells too and help activate CD8+ T cells, but the CD8+ "
                   "killing term itself depends on the ratio of T cells to tumour cells."),
        ),
        source=("depillis2005",), model=True,
    ),
    Question(
        "In the chapter's extended model, anti-PD-1 alone eliminates the hot tumour but not the "
        "cold one. What explains the difference?",
        (
            Option("The cold tumour has no PD-L1 brake for the antibody to release.",
                   "The three model tumours differ only in their neighbourhood; the brake is the "
                   "same. The cold tumour fails for another reason."),
            Option("The cold tumour sustains strong suppression, which divides the released "
                   "killing by up to eleven, so suppression has to be lowered as well.",
                   "Yes: with strong suppression even the released T cells are too weak. Lowering "
                   "suppression together with blockade eliminates the cold tumour.",
                   correct=True),
            Option("Lowering suppression alone would have been enough; the antibody is not "
                   "needed.",
                   "Depleting suppression alone fails too, because the PD-1 brake is still on. In "
                   "the model the cold tumour needs both."),
        ),
        source=("depillis2005",), model=True,
    ),
    Question(
        "In the model, one number S stands for regulatory T cells, suppressor cells, TGF-β and "
        "adenosine, and any reduction of S helps equally. What follows for real treatments?",
        (
            Option("Any real drug aimed at one of these mechanisms will work as well as the "
                   "model's therapy.",
                   "That is exactly what the model cannot show: the mechanisms act in different "
                   "ways and places, and a treatment aimed at one of them need not help."),
            Option("The suppression numbers were measured in patients, so the result carries "
                   "over directly.",
                   "The suppression compartment, the access and the treatments are illustrative "
                   "additions with invented numbers; only the tumour, NK and CD8+ parts come from "
                   "the published model, fitted to mice."),
            Option("The model shows why suppression matters, but a treatment aimed at one "
                   "mechanism need not help.",
                   "Right: lumping many mechanisms into one number is a simplification, and many "
                   "of the microenvironment-targeting approaches mentioned in the chapter are "
                   "still being studied.", correct=True),
        ),
        model=True,
    ),
]
