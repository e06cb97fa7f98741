"""Exercises of chapter 4, "Adoptive cell therapy and CAR-T" (answers computed from the
models in :mod:`widgets.models.cart`)."""

from __future__ import annotations

from ..checks import Exercise, register
from ..models import cart, cart_kinetics
from ..quiz import Option, Question

#: CAR-T doses (cells) tried in exercise 4.2, without a rechallenge.
DOSE_GRID = (1e5, 2e5, 3e5, 5e5, 1e6, 2e6)


def _ex41() -> dict:
    s = cart_kinetics.summary()
    return {
        "doubling time": round(s["doubling_time"], 2),
        "fast half-life": round(s["fast_half_life"], 1),
        "slow half-life": round(s["slow_half_life"], 0),
    }


def smallest_curing_dose(doses=DOSE_GRID, **fixed) -> float:
    """The smallest dose in ``doses`` whose outcome is "cure" (no rechallenge)."""
    for d in doses:
        if cart.outcome(**{"challenge_cells": 0.0, **fixed, "dose": d}) == "cure":
            return float(d)
    return float("nan")


def _ex42() -> dict:
    return {
        "smallest curing dose": smallest_curing_dose(),
        "outcome at 3e5 cells": cart.outcome(dose=3e5, challenge_cells=0.0),
    }


def _ex43() -> dict:
    s = cart.summary(epsilon=0.0)
    return {
        "outcome without memory": s["outcome"],
        "tumour cells on the last day": s["tumour_end"],
        "outcome with memory": cart.outcome(),
    }


register(
    Exercise(
        id="4.1",
        quantity={
            "doubling time": "the doubling time during expansion",
            "fast half-life": "the half-life of the fast decline",
            "slow half-life": "the half-life of the slow decline",
        },
        unit={"doubling time": "days", "fast half-life": "days", "slow half-life": "days"},
        solution=_ex41,
        hint="Expansion grows as exp(rho t) with rho = ln(foldx)/Tmax, so the doubling time is "
        "ln 2 / rho; each decline phase exp(-k t) halves in ln 2 / k days (k = alpha or beta). "
        "cart_kinetics.summary() gives all three.",
        rtol=0.02,
    )
)

register(
    Exercise(
        id="4.2",
        quantity={
            "smallest curing dose": "the smallest dose that cures",
            "outcome at 3e5 cells": "the outcome at 3e5 CAR-T cells",
        },
        unit={"smallest curing dose": "cells", "outcome at 3e5 cells": ""},
        solution=_ex42,
        hint="Loop over the doses with cart.outcome(dose=d, challenge_cells=0.0) and take the "
        "first that returns 'cure'; the outcome is one of 'cure', 'control', 'relapse', "
        "'progression'.",
        rtol=0.001,
    )
)

register(
    Exercise(
        id="4.3",
        quantity={
            "outcome without memory": "the outcome with epsilon = 0",
            "tumour cells on the last day": "the tumour on day 500 with epsilon = 0",
            "outcome with memory": "the outcome at the published parameters",
        },
        unit={
            "outcome without memory": "",
            "tumour cells on the last day": "cells",
            "outcome with memory": "",
        },
        solution=_ex43,
        hint="cart.summary(epsilon=0.0) runs the default scenario (rechallenge on day 250) "
        "without memory formation; read 'outcome' and 'tumour_end'. Compare with "
        "cart.summary() at the published parameters.",
        rtol=0.05,
    )
)


def _ex44() -> dict:
    import math

    from scipy.stats import norm

    lo, hi = cart_kinetics.peak_range(0.90)
    sd = math.sqrt(cart_kinetics.CMAX_OMEGA2)
    return {
        "fold range": hi / lo,
        "share above twice typical": float(norm.sf(math.log(2.0) / sd)),
    }


register(
    Exercise(
        id="4.4",
        quantity={
            "fold range": "how many times the peak at the top of the central 90% range is the "
            "peak at its bottom",
            "share above twice typical": "the share of patients whose peak is more than twice "
            "the typical peak",
        },
        unit={"fold range": "times", "share above twice typical": "fraction (0 to 1)"},
        solution=_ex44,
        hint="cart_kinetics.peak_range(0.90) gives the two ends of the range; divide them. The "
        "log of the peak is normal with standard deviation sqrt(cart_kinetics.CMAX_OMEGA2), so "
        "the share above twice the typical peak is norm.sf(log(2) / sd) (scipy.stats.norm).",
        rtol=0.01,
        atol=0.002,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "Why have CAR-T cells been much less successful against solid tumours than against "
        "B-cell cancers?",
        (
            Option(
                "The infused cells cannot leave the blood to reach a solid tumour.",
                "In the EGFRvIII trial in glioblastoma the cells expanded in the blood and "
                "reached the tumour, so trafficking was possible. It is one obstacle, but not "
                "the only one.",
            ),
            Option(
                "Solid tumours carry no surface proteins that a CAR could recognise.",
                "The glioblastoma trial targeted EGFRvIII, a mutant protein on some "
                "glioblastomas. The trouble was that it was present on some tumour cells and "
                "not others.",
            ),
            Option(
                "Uneven targets, the journey into the tumour and a suppressive "
                "microenvironment all work against them.",
                "Yes: in the EGFRvIII trial the target had decreased in five of the seven "
                "tumours examined afterwards, and the surroundings pushed back with more "
                "inhibitory molecules and regulatory T cells.",
                correct=True,
            ),
        ),
        source=("orourke2017",),
    ),
    Question(
        "In the kinetic model of CAR-T levels in the blood, which change would make the "
        "persisting cells last twice as long?",
        (
            Option(
                "Halve the slow decline rate β.",
                "Right: each phase is an exponential, so its half-life is ln 2 divided by its "
                "rate. Halving β doubles the half-life of the slow phase.",
                correct=True,
            ),
            Option(
                "Double the persisting fraction F_B.",
                "Raising F_B raises the level of the tail, but not how long it takes to halve.",
            ),
            Option(
                "Double the fast decline rate α.",
                "α sets the fast fall just after the peak; changing it leaves the half-life of "
                "the slow tail unchanged.",
            ),
        ),
        source=("stein2019",),
        model=True,
    ),
    Question(
        "In the CARTmath model, the memory formation rate ε is set to zero, and the tumour is "
        "injected again on day 250. What happens?",
        (
            Option(
                "The first tumour is no longer cleared.",
                "The first tumour meets two million freshly infused effector cells, enough to "
                "clear it in a few days whether or not memory forms.",
            ),
            Option(
                "The first tumour is still cleared, but the second grows unopposed, because no "
                "memory cells are left to be reactivated.",
                "Yes: effectors fade once the tumour is gone, and only memory cells carry the "
                "protection forward. This is the model's version of why lasting remissions "
                "depend on cells that persist.",
                correct=True,
            ),
            Option(
                "Nothing changes, because the infused effector cells stay in the body for good.",
                "In this fitted set the effector cells do not multiply on balance and fade once "
                "the tumour is gone; without memory nothing is left on day 250.",
            ),
        ),
        source=("barros2021",),
        model=True,
    ),
    Question(
        "The chapter draws the risk of severe cytokine release syndrome rising with the peak "
        "CAR-T level. Which part of that picture is measured?",
        (
            Option(
                "The spread of peak levels between patients; the shape of the risk curve is "
                "invented.",
                "Right: the spread of peaks comes from the kinetic model fitted to patients, "
                "but the curve's two parameters are invented. The shape carries the message: an "
                "average rate hides a few patients at high risk, those whose cells expand "
                "most.",
                correct=True,
            ),
            Option(
                "The whole curve, which was fitted to the ZUMA-1 trial.",
                "ZUMA-1 gives one overall rate of severe CRS. The curve's two parameters (the "
                "peak at which the risk is one half, and how steeply it rises) are invented.",
            ),
            Option(
                "Nothing: both the peaks and the curve are invented.",
                "The spread of peaks is not invented: in the kinetic model, patients' peaks "
                "vary log-normally around the typical 24,000 copies/µg.",
            ),
        ),
        source=("stein2019",),
        model=True,
    ),
]
