"""Exercises of chapter 5 (the Kirschner & Panetta 1998 tumour–effector–IL-2 model).

Every answer is computed from :mod:`widgets.models.kirschner`.
"""

from __future__ import annotations

from ..checks import Exercise, register


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
