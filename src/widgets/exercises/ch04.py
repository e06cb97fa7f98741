"""Exercises of chapter 4, "Adoptive cell therapy and CAR-T" (answers computed from the
models in :mod:`widgets.models.cart`)."""

from __future__ import annotations

from ..checks import Exercise, register
from ..models import cart

#: CAR-T doses (cells) tried in exercise 4.2, without a rechallenge.
DOSE_GRID = (1e5, 2e5, 3e5, 5e5, 1e6, 2e6)


def _ex41() -> dict:
    s = cart.kinetics_summary()
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
        quantity={"doubling time": "the doubling time during expansion",
                  "fast half-life": "the half-life of the fast decline",
                  "slow half-life": "the half-life of the slow decline"},
        unit={"doubling time": "days", "fast half-life": "days", "slow half-life": "days"},
        solution=_ex41,
        hint="Expansion grows as exp(rho t) with rho = ln(foldx)/Tmax, so the doubling time is "
        "ln 2 / rho; each decline phase exp(-k t) halves in ln 2 / k days (k = alpha or beta). "
        "cart.kinetics_summary() gives all three.",
        rtol=0.02,
    )
)

register(
    Exercise(
        id="4.2",
        quantity={"smallest curing dose": "the smallest dose that cures",
                  "outcome at 3e5 cells": "the outcome at 3e5 CAR-T cells"},
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
        quantity={"outcome without memory": "the outcome with epsilon = 0",
                  "tumour cells on the last day": "the tumour on day 500 with epsilon = 0",
                  "outcome with memory": "the outcome at the published parameters"},
        unit={"outcome without memory": "", "tumour cells on the last day": "cells",
              "outcome with memory": ""},
        solution=_ex43,
        hint="cart.summary(epsilon=0.0) runs the default scenario (rechallenge on day 250) "
        "without memory formation; read 'outcome' and 'tumour_end'. Compare with "
        "cart.summary() at the published parameters.",
        rtol=0.05,
    )
)
