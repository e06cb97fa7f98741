"""Exercises of chapter 2 (the Kuznetsov et al. 1994 tumour–effector model).

Every answer is computed from :mod:`widgets.models.kuznetsov`.
"""

from __future__ import annotations

from ..checks import Exercise, register
from ..quiz import Option, Question


def _dormant_and_escape_sizes() -> dict:
    from ..models.kuznetsov import equilibria

    eq = equilibria()
    return {
        "dormant": float(eq.loc[eq["state"] == "dormancy", "T"].iloc[0]),
        "escape": float(eq.loc[eq["state"] == "escape", "T"].iloc[0]),
    }


def _supply_that_removes_escape() -> float:
    from ..models.kuznetsov import transition

    return transition("s", "escape", 1.3e4, 5e4)


def _inactivation_that_removes_dormancy() -> float:
    from ..models.kuznetsov import transition

    return transition("m", "dormancy", 3.422e-10, 5e-9)


register(
    Exercise(
        id="2.1",
        quantity={"dormant": "the dormant tumour size", "escape": "the escape tumour size"},
        unit={"dormant": "cells", "escape": "cells"},
        solution=_dormant_and_escape_sizes,
        hint="Call kuznetsov.equilibria() with the published (default) parameters and read the "
        "T column of the rows whose state is 'dormancy' and 'escape'.",
        rtol=0.02,
    )
)

register(
    Exercise(
        id="2.2",
        quantity="the effector supply s at which the escape state disappears",
        unit="cells/day",
        solution=_supply_that_removes_escape,
        hint="Use kuznetsov.stable_states(s=...) to see for which s 'escape' is still listed; "
        "the phase-plane slider brackets the answer between two steps. Then narrow the bracket "
        "by bisection, or call kuznetsov.transition('s', 'escape', lo, hi).",
        rtol=0.01,
    )
)

register(
    Exercise(
        id="2.3",
        quantity="the inactivation rate m at which the dormant state disappears",
        unit="1/(cell·day)",
        solution=_inactivation_that_removes_dormancy,
        hint="Raise m above its published value 3.422e-10 and watch when 'dormancy' drops out "
        "of kuznetsov.stable_states(m=...); kuznetsov.transition('m', 'dormancy', lo, hi) "
        "finds the switch once you have a bracket.",
        rtol=0.02,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "Tumours that grow up in mice with a working immune system are often less visible to it "
        "than tumours grown without one. Why?",
        (
            Option(
                "The tumour cells notice the immune system and decide to hide.",
                "The chapter describes selection, not a decision: the immune system kills the "
                "most visible cells, and the harder-to-see cells are the ones left.",
            ),
            Option(
                "Tumours in such mice carry no antigens at all.",
                "They still carry changed proteins. What survives are cells with disguises, "
                "such as losing the antigen a T cell recognises or the MHC molecules that show "
                "it.",
            ),
            Option(
                "The immune system kills the most visible cells, so the cells that survive are "
                "the ones that are harder to see.",
                "Yes: this is immunoediting. The immune system both protects against cancer and "
                "shapes the cancer that eventually appears.",
                correct=True,
            ),
        ),
        source=("dunn2002", "koebel2007", "schreiber2011"),
    ),
    Question(
        "In the Kuznetsov model with its published rates, two tumours meet the same immune "
        "system with the same number of effector cells. The small one ends dormant and the "
        "large one escapes. Why?",
        (
            Option(
                "The model is bistable: with the same rates there is a dormant state and an "
                "escape state, and the starting point decides which side of the threshold "
                "(the separatrix) the tumour is on.",
                "Yes: small and medium tumours stimulate enough effector cells and settle into "
                "dormancy; large ones overwhelm the effectors and escape.",
                correct=True,
            ),
            Option(
                "The large tumour must have different growth and killing rates.",
                "Both runs use the same rates. The point of bistability is that the rates alone "
                "do not fix the outcome: where the tumour starts does.",
            ),
            Option(
                "The small tumour is eliminated, because the tumour-free state is stable.",
                "With the published rates the tumour-free state is unstable: even a single "
                "surviving tumour cell grows. The small tumour ends dormant, held in check, not "
                "eliminated.",
            ),
        ),
        source=("kuznetsov1994",),
        model=True,
    ),
    Question(
        "In the model, what happens as the supply s of effector cells is raised step by step "
        "from the published value?",
        (
            Option(
                "The escape tumour grows larger, because there are more effector cells for it "
                "to switch off.",
                "More supply helps the immune side: the escape state and the saddle slide "
                "towards each other and, above a certain supply, vanish together.",
            ),
            Option(
                "The dormant tumour shrinks, then the escape state disappears, and at the "
                "highest supplies the tumour-free state becomes stable.",
                "Right: more effector cells move the balance point to smaller tumours, then "
                "every tumour ends dormant however large it starts, and finally the resting "
                "effector cells kill tumour cells faster than they divide.",
                correct=True,
            ),
            Option(
                "Nothing changes until one threshold, where every tumour is suddenly eliminated.",
                "There are several changes, not one: the dormant tumour shrinks first, the "
                "escape state disappears next, and only then does elimination become certain.",
            ),
        ),
        source=("kuznetsov1994",),
        model=True,
    ),
    Question(
        "Which of these is a fair use of the Kuznetsov model's numbers?",
        (
            Option(
                "Telling a patient that a tumour smaller than the model's threshold will stay "
                "dormant.",
                "The rates were estimated for one mouse lymphoma (BCL1) in chimeric mice. They "
                "are not human values and do not describe any person's cancer.",
            ),
            Option(
                "Showing that tumours evolve new disguises during an immune attack.",
                "The model cannot show this: its killing and switching-off rates n and m are "
                "fixed, so the tumour cannot evolve new disguises.",
            ),
            Option(
                "Showing how thresholds and stable states work, as a thinking tool.",
                "Yes: the numbers are outputs of a mouse-based model, chosen to teach how "
                "thresholds and stable states work. The model also leaves out space, other "
                "immune cells and chance.",
                correct=True,
            ),
        ),
        source=("kuznetsov1994",),
        model=True,
    ),
]
