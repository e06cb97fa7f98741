"""Exercises of chapter 10, "Who responds" (answers computed from the data file and models)."""

from __future__ import annotations

from ..checks import Exercise, register
from ..models import response as rs


def _row(arm: str):
    t = rs.response_table()
    r = t[t["arm"] == arm]
    return int(r["k"].iloc[0]), int(r["n"].iloc[0])


def _ex1() -> dict:
    neg = rs.exact_ci(*_row("PD-L1-negative tumours"))
    pos = rs.exact_ci(*_row("PD-L1-positive tumours"))
    return {"upper, PD-L1-negative": round(100 * neg[1], 1),
            "lower, PD-L1-positive": round(100 * pos[0], 1)}


def _ex2() -> dict:
    return {"20 points": rs.n_for_width(0.3, 20), "10 points": rs.n_for_width(0.3, 10)}


def _keynote024_pembro():
    t = rs.tail_table()
    return t[(t["trial"] == "KEYNOTE-024") & (t["arm"] == "pembrolizumab")].iloc[0]


def _ex3() -> dict:
    r = _keynote024_pembro()
    pi, lam = rs.fit_cure(r["median"], r["landmark"], 0.25)
    return {"cure fraction": round(100 * pi, 1),
            "10-year survival": round(100 * float(rs.s_cure(120.0, pi, lam)), 1)}


register(Exercise(
    id="10.1",
    quantity={"upper, PD-L1-negative": "the upper end of the exact 95% interval for the "
                                       "PD-L1-negative group",
              "lower, PD-L1-positive": "the lower end of the exact 95% interval for the "
                                       "PD-L1-positive group"},
    unit="%",
    solution=_ex1,
    hint="Use response.exact_ci(k, n) with 0 of 17 and 9 of 25, and multiply by 100.",
    rtol=0.0, atol=0.15,
))

register(Exercise(
    id="10.2",
    quantity={"20 points": "the smallest trial whose interval is at most 20 points wide",
              "10 points": "the smallest trial whose interval is at most 10 points wide"},
    unit="patients",
    solution=_ex2,
    hint="response.n_for_width(0.3, 20) searches n = 1, 2, 3, ... for the first width that fits.",
    rtol=0.0, atol=0.5,
))

register(Exercise(
    id="10.3",
    quantity={"cure fraction": "the cure fraction fitted with 25% alive at 5 years",
              "10-year survival": "the survival the refitted model predicts at 10 years"},
    unit="%",
    solution=_ex3,
    hint="response.fit_cure(26.3, 60, 0.25) returns (pi, lam); then response.s_cure(120, pi, lam).",
    rtol=0.0, atol=0.15,
))
