"""Checkpoint blockade: anti-PD-1 dosing -> PD-1 occupancy -> released T-cell killing -> tumour.

A deliberately small model of how an anti-PD-1 antibody works, in four links:

1. **Pharmacokinetics.** Doses of ``dose`` mg/kg every ``interval`` days (``n_doses`` of them),
   each given as a quick intravenous infusion into one compartment of volume ``volume`` L and
   removed with half-life ``half_life`` days. By superposition,
   ``A(t) = sum_k dose*body_weight/volume * exp(-k_el (t - t_k))`` for doses at ``t_k <= t``,
   in mg/L (= µg/mL), with ``k_el = ln 2 / half_life``. The defaults approximate the nivolumab
   population-PK model of Bajaj et al. 2017 (CPT Pharmacometrics Syst Pharmacol 6:58-66,
   doi:10.1002/psp4.12143, Table 1, reference patient of 80 kg): clearance 9.4 mL/h and total
   volume Vc + Vp = 3.63 + 2.78 L give ``ln 2 (Vc + Vp) / CL`` = 19.7 days, inside the 12-20 day
   serum half-life that Brahmer et al. 2010 (J Clin Oncol 28:3167) measured.
2. **Receptor occupancy.** ``RO = A / (A + ec50)``, the share of PD-1 on T cells bound by the
   drug. ``ec50`` is *illustrative*: it is calibrated so that one dose anywhere in Brahmer's
   0.3-10 mg/kg range keeps occupancy above 70% for at least 60 days, as Brahmer observed.
3. **The brake.** ``B = pdl1 * (1 - RO)``: the share of T-cell activity switched off by PD-1
   meeting PD-L1. More PD-L1 on the tumour means a stronger brake; drug on PD-1 releases it.
   (A simplification in the spirit of Nikolopoulou et al. 2018, Lett Biomath 5(sup1):S137, where
   the PD-1/PD-L1 complex inhibits T-cell killing and anti-PD-1 binds PD-1.)
4. **Tumour and T cells** (V tumour volume in cm³, E T cells in the tumour, in relative units):

   ``dE/dt = s * priming * (1 + boost * ctla4(t)) + chi * delta * (1 - B) * E * V/(g + V) - delta * E``

   ``dV/dt = r * V * (1 - V/K) - k * (1 - B) * E * V/(h + V)``

   T cells arrive at a rate set by infiltration ``s`` and lymph-node ``priming`` (raised by the
   anti-CTLA-4 add-on while treatment lasts), expand when they meet tumour (unless braked) and
   die at rate ``delta``. The tumour grows logistically and is killed by unbraked T cells; the
   killing saturates in large tumours (a T cell can only kill so fast), which is why small
   tumours can be held in check by the same immune response that cannot stop a large one.
   Because ``chi < 1`` the T-cell number always stays below ``s*priming*(1+boost)/(delta*(1-chi))``.

**Time-varying priming (optional).** ``simulate(..., priming_fn=f)`` multiplies the T-cell
inflow by ``f(t)`` (``t`` in days since the first dose; ``f`` returns a finite, non-negative
number), so that another model, such as the gut-microbiome model of chapter 8
(:mod:`widgets.models.microbiome`), can raise or lower priming over time. The initial T cells
are then in balance with the priming at day 0, ``priming * f(0)``. ``priming_breaks`` lists the
days where ``f`` changes abruptly (the start or end of an antibiotic course, say): the solver
restarts there so that it cannot step over a short change. Without ``priming_fn`` the model is
exactly the constant-priming model above.

Outputs: :func:`simulate` returns a DataFrame with time ``t`` (days) and the antibody
concentration, occupancy, brake, T cells, tumour volume, lesion diameter and its % change
from baseline, and the RECIST 1.1 category at each time (see :mod:`widgets.models.recist`).
:func:`summary` gives the category at the assessment day, the best response and more.

Every tumour and T-cell parameter is **illustrative** (chosen to show the behaviours the
chapter teaches, not fitted to patients). The numerics import no plotting code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..params import Param, ParamTable
from . import ode, recist

__all__ = [
    "PARAMS",
    "SCENARIOS",
    "simulate",
    "summary",
    "recist_at",
    "concentration",
    "occupancy",
    "dose_times",
    "N_POINTS",
    "simulate_many",
]

#: Number of output time points (the horizon is split evenly).
N_POINTS = 301

PARAMS = ParamTable(
    [
        # -- dosing -----------------------------------------------------------------------
        Param(
            "dose",
            3.0,
            "mg/kg",
            0.0,
            10.0,
            "anti-PD-1 dose; each intravenous dose, per kg of body weight "
            "(Brahmer 2010 gave single doses of 0.3-10 mg/kg)",
            "brahmer2010",
            step=0.1,
            symbol="D",
        ),
        Param(
            "interval",
            14,
            "days",
            7,
            42,
            "dosing interval; days between doses (Topalian 2012 dosed every 2 weeks)",
            "topalian2012",
            kind="int",
            step=7,
            symbol="τ",
        ),
        Param(
            "n_doses",
            8,
            "doses",
            0,
            26,
            "number of doses; 0 means no treatment",
            "illustrative",
            kind="int",
            symbol="n",
        ),
        Param(
            "body_weight",
            80.0,
            "kg",
            40.0,
            150.0,
            "body weight; the reference weight of the population-PK model",
            "bajaj2017",
            step=5.0,
            symbol="W",
        ),
        # -- pharmacokinetics and occupancy ------------------------------------------------
        Param(
            "half_life",
            19.7,
            "days",
            5.0,
            30.0,
            "antibody half-life; ln 2 x (Vc + Vp) / CL from Bajaj 2017, inside the "
            "12-20 days of Brahmer 2010",
            "bajaj2017",
            step=0.5,
            symbol="t_{1/2}",
        ),
        Param(
            "volume",
            6.41,
            "L",
            3.0,
            12.0,
            "distribution volume; Vc + Vp = 3.63 + 2.78 L (Bajaj 2017, one compartment here)",
            "bajaj2017",
            step=0.1,
            symbol="V_d",
        ),
        Param(
            "ec50",
            0.1,
            "µg/mL",
            0.01,
            2.0,
            "occupancy EC50; concentration at which half of PD-1 is bound (illustrative, "
            "calibrated to Brahmer 2010's >70% occupancy for at least 2 months)",
            "illustrative",
            log=True,
            symbol="EC_{50}",
        ),
        # -- tumour and immune system --------------------------------------------------------
        Param(
            "pdl1",
            0.8,
            "0-1",
            0.0,
            1.0,
            "tumour PD-L1 level; share of T-cell activity the PD-1/PD-L1 brake can switch off",
            "illustrative",
            step=0.05,
            symbol="L",
        ),
        Param(
            "infiltration",
            1.0,
            "units/day",
            0.0,
            3.0,
            "T-cell infiltration; inflow of primed T cells into the tumour "
            "(0 = immune desert, 'cold')",
            "illustrative",
            step=0.05,
            symbol="s",
        ),
        Param(
            "priming",
            1.0,
            "×",
            0.2,
            5.0,
            "T-cell priming; multiplies the inflow (raised by anti-CTLA-4, and in "
            "chapter 8 by gut bacteria)",
            "illustrative",
            step=0.1,
            symbol="π",
        ),
        Param(
            "anti_ctla4",
            False,
            "",
            kind="bool",
            description="anti-CTLA-4 add-on; raises priming while treatment lasts",
            source="illustrative",
            symbol="c",
        ),
        Param(
            "ctla4_boost",
            1.0,
            "×",
            0.0,
            3.0,
            "anti-CTLA-4 priming boost; extra priming while on (1 doubles the inflow)",
            "illustrative",
            step=0.1,
            symbol="β",
        ),
        Param(
            "tcell_death",
            0.1,
            "/day",
            0.02,
            0.5,
            "T-cell loss rate; death or exit of T cells from the tumour",
            "illustrative",
            step=0.01,
            symbol="δ",
        ),
        Param(
            "expansion",
            0.8,
            "0-1",
            0.0,
            0.95,
            "tumour-driven T-cell expansion; as a share of the loss rate (unbraked)",
            "illustrative",
            step=0.05,
            symbol="χ",
        ),
        Param(
            "stim_half",
            1.0,
            "cm³",
            0.1,
            100.0,
            "stimulation half-saturation; tumour volume giving half-maximal T-cell expansion",
            "illustrative",
            log=True,
            symbol="g",
        ),
        Param(
            "growth_rate",
            0.01,
            "/day",
            0.002,
            0.1,
            "tumour growth rate; 0.01/day doubles a small tumour in about 70 days",
            "illustrative",
            step=0.002,
            symbol="r",
        ),
        Param(
            "capacity",
            1000.0,
            "cm³",
            100.0,
            5000.0,
            "tumour carrying capacity; the size at which growth stops",
            "illustrative",
            log=True,
            symbol="K",
        ),
        Param(
            "kill_rate",
            0.03,
            "cm³/(unit·day)",
            0.0,
            1.0,
            "killing rate; tumour volume one unit of unbraked T cells can clear per day",
            "illustrative",
            step=0.01,
            symbol="k",
        ),
        Param(
            "kill_half",
            5.0,
            "cm³",
            0.1,
            50.0,
            "killing half-saturation; below this volume killing is limited by contacts",
            "illustrative",
            log=True,
            symbol="h",
        ),
        Param(
            "diameter0",
            40.0,
            "mm",
            10.0,
            100.0,
            "baseline lesion diameter; sum of target-lesion diameters before treatment "
            "(RECIST needs at least 10 mm)",
            "eisenhauer2009",
            step=5.0,
            symbol="d_0",
        ),
        # -- read-out --------------------------------------------------------------------------
        Param(
            "assess_day",
            168,
            "days",
            28,
            730,
            "assessment day; when the RECIST category is read",
            "illustrative",
            kind="int",
            step=7,
            symbol="t_a",
        ),
        Param(
            "horizon",
            365,
            "days",
            56,
            730,
            "simulated time; days after the first dose",
            "illustrative",
            kind="int",
            step=7,
            symbol="T",
        ),
    ]
)

#: Named parameter sets that show the chapter's behaviours (illustrative, not patients).
SCENARIOS: dict[str, dict] = {
    "immune desert: no response": {"infiltration": 0.1},
    "partial response": {"infiltration": 0.5, "n_doses": 3},
    "durable control after short treatment": {"infiltration": 1.0, "n_doses": 4},
    "T cells but no PD-L1": {"pdl1": 0.0, "infiltration": 0.25},
    "anti-PD-1 + anti-CTLA-4": {"infiltration": 0.3, "anti_ctla4": True},
}


# -- pharmacokinetics -----------------------------------------------------------------------------
def dose_times(n_doses: int, interval: float) -> np.ndarray:
    """Times of the doses (days), the first at day 0."""
    return np.arange(int(n_doses), dtype=float) * float(interval)


def concentration(t, *, dose, interval, n_doses, body_weight, half_life, volume) -> np.ndarray:
    """Antibody concentration (µg/mL = mg/L) at times ``t`` by superposition of IV doses."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    k_el = math.log(2.0) / half_life
    c0 = dose * body_weight / volume
    times = dose_times(n_doses, interval)
    if times.size == 0 or c0 == 0.0:
        return np.zeros_like(t)
    lag = t[:, None] - times[None, :]
    return c0 * np.where(lag >= 0, np.exp(-k_el * np.clip(lag, 0, None)), 0.0).sum(axis=1)


def occupancy(c, ec50) -> np.ndarray:
    """PD-1 receptor occupancy ``c / (c + ec50)`` (0-1)."""
    c = np.asarray(c, dtype=float)
    return c / (c + ec50)


# -- the model ------------------------------------------------------------------------------------
def _initial_tcells(p: dict, v0: float, priming0: float = 1.0) -> float:
    """T cells at the start: in balance with the untreated, braked tumour."""
    f0 = 1.0 - p["pdl1"]
    inflow = p["infiltration"] * p["priming"] * priming0
    stim = p["expansion"] * f0 * v0 / (p["stim_half"] + v0)
    return inflow / (p["tcell_death"] * (1.0 - stim))


def _check_priming_fn(priming_fn, priming_breaks, horizon: float):
    """Validate the optional time-varying priming; return (fn, sorted interior breaks)."""
    if priming_fn is None:
        if priming_breaks:
            raise ValueError("argument 'priming_breaks' needs a 'priming_fn'")
        return None, []
    if not callable(priming_fn):
        raise ValueError(
            f"argument 'priming_fn' must be a function of time (days) returning a finite, "
            f"non-negative multiplier; got {type(priming_fn).__name__}"
        )
    grid = np.linspace(0.0, horizon, 61)
    values = np.array([float(priming_fn(float(t))) for t in grid])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(
            "argument 'priming_fn' must return finite, non-negative multipliers on "
            f"[0, {horizon:g}] days"
        )
    breaks = []
    for b in priming_breaks or ():
        b = float(b)
        if not math.isfinite(b):
            raise ValueError("argument 'priming_breaks' must hold finite days")
        if 0.0 < b < horizon:
            breaks.append(b)
    return priming_fn, sorted(set(breaks))


def simulate(*, priming_fn=None, priming_breaks=(), **params) -> pd.DataFrame:
    """Run the model; every argument is a parameter of :data:`PARAMS` (defaults otherwise).

    Returns one row per time point (``N_POINTS`` from day 0 to ``horizon``) with columns
    ``t`` (days), ``antibody`` (µg/mL), ``occupancy`` (0-1), ``brake`` (0-1), ``tcells``
    (relative units), ``tumour_volume`` (cm³), ``diameter`` (mm), ``diameter_change`` (%)
    and ``recist`` (category at that time, nadir tracked from day 0).

    ``priming_fn`` (optional): a function of time in days returning a multiplier of the
    T-cell inflow (time-varying priming); ``priming_breaks``: days where it jumps, at which
    the solver restarts. See the module docstring.
    """
    p = PARAMS.resolve(params)
    priming_fn, breaks = _check_priming_fn(priming_fn, priming_breaks, float(p["horizon"]))
    if p["assess_day"] > p["horizon"]:
        raise ValueError(
            f"parameter 'assess_day' ({p['assess_day']}) must not exceed parameter "
            f"'horizon' ({p['horizon']} days)"
        )
    v0 = math.pi / 6.0 * (p["diameter0"] / 10.0) ** 3  # sphere of diameter d0, in cm³
    k_el = math.log(2.0) / p["half_life"]
    c_dose = p["dose"] * p["body_weight"] / p["volume"]
    times = dose_times(p["n_doses"], p["interval"])
    if c_dose == 0.0:
        times = times[:0]
    treat_end = float(times[-1] + p["interval"]) if times.size else 0.0
    ec50, pdl1 = p["ec50"], p["pdl1"]
    inflow = p["infiltration"] * p["priming"]
    boost = p["ctla4_boost"] if p["anti_ctla4"] else 0.0
    delta, chi, g = p["tcell_death"], p["expansion"], p["stim_half"]
    r, cap, kill, h = p["growth_rate"], p["capacity"], p["kill_rate"], p["kill_half"]

    n_given = int(times.size)
    tau = float(p["interval"])
    q = math.exp(-k_el * tau)

    def brake_at(t: float) -> float:
        # closed form of the superposition: m doses given so far, the last at (m - 1) tau
        if n_given == 0:
            return pdl1
        m = min(n_given, int(t // tau) + 1)
        c = c_dose * math.exp(-k_el * (t - (m - 1) * tau)) * (1.0 - q**m) / (1.0 - q)
        return pdl1 * ec50 / (c + ec50)

    def rhs(t, y, supply):
        e, u = y  # u = ln(V): the tumour volume stays positive however small it gets
        v = math.exp(u)
        free = 1.0 - brake_at(t)
        de = supply + chi * delta * free * e * v / (g + v) - delta * e
        du = r * (1.0 - v / cap) - kill * free * e / (h + v)
        return [de, du]

    if priming_fn is not None:
        constant_rhs = rhs

        def rhs(t, y, supply):  # noqa: F811  (time-varying priming multiplies the inflow)
            return constant_rhs(t, y, supply * float(priming_fn(t)))

    t_out = np.linspace(0.0, float(p["horizon"]), N_POINTS)
    priming0 = float(priming_fn(0.0)) if priming_fn is not None else 1.0
    y0 = [_initial_tcells(p, v0, priming0), math.log(v0)]
    # The anti-CTLA-4 boost to priming acts only while treatment lasts, and a time-varying
    # priming may jump: the solver restarts at each such day.
    boosted = boost > 0 and treat_end > 0.0
    restarts = {b: None for b in breaks}
    if boosted and treat_end < p["horizon"]:
        restarts[treat_end] = (inflow,)
    run = ode.solve(
        "checkpoint model",
        rhs,
        y0,
        t_out,
        args=(inflow * (1.0 + boost) if boosted else inflow,),
        breaks=[ode.Break(t, args=a) for t, a in sorted(restarts.items())],
        rtol=1e-6,
        atol=[1e-9, 1e-8],
        max_step=float(p["interval"]) / 2.0 if times.size else math.inf,
    )
    t = run.t
    e = np.maximum(run.y[0], 0.0)
    vol = np.exp(run.y[1])

    conc = concentration(
        t,
        dose=p["dose"],
        interval=p["interval"],
        n_doses=p["n_doses"],
        body_weight=p["body_weight"],
        half_life=p["half_life"],
        volume=p["volume"],
    )
    ro = occupancy(conc, ec50)
    diameter = p["diameter0"] * recist.diameter_ratio(vol, v0)
    return pd.DataFrame(
        {
            "t": t,
            "antibody": conc,
            "occupancy": ro,
            "brake": pdl1 * (1.0 - ro),
            "tcells": e,
            "tumour_volume": vol,
            "diameter": diameter,
            "diameter_change": 100.0 * (diameter / p["diameter0"] - 1.0),
            "recist": recist.categories_over_time(diameter, p["diameter0"]),
        }
    )


# -- many tumours at once -------------------------------------------------------------------------
def simulate_many(ps: list[dict], priming=None, priming_breaks=()) -> dict:
    """Run the model for many parameter sets at once, as one stacked system.

    ``ps``: dicts resolved by :data:`PARAMS` (every key present, validated), all with the
    same ``horizon``. ``priming`` (optional): a vectorised time-varying priming,
    ``priming(t) -> array`` of one multiplier per parameter set (the batch form of
    :func:`simulate`'s ``priming_fn``), with ``priming_breaks`` the days where it jumps.

    The states of every run are interleaved (T cells, log volume, T cells, ...) and integrated
    together through :func:`widgets.models.ode.solve` with a banded (block-diagonal)
    Jacobian; the solver restarts at every run's restart days. Each run follows the same
    equations as :func:`simulate`, at the same tolerances. Returns ``t`` (days, the
    ``N_POINTS`` output times), ``tcells`` and ``tumour_volume`` (arrays of shape
    ``(len(ps), N_POINTS)``), ``diameter`` (mm, same shape) and ``diameter0`` (mm, one per
    run).
    """
    if not ps:
        raise ValueError("simulate_many needs at least one parameter set")
    horizon = float(ps[0]["horizon"])
    if any(float(p["horizon"]) != horizon for p in ps):
        raise ValueError("simulate_many: every parameter set needs the same 'horizon'")
    for p in ps:
        if p["assess_day"] > p["horizon"]:
            raise ValueError(
                f"parameter 'assess_day' ({p['assess_day']}) must not exceed parameter "
                f"'horizon' ({p['horizon']} days)"
            )

    def col(key):
        return np.array([float(p[key]) for p in ps])

    n = len(ps)
    d0 = col("diameter0")
    v0 = math.pi / 6.0 * (d0 / 10.0) ** 3
    k_el = math.log(2.0) / col("half_life")
    c_dose = col("dose") * col("body_weight") / col("volume")
    tau = col("interval")
    n_given = np.where(c_dose == 0.0, 0, np.array([int(p["n_doses"]) for p in ps]))
    treated = n_given > 0
    treat_end = np.where(treated, (n_given - 1) * tau + tau, 0.0)
    q = np.exp(-k_el * tau)
    ec50, pdl1 = col("ec50"), col("pdl1")
    inflow = col("infiltration") * col("priming")
    boost = np.array([float(p["ctla4_boost"]) if p["anti_ctla4"] else 0.0 for p in ps])
    boosted = (boost > 0) & (treat_end > 0.0)
    delta, chi, g = col("tcell_death"), col("expansion"), col("stim_half")
    r, cap, kill, h = col("growth_rate"), col("capacity"), col("kill_rate"), col("kill_half")
    # the brake's closed form needs m >= 1 doses; untreated runs keep the full brake
    n_safe = np.maximum(n_given, 1)
    geo = np.where(treated, 1.0 / np.where(q < 1.0, 1.0 - q, 1.0), 0.0)
    cd = np.where(treated, c_dose, 0.0)
    pe = pdl1 * ec50
    schedule = np.stack([cd, k_el, tau, n_safe, geo])
    if np.all(schedule == schedule[:, :1]):  # one dosing schedule for all: scalar arithmetic
        cd1, k1, tau1, n1, geo1 = (float(x) for x in schedule[:, 0])
        q1 = math.exp(-k1 * tau1)

        def free_at(t: float) -> np.ndarray:
            m = min(n1, math.floor(t / tau1) + 1.0)
            c = cd1 * math.exp(-k1 * (t - (m - 1.0) * tau1)) * (1.0 - q1**m) * geo1
            return 1.0 - pe / (c + ec50)
    else:

        def free_at(t: float) -> np.ndarray:
            m = np.minimum(n_safe, np.floor(t / tau) + 1.0)
            c = cd * np.exp(-k_el * (t - (m - 1.0) * tau)) * (1.0 - q**m) * geo
            return 1.0 - pe / (c + ec50)

    def supply_at(t: float) -> np.ndarray:
        """The T-cell inflow from day ``t`` on (anti-CTLA-4 boost while treatment lasts)."""
        return np.where(boosted & (t < treat_end), inflow * (1.0 + boost), inflow)

    cd_, r_cap = chi * delta, r / cap

    def rhs(t, y, supply):
        e, v = y[0::2], np.exp(y[1::2])
        fe = free_at(t) * e
        if priming is not None:
            supply = supply * priming(t)
        out = np.empty_like(y)
        out[0::2] = supply + cd_ * fe * v / (g + v) - delta * e
        out[1::2] = r - r_cap * v - kill * fe / (h + v)
        return out

    def jac(t, y, supply):
        e, u = y[0::2], y[1::2]
        v = np.exp(u)
        free = free_at(t)
        band = np.zeros((3, y.size))  # packed: J[i, j] at [i - j + 1, j]
        band[1, 0::2] = chi * delta * free * v / (g + v) - delta  # dE'/dE
        band[0, 1::2] = chi * delta * free * e * g * v / (g + v) ** 2  # dE'/du
        band[2, 0::2] = -kill * free / (h + v)  # du'/dE
        band[1, 1::2] = -r * v / cap + kill * free * e * v / (h + v) ** 2  # du'/du
        return band

    priming0 = np.asarray(priming(0.0), dtype=float) if priming is not None else 1.0
    f0 = 1.0 - pdl1
    stim = chi * f0 * v0 / (g + v0)
    y0 = np.empty(2 * n)
    y0[0::2] = inflow * priming0 / (delta * (1.0 - stim))
    y0[1::2] = np.log(v0)
    restarts = {float(b) for b in priming_breaks if 0.0 < float(b) < horizon}
    restarts |= {float(te) for te, bo in zip(treat_end, boosted) if bo and te < horizon}
    max_step = float(np.min(np.where(treated, tau / 2.0, np.inf)))
    t_out = np.linspace(0.0, horizon, N_POINTS)
    run = ode.solve(
        "checkpoint model",
        rhs,
        y0,
        t_out,
        args=(supply_at(0.0),),
        jac=jac,
        band=(1, 1),
        breaks=[ode.Break(b, args=(supply_at(b),)) for b in sorted(restarts)],
        rtol=1e-6,
        atol=np.tile([1e-9, 1e-8], n),
        max_step=max_step,
    )
    e = np.maximum(run.y[0::2], 0.0)
    vol = np.exp(run.y[1::2])
    diameter = d0[:, None] * np.cbrt(vol / v0[:, None])
    return {"t": run.t, "tcells": e, "tumour_volume": vol, "diameter": diameter, "diameter0": d0}


def recist_at(df: pd.DataFrame, day: float) -> str:
    """The RECIST 1.1 category at the output time closest to ``day``."""
    if not df["t"].min() <= day <= df["t"].max():
        raise ValueError(
            f"day {day} is outside the simulated time {df['t'].min():g}-{df['t'].max():g}"
        )
    return str(df["recist"].iloc[int(np.argmin(np.abs(df["t"].to_numpy() - day)))])


def summary(df: pd.DataFrame | None = None, **params) -> dict:
    """Key numbers of a run: category at the assessment day, best response and more.

    Pass a DataFrame from :func:`simulate` together with the parameters used (or only the
    parameters, and the model is run here).
    """
    p = PARAMS.resolve(params)
    if df is None:
        df = simulate(**params)
    i_assess = int(np.argmin(np.abs(df["t"].to_numpy() - p["assess_day"])))
    up_to = df.iloc[: i_assess + 1]
    change = df["diameter_change"].to_numpy()
    return {
        "recist_at_assessment": str(df["recist"].iloc[i_assess]),
        "best_response": recist.best_response(up_to["recist"]),
        "change_at_assessment_pct": float(change[i_assess]),
        "best_change_pct": float(up_to["diameter_change"].min()),
        "change_at_end_pct": float(change[-1]),
        "recist_at_end": str(df["recist"].iloc[-1]),
        "tcells_peak": float(df["tcells"].max()),
    }
