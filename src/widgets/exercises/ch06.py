"""Exercises of chapter 6, "Cancer vaccines" (answers computed from the models)."""

from __future__ import annotations

import numpy as np

from ..checks import Exercise, register
from ..models import neoantigen as neo
from ..models import vaccine as vac
from ..quiz import Option, Question

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

#: Incidence rate ratios of invasive cervical cancer, vaccinated against unvaccinated, with
#: their 95% intervals (Lei et al. 2020, lei2020): all vaccinated, and vaccinated before 17.
HPV_IRR = {"all": (0.37, 0.21, 0.57), "before 17": (0.12, 0.00, 0.34)}


def rate_reduction(ratio: float) -> int:
    """A rate ratio as a reduction of the rate, in whole percent: 0.37 -> 63."""
    return round(100 * (1 - ratio))


def _ex64() -> dict:
    ratio, lower, upper = HPV_IRR["all"]
    return {
        "reduction": rate_reduction(ratio),
        "lower": rate_reduction(upper),
        "upper": rate_reduction(lower),
        "reduction before 17": rate_reduction(HPV_IRR["before 17"][0]),
    }


register(
    Exercise(
        id="6.4",
        quantity={
            "reduction": "the reduction in the rate of invasive cervical cancer with vaccination",
            "lower": "the lower end of the reduction's 95% interval",
            "upper": "the upper end of the reduction's 95% interval",
            "reduction before 17": "the reduction among girls vaccinated before the age of 17",
        },
        unit="%",
        solution=_ex64,
        hint="A rate ratio r is a reduction of 100 * (1 - r) percent; the interval's upper "
        "ratio (0.57) gives the smallest reduction.",
        rtol=0.0,
        atol=1.0,
    )
)

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "How does the HPV vaccine protect against cervical cancer?",
        (
            Option(
                "It trains T cells to find and kill cervical cancer cells that are already there.",
                "That would be a therapeutic vaccine. The HPV vaccine is preventive and does "
                "not target cancer cells at all.",
            ),
            Option(
                "It is built from the mutations of each woman's own tumour.",
                "That describes a personalised neoantigen vaccine for an existing cancer. The "
                "HPV vaccine is given to healthy people, before any cancer exists.",
            ),
            Option(
                "Given to healthy people, it prevents the viral infection that could cause the "
                "cancer years later.",
                "Yes: it is a preventive vaccine. In the Swedish registry study the effect was "
                "largest where vaccination came earliest, before most infections happen.",
                correct=True,
            ),
        ),
        source=("lei2020",),
    ),
    Question(
        "With the neoantigen model's default values, a tumour is expected to carry 0.59 "
        "immunogenic neoantigens. How likely is it to have none?",
        (
            Option(
                "Unlikely, because 0.59 is more than one half.",
                "The expected number and the chance of none are different things: tumours with "
                "two or three targets pull the average up, while most tumours have none.",
            ),
            Option(
                "More likely than not: the chance of at least one is only 44.4%.",
                "Right: with 0.59 expected targets, more than half of such tumours have none. "
                "These are illustrative outputs, since two of the model's probabilities are "
                "chosen for teaching.",
                correct=True,
            ),
            Option(
                "Impossible to say: the model gives only the average number.",
                "The model gives more than the average: the count follows a binomial "
                "distribution, so the chance of at least one target can be computed, and it "
                "is 44.4%.",
            ),
        ),
        model=True,
    ),
    Question(
        "In the chapter's model tumour (high PD-L1, few T cells arriving), the vaccine alone "
        "hardly helps, but the vaccine with anti-PD-1 gives a partial response. Why?",
        (
            Option(
                "The vaccine supplies more primed T cells, and the antibody releases the PD-L1 "
                "brake that would otherwise switch most of them off.",
                "Yes: each treatment removes a different obstacle, and this tumour had both. "
                "Where the brake is weak, the model's vaccine alone can work.",
                correct=True,
            ),
            Option(
                "Anti-PD-1 alone would have done just as well; the vaccine adds nothing.",
                "Anti-PD-1 alone gave stable disease on day 168 and then progression: the brake "
                "was released, but few T cells were there to release.",
            ),
            Option(
                "The vaccine can only prime T cells while anti-PD-1 is in the blood.",
                "In the model the vaccine raises priming on its own. The problem is that with "
                "PD-L1 at 0.8 the brake switches off most of the extra T cells' activity.",
            ),
        ),
        model=True,
    ),
    Question(
        "In its phase III trial, the viral-vector vaccine PROSTVAC had a hazard ratio for death of "
        "1.01 (95% CI 0.84 to 1.20) against placebo. How should it be read?",
        (
            Option(
                "It proves that the vaccine has no effect at all on survival.",
                "The best estimate is no effect, but the interval is compatible with anything "
                "from a 16% lower to a 20% higher death rate: small effects are not ruled out.",
            ),
            Option(
                "It shows that the vaccine is harmful, because the interval goes above 1.",
                "The interval reaches above 1 and below 1 alike; an interval that straddles 1 "
                "shows neither benefit nor harm.",
            ),
            Option(
                "No evidence of a survival benefit: the estimate is close to 1 and the interval "
                "straddles 1, although an earlier phase II trial had looked promising.",
                "Right: the phase II trial had suggested 8.5 months longer median survival, but "
                "the larger trial did not confirm it and was stopped early for futility. "
                "Promising phase II results need confirmation.",
                correct=True,
            ),
        ),
        source=("gulley2019",),
    ),
]
