"""Exercises of chapter 10, "Who responds" (answers computed from the data file and models)."""

from __future__ import annotations

from .. import evidence, stats
from ..checks import Exercise, register
from ..models import survival
from ..quiz import Option, Question


def _row(arm: str):
    t = evidence.response_table()
    r = t[t["arm"] == arm]
    return int(r["k"].iloc[0]), int(r["n"].iloc[0])


def _ex1() -> dict:
    neg = stats.exact_ci(*_row("PD-L1-negative tumours"))
    pos = stats.exact_ci(*_row("PD-L1-positive tumours"))
    return {
        "upper, PD-L1-negative": round(100 * neg[1], 1),
        "lower, PD-L1-positive": round(100 * pos[0], 1),
    }


def _ex2() -> dict:
    return {"20 points": stats.n_for_width(0.3, 0.20), "10 points": stats.n_for_width(0.3, 0.10)}


def _keynote024_pembro():
    t = survival.tail_table()
    return t[(t["trial"] == "KEYNOTE-024") & (t["arm"] == "pembrolizumab")].iloc[0]


def _ex3() -> dict:
    r = _keynote024_pembro()
    pi, lam = survival.fit_cure(r["median"], r["landmark"], 0.25)
    return {
        "cure fraction": round(100 * pi, 1),
        "10-year survival": round(100 * float(survival.s_cure(120.0, pi, lam)), 1),
    }


register(
    Exercise(
        id="10.1",
        quantity={
            "upper, PD-L1-negative": "the upper end of the exact 95% interval for the "
            "PD-L1-negative group",
            "lower, PD-L1-positive": "the lower end of the exact 95% interval for the "
            "PD-L1-positive group",
        },
        unit="%",
        solution=_ex1,
        hint="Use stats.exact_ci(k, n) with 0 of 17 and 9 of 25, and multiply by 100.",
        rtol=0.0,
        atol=0.15,
    )
)

register(
    Exercise(
        id="10.2",
        quantity={
            "20 points": "the smallest trial whose interval is at most 20 points wide",
            "10 points": "the smallest trial whose interval is at most 10 points wide",
        },
        unit="patients",
        solution=_ex2,
        hint="stats.n_for_width(0.3, 0.20) searches n = 1, 2, 3, ... for the first width (a "
        "proportion: 0.20 is 20 points) that fits.",
        rtol=0.0,
        atol=0.5,
    )
)

register(
    Exercise(
        id="10.3",
        quantity={
            "cure fraction": "the cure fraction fitted with 25% alive at 5 years",
            "10-year survival": "the survival the refitted model predicts at 10 years",
        },
        unit="%",
        solution=_ex3,
        hint="survival.fit_cure(26.3, 60, 0.25) returns (pi, lam); then "
        "survival.s_cure(120, pi, lam).",
        rtol=0.0,
        atol=0.15,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "At the first scan after treatment starts, the sum of the target-lesion diameters has "
        "fallen by 20%, and no new lesions have appeared. What is the RECIST category?",
        (
            Option("Partial response", "A partial response needs the sum to fall by at least 30%."),
            Option(
                "Progressive disease",
                "Progression needs the sum to grow by at least 20% (and at least 5 mm) from its "
                "smallest value, or new lesions; here the sum has fallen.",
            ),
            Option(
                "Stable disease",
                "Right: the sum has neither fallen by 30% nor grown by 20%, so the category is "
                "stable disease.",
                correct=True,
            ),
        ),
        source=("eisenhauer2009",),
    ),
    Question(
        "In the first anti-PD-1 trial, none of the 17 patients with PD-L1-negative tumours "
        "responded. What does the exact 95% interval say?",
        (
            Option(
                "The data are compatible with a true response rate as high as 19.5%: no "
                "responders is not no effect.",
                "Yes: with so few patients, chance alone can give zero responders even when the "
                "true rate is not zero.",
                correct=True,
            ),
            Option(
                "Anti-PD-1 never works in PD-L1-negative tumours.",
                "Seventeen patients cannot show that: the interval reaches 19.5%, so a "
                "true response rate of about one in five is still compatible with the data.",
            ),
            Option(
                "No interval can be computed when there are no responders.",
                "The exact interval uses the binomial distribution itself, so it works for "
                "zero responders too; here it reaches up to 19.5%.",
            ),
        ),
        source=("topalian2012", "clopper1934"),
    ),
    Question(
        "In the chapter's neoantigen model, the chance of at least one recognisable neoantigen "
        "rises with tumour mutational burden. What does that mean for response?",
        (
            Option(
                "The chance of a response rises in step with the number of mutations.",
                "The model gives the chance of a target, not of a response, and it levels off: "
                "past a point, more mutations add little.",
            ),
            Option(
                "High-burden tumours almost always offer a target, but a target alone does not "
                "make a response if the T cells are blocked or kept out.",
                "Right: each mutation is another lottery ticket. In the study, 22 of 38 "
                "patients with at least 20 mutations per megabase responded, not all of them.",
                correct=True,
            ),
            Option(
                "High-burden tumours always respond, so the burden is a perfect test.",
                "Many tumours with many mutations do not respond, and some with fewer do: "
                "23 of 113 patients below 20 mutations per megabase responded.",
            ),
        ),
        source=("goodman2017",),
        model=True,
    ),
    Question(
        "A cure-fraction model fitted to ZUMA-1 (its median survival and the share alive at "
        "5 years) gives a plateau of 42.0%. How should it be read?",
        (
            Option(
                "42.0% of the patients are cured for life.",
                "A cure fraction fitted through a median and one landmark describes the curve; "
                "it is not a measurement of cure.",
            ),
            Option(
                "CAR-T cells beat pembrolizumab, whose fitted plateau in KEYNOTE-024 is lower.",
                "These trials enrolled different cancers and patients; only arms of the same "
                "randomised trial compare like with like.",
            ),
            Option(
                "As a description of the curve, not a proof of cure: only longer follow-up "
                "can show whether it stays flat.",
                "Yes: the model has two parameters fitted to two numbers and assumes a constant "
                "risk for those not cured; it describes a plateau rather than predicting one.",
                correct=True,
            ),
        ),
        source=("neelapu2023", "reck2021"),
        model=True,
    ),
]
