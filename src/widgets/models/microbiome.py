"""Gut microbiome effects on checkpoint blockade: commensals -> T-cell priming -> tumour.

Patients whose tumours responded to anti-PD-1 carried more of some gut bacteria than those
whose tumours did not: *Akkermansia muciniphila* (Routy et al. 2018, Science 359:91), bacteria
of the Ruminococcaceae family (Gopalakrishnan et al. 2018, Science 359:97) and
*Bifidobacterium longum* among others (Matson et al. 2018, Science 359:104); antibiotics
around the start of treatment went with worse outcomes (Routy 2018; pooled by Xu et al. 2020,
Crit Rev Oncol Hematol 149:102909), and faecal microbiota transplants (FMT) from responders
were followed by responses in some anti-PD-1-refractory patients (Baruch et al. 2021, Davar
et al. 2021, Science 371). This module is a small, **illustrative** model of that chain:

1. **Commensals.** ``a(t)``, the relative abundance (0-1) of the beneficial commensals, with
   ``t`` in days since the first anti-PD-1 infusion. It regrows towards the patient's own set
   point ``S`` (logistic regrowth at rate ``regrowth``) and is killed at rate ``abx_kill``
   while an antibiotic course lasts (from ``abx_start`` for ``abx_days`` days)::

       da/dt = g a (1 - a/S) - k_abx [course on] a

   solved exactly, phase by phase (a Bernoulli equation). Before any intervention ``a`` sits
   at ``S = commensals``.
2. **FMT.** On ``fmt_day`` (if ``fmt``) a share ``engraftment`` of the community is replaced by
   the donor's: ``a -> e D + (1 - e) a`` and the set point ``S -> e D + (1 - e) S``, where
   ``D = donor_commensals`` (high for a responder donor, low for a non-responder donor).
3. **Priming.** The T-cell priming multiplier rises linearly with the commensals,
   ``m(t) = priming_low + (priming_high - priming_low) a(t)``, and multiplies the inflow of
   the checkpoint model (:mod:`widgets.models.checkpoint`, through its ``priming_fn``), which
   then gives T cells, tumour size and the RECIST category as in chapter 3.

Every number in this module is illustrative (a modelling choice, stated in the chapter);
the published results are beside the model in ``data/microbiome.csv``, not fitted by it.
:func:`simulate` returns the checkpoint model's DataFrame plus ``commensals`` and
``priming`` columns; :func:`patient_summary` is the per-patient function for the virtual
cohort (:mod:`widgets.cohort`); :data:`COHORT` states the cohort's distributions.
"""

from __future__ import annotations

import bisect
import math
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import cohort
from ..params import Param, ParamTable
from . import checkpoint, recist

__all__ = [
    "OWN_PARAMS",
    "PARAMS",
    "SCENARIOS",
    "COHORT",
    "COHORT_N",
    "COHORT_SEED",
    "SCAN_EVERY",
    "DONOR_RESPONDER",
    "DONOR_NONRESPONDER",
    "commensal_path",
    "priming_multiplier",
    "simulate",
    "summary",
    "patient_summary",
    "patient_summaries",
    "cohort_results",
]

#: Commensal level of a responder donor and of a non-responder donor (illustrative).
DONOR_RESPONDER = 0.9
DONOR_NONRESPONDER = 0.1

OWN_PARAMS = ParamTable(
    [
        Param(
            "commensals",
            0.5,
            "0-1",
            0.0,
            1.0,
            "patient's commensals; relative abundance of beneficial gut bacteria "
            "(the patient's own set point)",
            "illustrative",
            step=0.05,
            symbol="S",
        ),
        Param(
            "regrowth",
            0.05,
            "/day",
            0.005,
            0.5,
            "commensal regrowth rate; recovery after depletion",
            "illustrative",
            log=True,
            symbol="g",
        ),
        Param(
            "abx_days",
            0,
            "days",
            0,
            42,
            "antibiotic course length; 0 means no antibiotics",
            "illustrative",
            kind="int",
            step=1,
            symbol="L_{abx}",
        ),
        Param(
            "abx_start",
            -14,
            "days",
            -90,
            180,
            "antibiotic start; days relative to the first infusion (negative = before)",
            "illustrative",
            kind="int",
            step=1,
            symbol="t_{abx}",
        ),
        Param(
            "abx_kill",
            0.3,
            "/day",
            0.0,
            2.0,
            "antibiotic kill rate; loss rate of commensals during the course",
            "illustrative",
            step=0.05,
            symbol="k_{abx}",
        ),
        Param(
            "fmt",
            False,
            "",
            kind="bool",
            description="faecal microbiota transplant; given on the FMT day",
            source="illustrative",
            symbol="F",
        ),
        Param(
            "fmt_day",
            0,
            "days",
            -60,
            180,
            "FMT day; relative to the first infusion",
            "illustrative",
            kind="int",
            step=1,
            symbol="t_F",
        ),
        Param(
            "donor_commensals",
            DONOR_RESPONDER,
            "0-1",
            0.0,
            1.0,
            "donor's commensals; high for a responder donor, low for a non-responder",
            "illustrative",
            step=0.05,
            symbol="D",
        ),
        Param(
            "engraftment",
            0.7,
            "0-1",
            0.0,
            1.0,
            "engraftment; share of the community replaced by the donor's",
            "illustrative",
            step=0.05,
            symbol="e",
        ),
        Param(
            "priming_low",
            0.5,
            "×",
            0.0,
            2.0,
            "priming with no commensals; multiplier of T-cell inflow at a = 0",
            "illustrative",
            step=0.05,
            symbol="π_0",
        ),
        Param(
            "priming_high",
            1.5,
            "×",
            0.0,
            5.0,
            "priming with full commensals; multiplier of T-cell inflow at a = 1",
            "illustrative",
            step=0.05,
            symbol="π_1",
        ),
    ]
)

#: The microbiome parameters followed by every parameter of the checkpoint model.
PARAMS = ParamTable(list(OWN_PARAMS) + list(checkpoint.PARAMS))

#: Interventions a reader can set (illustrative settings, on top of anti-PD-1 at its defaults).
SCENARIOS: dict[str, dict] = {
    "no intervention": {},
    "antibiotics for 14 days, ending at the first infusion": {"abx_days": 14, "abx_start": -14},
    "antibiotics for 14 days, 90 days before": {"abx_days": 14, "abx_start": -90},
    "antibiotics for 14 days, from day 90": {"abx_days": 14, "abx_start": 90},
    "FMT from a responder donor": {"fmt": True, "donor_commensals": DONOR_RESPONDER},
    "FMT from a non-responder donor": {"fmt": True, "donor_commensals": DONOR_NONRESPONDER},
}


# -- commensals -----------------------------------------------------------------------------------
#: Abundances below this count as none (avoids overflow of g/S for vanishing set points).
_TINY = 1e-12


def _phases(p: dict, t_end: float) -> list[tuple[float, float, float, float]]:
    """Phases ``(start, a_start, set_point, kill)`` from the earliest event to ``t_end``."""
    events = []  # (time, kind)
    if p["abx_days"] > 0 and p["abx_kill"] > 0:
        events += [
            (float(p["abx_start"]), "abx on"),
            (float(p["abx_start"] + p["abx_days"]), "abx off"),
        ]
    if p["fmt"]:
        events.append((float(p["fmt_day"]), "fmt"))
    events.sort(key=lambda e: (e[0], e[1] != "abx off"))
    t0 = min([0.0] + [e[0] for e in events])
    a, s, kill, t = p["commensals"], p["commensals"], 0.0, t0
    phases = [(t, a, s, kill)]
    for time, kind in events:
        if time > t_end:
            break
        a = _advance(a, s, kill, p["regrowth"], time - t)
        t = time
        if kind == "abx on":
            kill = p["abx_kill"]
        elif kind == "abx off":
            kill = 0.0
        else:  # FMT: a share e of the community (and of its set point) is the donor's
            e, d = p["engraftment"], p["donor_commensals"]
            a = e * d + (1.0 - e) * a
            s = e * d + (1.0 - e) * s
        phases.append((t, a, s, kill))
    return phases


def _advance(a0: float, s: float, kill: float, g: float, tau: float) -> float:
    """Exact solution of ``da/dt = g a (1 - a/s) - kill a`` after time ``tau`` (>= 0) days.

    Pure ``math`` on scalars: the ODE solver of the checkpoint model calls it at every step.
    """
    if a0 <= _TINY or s <= _TINY:  # no commensals (or none to return to): they stay at 0
        return 0.0
    r = g - kill
    c = g / s
    if abs(r) < 1e-12:
        out = a0 / (1.0 + c * a0 * tau)
    else:
        x = r * tau
        if x > 700.0:  # exp overflow: the logistic has reached its set point
            out = r / c
        else:
            grow = math.exp(x)
            out = r * a0 * grow / (r + c * a0 * (grow - 1.0))
    return min(max(out, 0.0), 1.0)


def _advance_array(a0: float, s: float, kill: float, g: float, tau: np.ndarray) -> np.ndarray:
    """:func:`_advance` for an array of times (vectorised)."""
    if a0 <= _TINY or s <= _TINY:
        return np.zeros_like(tau)
    r = g - kill
    c = g / s
    if abs(r) < 1e-12:
        out = a0 / (1.0 + c * a0 * tau)
    else:
        x = r * tau
        grow = np.exp(np.minimum(x, 700.0))
        out = np.where(x > 700.0, r / c, r * a0 * grow / (r + c * a0 * (grow - 1.0)))
    return np.clip(out, 0.0, 1.0)


def commensal_path(t, **params) -> np.ndarray:
    """Commensal abundance ``a(t)`` (0-1) at days ``t`` (relative to the first infusion)."""
    return _commensal_path(t, PARAMS.resolve(params))


# The public functions validate their parameters once (PARAMS.resolve); the private ones below
# take the resolved dictionary and do not validate again.
def _commensal_path(t, p: dict) -> np.ndarray:
    t = np.atleast_1d(np.asarray(t, dtype=float))
    phases = _phases(p, float(np.max(t)))
    starts = np.array([ph[0] for ph in phases])
    which = np.maximum(np.searchsorted(starts, t, side="right") - 1, 0)
    out = np.empty_like(t)
    for j, (t0, a0, s, kill) in enumerate(phases):
        sel = which == j
        if sel.any():
            out[sel] = _advance_array(a0, s, kill, p["regrowth"], np.maximum(t[sel] - t0, 0.0))
    return out


def _advance_many_fn(a0, s, kill, g):
    """:func:`_advance` for arrays of patients (``a0``, ``s``, ``kill``, ``g``), as a function
    of the time ``tau`` (days): the same formula, branch by branch, with what does not depend
    on ``tau`` computed once."""
    none = (a0 <= _TINY) | (s <= _TINY)
    a0 = np.where(none, 0.0, a0)  # the formula then gives 0, as _advance does
    r = g - kill
    c = np.where(none, 0.0, g / np.where(none, 1.0, s))
    lin = np.abs(r) < 1e-12
    ra0, ca0 = r * a0, c * a0
    any_lin = bool(lin.any())
    r_safe = np.where(lin, 1.0, r)

    def advance(tau: float) -> np.ndarray:
        x = r * tau
        if any_lin or x.max() > 700.0:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                grow = np.exp(np.minimum(x, 700.0))
                out = np.where(
                    x > 700.0,
                    r / np.where(c > 0, c, 1.0),
                    ra0 * grow / (r_safe + ca0 * (grow - 1.0)),
                )
                out = np.where(lin, a0 / (1.0 + ca0 * tau), out)
                out = np.where(none, 0.0, out)
        else:
            grow = np.exp(x)
            out = ra0 * grow / (r + ca0 * (grow - 1.0))
        return np.minimum(np.maximum(out, 0.0), 1.0)

    return advance


def priming_multiplier(a, priming_low: float, priming_high: float):
    """``m = priming_low + (priming_high - priming_low) * a``."""
    return priming_low + (priming_high - priming_low) * np.asarray(a, dtype=float)


def _priming_fn(p: dict):
    """A fast scalar ``t -> m(t)`` for the checkpoint solver, and the days where it jumps."""
    phases = _phases(p, float(p["horizon"]))
    starts = [ph[0] for ph in phases]
    g, lo, hi = p["regrowth"], p["priming_low"], p["priming_high"]

    def fn(t: float) -> float:
        j = max(0, bisect.bisect_right(starts, t) - 1)
        t0, a0, s, kill = phases[j]
        return lo + (hi - lo) * _advance(a0, s, kill, g, max(t - t0, 0.0))

    breaks = [ph[0] for ph in phases[1:] if 0.0 < ph[0] < p["horizon"]]
    return fn, breaks


def _split(p: dict) -> dict:
    return {k: v for k, v in p.items() if k in checkpoint.PARAMS}


def simulate(**params) -> pd.DataFrame:
    """Run the microbiome model and the checkpoint model it drives.

    Every argument is a parameter of :data:`PARAMS` (the microbiome's own and the checkpoint
    model's). Returns the checkpoint DataFrame (see :func:`widgets.models.checkpoint.simulate`)
    with two more columns: ``commensals`` (0-1) and ``priming`` (the multiplier of the
    T-cell inflow, on top of the checkpoint model's constant ``priming``).
    """
    return _simulate(PARAMS.resolve(params))


def _simulate(p: dict) -> pd.DataFrame:
    fn, breaks = _priming_fn(p)
    cp_params = _split(p)
    constant = priming_multiplier(p["commensals"], p["priming_low"], p["priming_high"])
    lo, hi = checkpoint.PARAMS["priming"].lo, checkpoint.PARAMS["priming"].hi
    if len(_phases(p, float(p["horizon"]))) == 1 and lo <= p["priming"] * constant <= hi:
        # no intervention: the commensals stay at their set point, priming is constant
        df = checkpoint.simulate(**{**cp_params, "priming": float(p["priming"] * constant)})
    else:
        df = checkpoint.simulate(priming_fn=fn, priming_breaks=breaks, **cp_params)
    a = _commensal_path(df["t"].to_numpy(), p)
    df["commensals"] = a
    df["priming"] = priming_multiplier(a, p["priming_low"], p["priming_high"])
    return df


def summary(df: pd.DataFrame | None = None, **params) -> dict:
    """The checkpoint summary of a run, plus the commensals and priming at day 0 and their
    minimum over the first 12 weeks."""
    p = PARAMS.resolve(params)
    if df is None:
        df = _simulate(p)
    s = checkpoint.summary(df, **_split(p))
    early = df[df["t"] <= 84]
    s.update(
        commensals_day0=float(df["commensals"].iloc[0]),
        priming_day0=float(df["priming"].iloc[0]),
        commensals_min_12wk=float(early["commensals"].min()),
        priming_mean_12wk=float(early["priming"].mean()),
    )
    return s


# -- the virtual cohort ---------------------------------------------------------------------------
#: Patients of the virtual cohort and their illustrative parameter distributions.
COHORT: dict[str, cohort.Distribution] = {
    "infiltration": cohort.LogNormal(median=0.35, sigma=0.8, hi=3.0),
    "pdl1": cohort.Beta(a=4.0, b=2.0),
    "growth_rate": cohort.LogNormal(median=0.01, sigma=0.35, lo=0.002, hi=0.1),
    "diameter0": cohort.Uniform(20.0, 80.0),
    "commensals": cohort.Beta(a=2.0, b=2.0),
}
COHORT_N = 200
COHORT_SEED = 2018
#: Days between scans in the virtual trial (illustrative).
SCAN_EVERY = 42


def patient_summary(params: dict) -> dict:
    """The per-patient function of the virtual cohort: simulate, then judge at scans."""
    p = PARAMS.resolve(params)
    df = _simulate(p)
    return recist.summarise_trajectory(
        df["t"].to_numpy(),
        df["diameter"].to_numpy(),
        p["diameter0"],
        scan_every=SCAN_EVERY,
    )


def patient_summaries(params_list: list[dict]) -> list[dict]:
    """:func:`patient_summary` for many patients at once (the cohort's batch mode).

    Patients with the same simulated time and the same days of change in their commensals
    (antibiotics starting and ending, FMT) are integrated together as one stacked system
    (:func:`widgets.models.checkpoint.simulate_many`), with their priming multipliers
    computed for all of them at each time; each patient follows the same equations as in
    :func:`patient_summary`."""
    ps = [PARAMS.resolve(params) for params in params_list]
    groups: dict[tuple, list[int]] = {}
    phases = []
    for i, p in enumerate(ps):
        ph = _phases(p, float(p["horizon"]))
        phases.append(ph)
        groups.setdefault((float(p["horizon"]), tuple(x[0] for x in ph)), []).append(i)
    out: list[dict | None] = [None] * len(ps)
    for (horizon, starts), idx in groups.items():
        g = np.array([ps[i]["regrowth"] for i in idx])
        lo = np.array([ps[i]["priming_low"] for i in idx])
        span = np.array([ps[i]["priming_high"] for i in idx]) - lo
        st = list(starts)
        if len(st) == 1:  # no intervention: the commensals stay at their set points
            constant = lo + span * np.array([phases[i][0][2] for i in idx])

            def priming(t: float, constant=constant):
                return constant
        else:
            advance = [
                _advance_many_fn(*(np.array([phases[i][j][k] for i in idx]) for k in (1, 2, 3)), g)
                for j in range(len(st))
            ]

            def priming(t: float, lo=lo, span=span, st=st, advance=advance):
                j = max(0, bisect.bisect_right(st, t) - 1)
                return lo + span * advance[j](max(t - st[j], 0.0))

        breaks = [b for b in starts[1:] if 0.0 < b < horizon]
        run = checkpoint.simulate_many(
            [_split(ps[i]) for i in idx], priming=priming, priming_breaks=breaks
        )
        summaries = recist.summarise_many(
            run["t"], run["diameter"], run["diameter0"], scan_every=SCAN_EVERY
        )
        for i, summ in zip(idx, summaries):
            out[i] = summ
    return out


@lru_cache(maxsize=64)
def _cached(key: tuple, n: int, seed: int) -> pd.DataFrame:
    patients = cohort.sample_patients(COHORT, n, seed)
    return cohort.run(patient_summary, patients, fixed=dict(key), batch=patient_summaries)


def cohort_results(
    label: str = "", *, n: int = COHORT_N, seed: int = COHORT_SEED, **scenario
) -> pd.DataFrame:
    """The virtual cohort under one scenario (parameters of :data:`PARAMS` fixed for every
    patient on top of the drawn ones). Cached: the same call returns the same frame (copy)."""
    fixed = PARAMS.resolve(scenario)
    # only the non-default settings and the ones not drawn per patient define the run
    defaults = PARAMS.defaults()
    key = tuple(sorted((k, v) for k, v in fixed.items() if k not in COHORT and v != defaults[k]))
    out = _cached(key, int(n), int(seed)).copy()
    out["scenario"] = label
    return out
