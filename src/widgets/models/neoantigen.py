"""Neoantigens: from a tumour's mutations to the chance that T cells can see at least one.

A counting model with three stated assumptions. A tumour carries ``m`` nonsynonymous
(protein-changing) mutations. Each one, independently of the others,

1. yields a peptide that is **presented** on the patient's HLA class I molecules with
   probability ``f``. A person has up to six classical HLA class I alleles (two each of HLA-A,
   -B and -C; Chowell et al. 2018, Science 359:582, doi:10.1126/science.aao4572). If each
   distinct allele presents a given mutation's peptide independently with probability ``a``
   (``per_allele``), then with ``k`` distinct alleles ``f = 1 - (1 - a)^k``;
2. is **immunogenic**, once presented, with probability ``q``: some T cell of the patient
   recognises it and can respond.

So each mutation gives a recognisable neoantigen with probability ``p = f q``, the number
``K`` of immunogenic neoantigens is binomial, ``K ~ Binomial(m, f q)``, and

* the expected number is ``E[K] = m f q`` (presented: ``m f``);
* the chance of at least one is ``P(K >= 1) = 1 - (1 - f q)^m``, close to the Poisson
  approximation ``1 - exp(-m f q)`` when ``f q`` is small.

What is illustrative: ``a`` and ``q`` are round numbers chosen for teaching, not measured
values (the chapter compares ``q`` with what Ott et al. 2017 observed for vaccine peptides,
which measures a related but different thing). Independence between mutations and between
alleles is an assumption; real peptides compete for presentation, and real alleles overlap in
what they bind. The numerics import no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ..params import Param, ParamTable

__all__ = [
    "PARAMS",
    "MUTATION_GRID",
    "presented_fraction",
    "probability_at_least_one",
    "expected_immunogenic",
    "mutations_needed",
    "count_distribution",
    "simulate",
    "summary",
    "monte_carlo",
    "TMB_PARAMS",
    "p_neoantigen_by_tmb",
]

PARAMS = ParamTable(
    [
        Param(
            "mutations",
            100,
            "mutations",
            1,
            5000,
            "nonsynonymous mutations; protein-changing mutations in the tumour",
            "illustrative",
            kind="int",
            log=True,
            symbol="m",
        ),
        Param(
            "per_allele",
            0.01,
            "0-1",
            0.0,
            0.2,
            "presentation per HLA allele; chance that one HLA class I allele presents a "
            "peptide from a given mutation (illustrative)",
            "illustrative",
            step=0.001,
            symbol="a",
        ),
        Param(
            "hla_alleles",
            6,
            "alleles",
            1,
            6,
            "distinct HLA class I alleles; up to six: two each of HLA-A, -B and -C",
            "chowell2018",
            kind="int",
            step=1,
            symbol="k",
        ),
        Param(
            "immunogenic",
            0.1,
            "0-1",
            0.0,
            1.0,
            "immunogenic share; chance that a presented neoantigen is recognised by "
            "T cells (illustrative)",
            "illustrative",
            step=0.01,
            symbol="q",
        ),
    ]
)

#: Mutation counts at which :func:`simulate` evaluates the curves (log-spaced, whole numbers).
MUTATION_GRID = np.unique(np.round(np.geomspace(1, 5000, 160)).astype(int))


def presented_fraction(per_allele: float, hla_alleles: int) -> float:
    """``f = 1 - (1 - a)^k``: chance that a mutation's peptide is presented by at least one of
    ``k`` distinct HLA alleles, each presenting it independently with probability ``a``."""
    return 1.0 - (1.0 - float(per_allele)) ** int(hla_alleles)


def probability_at_least_one(m, f, q):
    """``1 - (1 - f q)^m``: chance of at least one immunogenic neoantigen (exact binomial)."""
    m = np.asarray(m, dtype=float)
    p = float(f) * float(q)
    if p >= 1.0:
        return np.where(m >= 1, 1.0, 0.0)
    # log1p/expm1 keep small probabilities accurate
    return -np.expm1(m * np.log1p(-p))


def expected_immunogenic(m, f, q):
    """``m f q``: expected number of immunogenic neoantigens."""
    return np.asarray(m, dtype=float) * float(f) * float(q)


def mutations_needed(target: float, f: float, q: float) -> float:
    """Smallest whole number of mutations for which ``P(K >= 1) >= target`` (``inf`` if never)."""
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must lie strictly between 0 and 1; got {target!r}")
    p = float(f) * float(q)
    if p <= 0.0:
        return math.inf
    if p >= 1.0:
        return 1.0
    ratio = math.log1p(-target) / math.log1p(-p)
    if not math.isfinite(ratio) or ratio > 1e15:
        return math.inf  # a probability so small that no realistic tumour reaches the target
    return float(max(math.ceil(ratio - 1e-12), 1))


def count_distribution(m: int, f: float, q: float, k_max: int = 10) -> pd.DataFrame:
    """``P(K = k)`` for ``k = 0 .. k_max`` (the last row is ``P(K >= k_max)``)."""
    k = np.arange(k_max + 1)
    pmf = stats.binom.pmf(k, int(m), float(f) * float(q))
    pmf[-1] = stats.binom.sf(k_max - 1, int(m), float(f) * float(q))
    return pd.DataFrame({"k": k, "probability": pmf})


def simulate(**params) -> pd.DataFrame:
    """The curves over :data:`MUTATION_GRID` at the given presentation and immunogenicity.

    Every argument is a parameter of :data:`PARAMS` (``mutations`` does not change the
    curves; it marks the point :func:`summary` reads). Columns: ``mutations``,
    ``presented`` (expected number ``m f``), ``immunogenic`` (expected ``m f q``),
    ``p_at_least_one`` (exact) and ``p_poisson`` (``1 - exp(-m f q)``).
    """
    p = PARAMS.resolve(params)
    f = presented_fraction(p["per_allele"], p["hla_alleles"])
    q = p["immunogenic"]
    m = MUTATION_GRID.astype(float)
    lam = expected_immunogenic(m, f, q)
    return pd.DataFrame(
        {
            "mutations": MUTATION_GRID,
            "presented": m * f,
            "immunogenic": lam,
            "p_at_least_one": probability_at_least_one(m, f, q),
            "p_poisson": -np.expm1(-lam),
        }
    )


def summary(**params) -> dict:
    """Key numbers at the parameters' mutation count ``m``."""
    p = PARAMS.resolve(params)
    f = presented_fraction(p["per_allele"], p["hla_alleles"])
    q, m = p["immunogenic"], p["mutations"]
    return {
        "presented_fraction": f,
        "expected_presented": m * f,
        "expected_immunogenic": float(expected_immunogenic(m, f, q)),
        "p_at_least_one": float(probability_at_least_one(m, f, q)),
        "p_poisson": float(-math.expm1(-m * f * q)),
        "mutations_for_half": mutations_needed(0.5, f, q),
    }


def monte_carlo(n_patients: int = 10_000, seed: int = 0, **params) -> pd.DataFrame:
    """Simulated patients, one row each: mutations drawn one by one (seeded).

    ``presented ~ Binomial(m, f)`` and, of those, ``immunogenic ~ Binomial(presented, q)``,
    which is the same as ``Binomial(m, f q)``: a check on the closed form.
    """
    if (
        isinstance(n_patients, bool)
        or not isinstance(n_patients, (int, np.integer))
        or not (1 <= n_patients <= 10_000_000)
    ):
        raise ValueError(f"n_patients must be a whole number in [1, 10000000]; got {n_patients!r}")
    p = PARAMS.resolve(params)
    f = presented_fraction(p["per_allele"], p["hla_alleles"])
    rng = np.random.default_rng(seed)
    presented = rng.binomial(p["mutations"], f, size=int(n_patients))
    immunogenic = rng.binomial(presented, p["immunogenic"])
    return pd.DataFrame({"presented": presented, "immunogenic": immunogenic})


# -- mutational burden as a biomarker (chapter 10) --------------------------------------------

#: The biomarker explorer: megabases (illustrative) plus the neoantigen model's own parameters.
TMB_PARAMS = ParamTable(
    [
        Param(
            "megabases",
            30.0,
            "Mb",
            1.0,
            60.0,
            "megabases counted; sequence over which the mutational burden is measured "
            "(illustrative)",
            "illustrative",
            step=1.0,
            symbol="L",
        ),
        PARAMS["per_allele"],
        PARAMS["hla_alleles"],
        PARAMS["immunogenic"],
    ]
)


def p_neoantigen_by_tmb(tmb, megabases: float, f: float, q: float) -> np.ndarray:
    """Chance of at least one recognisable neoantigen for a burden of ``tmb`` mutations per
    megabase over ``megabases`` megabases: ``m = tmb * megabases`` mutations, then
    :func:`probability_at_least_one`."""
    m = np.asarray(tmb, dtype=float) * float(megabases)
    return probability_at_least_one(m, f, q)
