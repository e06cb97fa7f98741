"""The checkpoint model as a virtual trial: who the virtual patients are, and how each is judged.

A trial does not watch a tumour continuously: it scans every few weeks and reads each scan with
RECIST 1.1. :func:`checkpoint_patient` runs the checkpoint model of chapter 3
(:mod:`widgets.models.checkpoint`) for one virtual patient and reads it at scans every
:data:`SCAN_EVERY` days (:func:`widgets.models.recist.summarise_trajectory`);
:func:`distributions` says how the patients of chapter 10 differ, and :func:`virtual_cohort`
runs them through :func:`widgets.cohort.simulate_cohort`. Chapter 8's cohort
(:mod:`widgets.models.microbiome`) is judged the same way.

Every distribution here is illustrative (a modeller's choice, not measured), and every number a
virtual cohort gives is model output, not patient data. No plotting code is imported here.
"""

from __future__ import annotations

import pandas as pd

from .. import cohort
from . import checkpoint, recist

__all__ = [
    "SCAN_EVERY",
    "distributions",
    "checkpoint_patient",
    "checkpoint_patients",
    "virtual_cohort",
]

#: Scan interval of the virtual trial (days): an illustrative choice (every 8 weeks).
SCAN_EVERY = 56


def distributions() -> dict:
    """How the virtual patients of chapter 10 differ (illustrative distributions)."""
    return {
        "infiltration": cohort.LogNormal(median=0.5, sigma=0.8, hi=3.0),
        "pdl1": cohort.Beta(a=2.0, b=2.0),
        "growth_rate": cohort.Uniform(0.005, 0.02),
    }


def checkpoint_patient(params: dict) -> dict:
    """One virtual patient: the checkpoint model judged by RECIST 1.1 at scans every
    :data:`SCAN_EVERY` days, as :func:`widgets.cohort.run` expects."""
    p = checkpoint.PARAMS.resolve(params)
    df = checkpoint.simulate(**p)
    return recist.summarise_trajectory(
        df["t"].to_numpy(), df["diameter"].to_numpy(), p["diameter0"], scan_every=SCAN_EVERY
    )


def checkpoint_patients(params_list: list[dict]) -> list[dict]:
    """:func:`checkpoint_patient` for many patients at once (the cohort's batch mode): the
    patients with the same simulated time are integrated together as one stacked system
    (:func:`widgets.models.checkpoint.simulate_many`)."""
    ps = [checkpoint.PARAMS.resolve(params) for params in params_list]
    groups: dict[float, list[int]] = {}
    for i, p in enumerate(ps):
        groups.setdefault(float(p["horizon"]), []).append(i)
    out: list[dict | None] = [None] * len(ps)
    for idx in groups.values():
        run = checkpoint.simulate_many([ps[i] for i in idx])
        summaries = recist.summarise_many(
            run["t"], run["diameter"], run["diameter0"], scan_every=SCAN_EVERY
        )
        for i, summ in zip(idx, summaries):
            out[i] = summ
    return out


def virtual_cohort(n: int = 60, seed: int = 10, **fixed) -> pd.DataFrame:
    """``n`` virtual patients (seeded) run through :func:`checkpoint_patient`; ``fixed`` sets
    checkpoint parameters for all (for example ``n_doses=0`` for the same patients
    untreated)."""
    label = "untreated" if fixed.get("n_doses") == 0 else "anti-PD-1"
    return cohort.simulate_cohort(
        checkpoint_patient,
        distributions(),
        n=n,
        seed=seed,
        fixed=fixed,
        label=label,
        batch=checkpoint_patients,
    )
