"""Exercises of chapter 5 (the Kirschner & Panetta 1998 tumour–effector–IL-2 model).

Every answer is computed from :mod:`widgets.models.kirschner`.
"""

from __future__ import annotations

from ..checks import Exercise, register
from ..quiz import Option, Question


def _clearance_threshold() -> float:
    from ..models.kirschner import clearance_supply

    return clearance_supply()


def _runaway_il2() -> float:
    from ..models.kirschner import runaway_il2

    return runaway_il2()


def _feedback_ratio() -> float:
    from ..models.kirschner import long_run

    with_feedback = long_run(c=0.035)["T_late_max"]
    without = long_run(c=0.035, p2=0.0)["T_late_max"]
    return without / with_feedback


register(
    Exercise(
        id="5.1",
        quantity="the smallest adoptive-cell input s1 that makes the tumour-free state stable",
        unit="cells/day",
        solution=_clearance_threshold,
        hint="At the tumour-free state E = s1/mu2. A few tumour cells shrink when the kill rate "
        "per tumour cell, a*E/g2, beats their growth rate r2. Solve for s1, or compare "
        "kirschner.tumour_free_state(s1=...)['stable'] on both sides of your answer.",
        rtol=0.01,
    )
)

register(
    Exercise(
        id="5.2",
        quantity="the IL-2 input s2 above which IL-2 alone makes effector cells multiply "
        "without limit",
        unit="IL-2 units/day",
        solution=_runaway_il2,
        hint="With no tumour, IL-2 settles at I = s2/mu3. Effector cells then grow if "
        "p1*I/(g1 + I) > mu2. Solve for I, then for s2; kirschner.tumour_free_state(s2=...) "
        "reports the effector eigenvalue.",
        rtol=0.01,
    )
)


def _il2_series_comparison() -> dict:
    from ..views.kirschner import il2_rates

    rates = il2_rates()
    obj = rates[rates["endpoint"] == "objective response"].set_index("cancer")
    mel, kid = obj.loc["melanoma"], obj.loc["renal cell carcinoma"]
    return {
        "difference": float(100 * (mel["rate"] - kid["rate"])),
        "intervals overlap": bool(
            mel["ci_low"] <= kid["ci_high"] and kid["ci_low"] <= mel["ci_high"]
        ),
    }


register(
    Exercise(
        id="5.3",
        quantity="the ratio of the largest long-run tumour without IL-2 production (p2 = 0) "
        "to that with it, at c = 0.035",
        unit="",
        solution=_feedback_ratio,
        hint="Call kirschner.long_run(c=0.035) and kirschner.long_run(c=0.035, p2=0) and divide "
        "the two 'T_late_max' values.",
        rtol=0.02,
    )
)

register(
    Exercise(
        id="5.4",
        quantity={
            "difference": "the objective response rate in melanoma minus that in kidney cancer",
            "intervals overlap": "whether the two exact 95% intervals overlap (True or False)",
        },
        unit={"difference": "percentage points", "intervals overlap": ""},
        solution=_il2_series_comparison,
        hint="Take the 'objective response' rows of kirschner_views.il2_rates(); subtract the "
        "two 'rate' values and multiply by 100; two intervals overlap when each one's lower "
        "limit lies below the other's upper limit.",
        rtol=0.0,
        atol=0.05,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "Why did high-dose interleukin-2 (IL-2) cause such severe side effects, such as capillary "
        "leak syndrome?",
        (
            Option(
                "IL-2 kills tumour cells directly, and the dying tumour poisons the body.",
                "IL-2 is a growth signal: T cells that receive it multiply, and activated "
                "immune cells become better killers. The harm comes from stimulating immune "
                "cells throughout the body.",
            ),
            Option(
                "IL-2 carries no address: given into a vein it reaches immune cells everywhere, "
                "and activated immune cells release further signals that act on blood vessels "
                "and organs.",
                "Yes: the signal is broad, so the dose needed to push a weak anti-tumour "
                "response over the edge also inflames the whole body.",
                correct=True,
            ),
            Option(
                "The damage was permanent, so each patient could be treated only once.",
                "The side effects were severe but resolved promptly once IL-2 was stopped, "
                "although some patients died of them.",
            ),
        ),
        source=("rosenberg1986",),
    ),
    Question(
        "In the Kirschner–Panetta model, the adoptive-cell input that makes the tumour-free state "
        "stable, r2·g2·μ2/a, does not contain the tumour's antigenicity c. Why?",
        (
            Option(
                "Because antigenicity is too small to matter in this model.",
                "Antigenicity matters a great deal below the threshold: it decides between "
                "escape, deep oscillations and control in the untreated tumour.",
            ),
            Option(
                "Because the infused cells make every tumour highly antigenic.",
                "Infused cells do not change c. They do the work whether or not the tumour is "
                "visible enough to recruit effector cells of its own.",
            ),
            Option(
                "Because at the tumour-free state there is no tumour to recruit effector cells, "
                "so only the infused cells and their death rate set how many there are.",
                "Right: the stimulation term cT is zero when there is no tumour. Antigenicity "
                "changes what happens below the threshold, not where it is.",
                correct=True,
            ),
        ),
        source=("kirschner1998",),
        model=True,
    ),
    Question(
        "In the model, IL-2 given alone clears the tumour only above a certain input. What is "
        "happening to the effector cells at those inputs?",
        (
            Option(
                "They multiply faster than they die and grow without limit, even with no tumour "
                "left: the immune response runs away.",
                "Yes: in the model IL-2 alone 'works' only by driving the immune response out "
                "of control. In patients, the corresponding signal is toxicity.",
                correct=True,
            ),
            Option(
                "They stay at their usual level, while IL-2 kills the tumour cells itself.",
                "The model has no term in which IL-2 kills tumour cells; IL-2 acts only by "
                "making effector cells multiply.",
            ),
            Option(
                "They make the tumour more antigenic, so it recruits more of them.",
                "Antigenicity c is a fixed property of the tumour in the model (how visible it "
                "is to the immune system); IL-2 does not change it.",
            ),
        ),
        source=("kirschner1998",),
        model=True,
    ),
    Question(
        "Under the model's results the chapter draws an 'illustrative toxicity index'. What is it?",
        (
            Option(
                "A prediction of how many patients would have capillary leak syndrome at each "
                "dose.",
                "The model has no blood vessels or organs, so it cannot predict capillary leak; "
                "the index is a label added to it.",
            ),
            Option(
                "A label built from the IL-2 level relative to the runaway level, which says "
                "only 'more IL-2, more harm'.",
                "Right: it is 0 without IL-2 and 0.5 at the runaway input. It makes the "
                "trade-off visible: the doses that clear the tumour are exactly those where the "
                "index is high.",
                correct=True,
            ),
            Option(
                "A measure fitted to the deaths reported in the high-dose IL-2 trials.",
                "It is not fitted to any trial: it is neither a measured nor a published quantity.",
            ),
        ),
        source=("kirschner1998",),
        model=True,
    ),
]
