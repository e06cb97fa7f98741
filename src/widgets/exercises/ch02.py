"""Exercises of chapter 2 (the Kuznetsov et al. 1994 tumour–effector model).

Every answer is computed from :mod:`widgets.models.kuznetsov`.
"""

from __future__ import annotations

from ..checks import Exercise, register


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
