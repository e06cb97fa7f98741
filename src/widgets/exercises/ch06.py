"""Exercises of chapter 6, "Cancer vaccines" (answers computed from the models)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..models import neoantigen as neo
from ..models import vaccine as vac

#: Vaccine boosts tried in exercise 6.3.
BOOST_GRID = np.round(np.arange(0.0, 3.0001, 0.25), 2)
RESPONSE = ("partial response", "complete response")


def _ex61() -> dict:
    s = neo.summary(mutations=100)
    return {
        "expected immunogenic": round(s["expected_immunogenic"], 3),
        "probability": round(s["p_at_least_one"], 3),
    }


def mutations_for_even_chance(hla_alleles: int) -> int:
    """Mutations needed for a 50% chance of at least one immunogenic neoantigen."""
    p = neo.PARAMS.resolve({"hla_alleles": hla_alleles})
    f = neo.presented_fraction(p["per_allele"], hla_alleles)
    return int(neo.mutations_needed(0.5, f, p["immunogenic"]))


def _ex62() -> dict:
    return {"6 alleles": mutations_for_even_chance(6), "3 alleles": mutations_for_even_chance(3)}


def smallest_responding_boost(arm: str, **fixed):
    """Smallest boost on :data:`BOOST_GRID` giving PR or CR in ``arm`` on the assessment day,
    or ``"none"`` if no boost on the grid does."""
    for b in BOOST_GRID:
        s = vac.summary(**{**fixed, "vaccine_boost": float(b)})
        if s.loc[arm, "recist_at_assessment"] in RESPONSE:
            return float(b)
    return "none"


def _ex63() -> dict:
    return {
        "with anti-PD-1": smallest_responding_boost("vaccine + anti-PD-1"),
        "vaccine alone": smallest_responding_boost("vaccine alone"),
        "vaccine alone, PD-L1 0.2": smallest_responding_boost("vaccine alone", pdl1=0.2),
    }


register(
    Exercise(
        id="6.1",
        quantity={
            "expected immunogenic": "the expected number of immunogenic neoantigens",
            "probability": "the probability of at least one immunogenic neoantigen",
        },
        unit={"expected immunogenic": "neoantigens", "probability": "(0-1)"},
        solution=_ex61,
        hint="f = 1 - (1 - 0.01)**6; the expected number is m*f*q and the probability "
             "1 - (1 - f*q)**m, with m = 100 and q = 0.1 (or use neo.summary(mutations=100)).",
        rtol=0.01,
    )
)

register(
    Exercise(
        id="6.2",
        quantity={
            "6 alleles": "the mutations needed with six distinct HLA alleles",
            "3 alleles": "the mutations needed with three distinct HLA alleles",
        },
        unit="mutations",
        solution=_ex62,
        hint="Solve 1 - (1 - f*q)**m >= 0.5 for the smallest whole m, with "
             "f = neo.presented_fraction(0.01, k); or use neo.mutations_needed(0.5, f, q).",
        rtol=0.0,
        atol=0.5,
    )
)

register(
    Exercise(
        id="6.3",
        quantity={
            "with anti-PD-1": "the smallest boost giving a response with anti-PD-1",
            "vaccine alone": "the smallest boost giving a response with the vaccine alone "
                             "('none' if none on the grid does)",
            "vaccine alone, PD-L1 0.2": "the smallest boost giving a response with the vaccine "
                                        "alone when PD-L1 is 0.2",
        },
        unit="×",
        solution=_ex63,
        hint="Loop over vaccine_boost = 0, 0.25, ..., 3 and read "
             "vac.summary(vaccine_boost=b).loc[arm, 'recist_at_assessment']; answer 'none' "
             "if no boost gives a partial or complete response.",
        rtol=0.0,
        atol=0.001,
    )
)
