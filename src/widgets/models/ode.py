"""One way to integrate the book's models.

A model supplies its right-hand side ``rhs(t, y, *args)``, optionally its Jacobian
``jac(t, y, *args)`` and the events it cares about; :func:`solve` does the rest, the same way
for every model:

* **the solver.** LSODA, which switches between a non-stiff (Adams) and a stiff (BDF) method as
  the problem requires. Without events it runs through ``scipy.integrate.odeint``, which steps
  inside Fortran and has much less overhead per step than ``solve_ivp``; with events (or when
  the solver's own steps are wanted) through ``scipy.integrate.solve_ivp``. If LSODA fails (it
  can at extreme corners of a model's parameter ranges), the run is repeated with a
  finite-difference Jacobian and then with the implicit Radau method.
* **restarts.** :class:`Break` points stop the solver and start it again at a given time, with
  new right-hand-side arguments (a treatment that ends) or a jump in the state (a dose, a
  second tumour injection), so that the solver cannot step over a sudden change.
* **events.** An :class:`Event` is a function of the state that crosses zero. ``"stop"`` ends
  the run there (a tumour reaching a ceiling); ``"zero"`` sets one population to zero and
  carries on (a population falling below one cell is gone).
* **one error.** A failed integration raises ``RuntimeError("<model>: the ODE solver failed
  (...)")``.
* **many runs at once.** Independent copies of a model (the patients of a virtual cohort, the
  tumours of a parameter grid) can be integrated as *one* system: their states stacked into
  one vector, the right-hand side vectorised over them. Each copy's few states are
  interleaved, so the Jacobian is a band around the diagonal; ``band=(lower, upper)`` tells
  the solver so (LSODA then factorises a banded matrix instead of a dense one, and a
  Jacobian, if given, returns the packed bands, see :func:`solve`). LSODA controls the error
  in the maximum norm over all components, so every copy is held to the tolerance it would
  have alone; the shared steps are the shortest any copy needs.

This module imports no plotting code.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import ODEintWarning, odeint, solve_ivp

__all__ = ["Event", "Break", "Solution", "solve"]


@dataclass(frozen=True)
class Event:
    """A threshold: ``fn(t, y, *args)`` crosses zero (in ``direction``: -1 falling, +1 rising,
    0 either). ``action`` is ``"stop"`` (the run ends at the event) or ``"zero"`` (component
    ``index`` of the state is set to 0 and the run continues)."""

    fn: Callable
    direction: float = 0.0
    action: str = "stop"
    index: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.action not in ("stop", "zero"):
            raise ValueError(f"event action must be 'stop' or 'zero', not {self.action!r}")
        if self.action == "zero" and self.index is None:
            raise ValueError("a 'zero' event needs the index of the component it sets to zero")


@dataclass(frozen=True)
class Break:
    """A restart at ``time``: from then on the right-hand side gets ``args`` (if given), and
    the state is first changed by ``jump(y) -> y`` (if given)."""

    time: float
    args: tuple | None = None
    jump: Callable | None = None


@dataclass
class Solution:
    """``t``: the requested output times that were reached; ``y``: the state there, one row
    per component (shape ``(n_states, len(t))``); ``stopped``: the name of the ``"stop"``
    event that ended the run (``None`` if it ran to the end) and ``t_stop`` its time;
    ``zeroed``: ``(time, index)`` of every ``"zero"`` event."""

    t: np.ndarray
    y: np.ndarray
    stopped: str | None = None
    t_stop: float | None = None
    zeroed: list = field(default_factory=list)


#: Gaps between restarts shorter than this (days) are not integrated.
_MIN_INTERVAL = 1e-9
#: Most restarts after "zero" events in one piece.
_MAX_RESTARTS = 500


def _event_fn(event: Event):
    def fn(t, y, *args):
        return event.fn(t, y, *args)

    fn.terminal = True
    fn.direction = event.direction
    return fn


def _lsoda_odeint(rhs, jac, y0, t, args, rtol, atol, max_step, mxstep, band=None):
    """LSODA through odeint at the times ``t``; ``None`` if it fails."""
    ml, mu = band if band is not None else (None, None)
    for dfun in (jac, None) if jac is not None else (None,):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ODEintWarning)
            y, info = odeint(
                rhs,
                y0,
                t,
                args=args,
                Dfun=dfun,
                tfirst=True,
                rtol=rtol,
                atol=atol,
                hmax=0.0 if math.isinf(max_step) else max_step,
                mxstep=mxstep,
                full_output=True,
                ml=ml,
                mu=mu,
            )
        if info["message"] == "Integration successful." and np.all(np.isfinite(y)):
            return y.T
    return None


def _dense_jac(jac, band, n):
    """A Jacobian returning packed bands (odeint's layout) as one returning the full matrix
    (solve_ivp's)."""
    ml, mu = band

    def full(t, y, *args):
        packed = np.asarray(jac(t, y, *args), dtype=float)
        out = np.zeros((n, n))
        for k in range(-ml, mu + 1):  # diagonal k: out[i, i + k] = packed[mu - k, i + k]
            if k >= 0:
                idx = np.arange(n - k)
                out[idx, idx + k] = packed[mu - k, idx + k]
            else:
                idx = np.arange(-k, n)
                out[idx, idx + k] = packed[mu - k, idx + k]
        return out

    return full


def _ivp(name, rhs, jac, y0, t0, t1, t_eval, args, events, rtol, atol, max_step, band=None):
    """One stretch with solve_ivp: LSODA, then Radau. Returns the solve_ivp result."""
    message = ""
    for method in ("LSODA", "Radau"):
        extra, jac_m = {}, jac
        if band is not None and method == "LSODA":  # LSODA takes the packed bands
            extra = {"lband": band[0], "uband": band[1]}
        elif band is not None and jac is not None:  # Radau the full matrix
            jac_m = _dense_jac(jac, band, len(y0))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # LSODA's convergence notes
                sol = solve_ivp(
                    rhs,
                    (t0, t1),
                    y0,
                    method=method,
                    jac=jac_m,
                    args=args,
                    t_eval=t_eval,
                    events=events or None,
                    rtol=rtol,
                    atol=atol,
                    max_step=max_step,
                    **extra,
                )
        except ValueError as err:  # an event root could not be bracketed
            message = str(err)
            continue
        if sol.status >= 0 and np.all(np.isfinite(sol.y)):
            return sol
        message = sol.message
    raise RuntimeError(f"{name}: the ODE solver failed ({message})")


def solve(
    name: str,
    rhs: Callable,
    y0: Sequence[float],
    t_eval: Sequence[float] | None,
    *,
    t_end: float | None = None,
    args: tuple = (),
    jac: Callable | None = None,
    events: Sequence[Event] = (),
    breaks: Sequence[Break] = (),
    rtol: float = 1e-6,
    atol=1e-8,
    max_step: float = math.inf,
    mxstep: int = 50_000,
    nonnegative: bool = False,
    band: tuple[int, int] | None = None,
) -> Solution:
    """Integrate ``dy/dt = rhs(t, y, *args)`` from ``t_eval[0]`` to ``t_end`` (default
    ``t_eval[-1]``), returning the state at the times ``t_eval`` (increasing).

    ``t_eval=None`` returns the solver's own steps instead (with ``t_end`` required; the run
    starts at 0). ``breaks`` restart the solver (see :class:`Break`), ``events`` stop it or
    zero a population (see :class:`Event`). With ``nonnegative`` the state is clipped at 0
    wherever the solver restarts (populations of cells). ``name`` names the model in the
    error message.

    ``band=(lower, upper)``: the Jacobian is zero outside ``lower`` diagonals below and
    ``upper`` above the main one (many copies of a small model stacked into one system,
    each copy's states next to each other). A ``jac`` then returns the packed bands, an
    array of shape ``(lower + upper + 1, n)`` with ``J[i, j]`` at ``[i - j + upper, j]``
    (``scipy.integrate.odeint``'s layout).
    """
    y = np.array(y0, dtype=float)
    if t_eval is None:
        if t_end is None:
            raise ValueError("give t_eval or t_end")
        grid, t0 = None, 0.0
    else:
        grid = np.asarray(t_eval, dtype=float)
        t0 = float(grid[0])
        t_end = float(grid[-1]) if t_end is None else float(t_end)
    for b in breaks:  # a break at the start applies before the run begins
        if b.time == t0:
            args = tuple(b.args) if b.args is not None else args
            y = np.array(b.jump(y.copy()), dtype=float) if b.jump is not None else y
    cuts = sorted((b for b in breaks if t0 < b.time < t_end), key=lambda b: b.time)
    ev_fns = [_event_fn(e) for e in events]
    out_t, out_y, zeroed = [], [], []
    stopped = t_stop = None
    bounds = [t0] + [b.time for b in cuts] + [t_end]
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        last = k == len(bounds) - 2
        if grid is None:
            want = None
        else:
            want = grid[(grid >= a) & ((grid <= b) if last else (grid < b))]
        if b - a > _MIN_INTERVAL:
            if not events and want is not None:
                times = np.union1d(want, [a, b])
                ys = _lsoda_odeint(rhs, jac, y, times, args, rtol, atol, max_step, mxstep, band)
                if ys is None:  # LSODA failed even without the Jacobian: Radau
                    sol = _ivp(name, rhs, jac, y, a, b, times, args, [], rtol, atol, max_step, band)
                    ys = sol.y
                keep = np.isin(times, want)
                out_t.append(times[keep])
                out_y.append(ys[:, keep])
                y = ys[:, -1].copy()
                if nonnegative:
                    y = np.maximum(y, 0.0)
            else:
                t_piece, y_piece, y, stop = _piece_with_events(
                    name,
                    rhs,
                    jac,
                    y,
                    a,
                    b,
                    want,
                    args,
                    events,
                    ev_fns,
                    rtol,
                    atol,
                    max_step,
                    zeroed,
                    nonnegative,
                    band,
                )
                out_t.append(t_piece)
                out_y.append(y_piece)
                if stop is not None:
                    stopped, t_stop = stop
                    break
        elif want is not None and want.size:  # a break at the very start: record the state
            out_t.append(want[:1])
            out_y.append(y.reshape(-1, 1).copy())
        if not last:
            nxt = cuts[k]
            if nxt.args is not None:
                args = tuple(nxt.args)
            if nxt.jump is not None:
                y = np.array(nxt.jump(y.copy()), dtype=float)
    t = np.concatenate(out_t) if out_t else np.empty(0)
    Y = np.concatenate(out_y, axis=1) if out_y else np.empty((y.size, 0))
    return Solution(t=t, y=Y, stopped=stopped, t_stop=t_stop, zeroed=zeroed)


def _piece_with_events(
    name,
    rhs,
    jac,
    y,
    a,
    b,
    want,
    args,
    events,
    ev_fns,
    rtol,
    atol,
    max_step,
    zeroed,
    nonnegative,
    band=None,
):
    """One stretch between breaks with events: solve_ivp, restarted after each "zero" event.
    Returns (times, states, end state, (name, time) of a "stop" event or None)."""
    ts, ys = [], []
    for _ in range(_MAX_RESTARTS):
        if want is None:
            t_eval = None
        else:
            t_eval = np.union1d(want[(want >= a) & (want <= b)], [b])
        sol = _ivp(name, rhs, jac, y, a, b, t_eval, args, ev_fns, rtol, atol, max_step, band)
        st = np.asarray(sol.t, dtype=float)
        sy = np.asarray(sol.y, dtype=float).reshape(len(y), st.size)
        keep = np.ones(st.size, dtype=bool) if want is None else np.isin(st, want)
        ts.append(st[keep])
        ys.append(sy[:, keep])
        if sol.status != 1:  # reached b
            end = np.maximum(sy[:, -1], 0.0) if nonnegative else sy[:, -1].copy()
            return np.concatenate(ts), np.concatenate(ys, axis=1), end, None
        hit = [i for i, te in enumerate(sol.t_events) if len(te)]
        te = float(sol.t_events[hit[0]][0])
        stops = [i for i in hit if events[i].action == "stop"]
        if stops:
            return (
                np.concatenate(ts),
                np.concatenate(ys, axis=1),
                np.asarray(sol.y_events[stops[0]][0], dtype=float),
                (events[stops[0]].name or f"event {stops[0]}", te),
            )
        y = np.asarray(sol.y_events[hit[0]][0], dtype=float).copy()
        if nonnegative:
            y = np.maximum(y, 0.0)
        for i in hit:
            y[events[i].index] = 0.0
            zeroed.append((te, events[i].index))
        if want is not None:
            want = want[want > te]
        a = te
        if a >= b:
            return np.concatenate(ts), np.concatenate(ys, axis=1), y, None
    raise RuntimeError(f"{name}: too many populations crossing their thresholds")
