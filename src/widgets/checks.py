"""Answer checks for the chapters' exercises.

Each exercise registers an :class:`Exercise` whose ``solution`` computes the expected answer
from the package's models (never a retyped number). A student runs ``check("3.2", answer)``
in the notebook and gets feedback: which quantity is off, in which direction, and a hint.
An unanswered exercise (``None`` or ``...``) gets a reminder, not an exception, so a student's
notebook always runs top to bottom.

Answers can be a number, a string (a category such as ``"partial response"``) or a ``dict``
of named numbers/strings when an exercise asks for several quantities.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import numbers
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exercise", "register", "check", "feedback", "get", "all_exercises"]


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise.

    ``quantity`` names what the answer is ("the tumour volume on day 84"); for a ``dict``
    answer, ``quantity`` and ``unit`` may be dicts keyed like the answer. ``rtol``/``atol``
    set how close a numeric answer must be. ``hint`` is shown after a wrong answer.
    """

    id: str
    quantity: Any
    solution: Callable[[], Any]
    hint: str
    unit: Any = ""
    rtol: float = 0.02
    atol: float = 0.0
    chapter: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chapter", int(self.id.split(".")[0]))

    def template(self) -> str:
        """Python source of an unanswered ``answer``, with ``...`` for each quantity.

        Student copies of the chapters start each exercise from this (see
        :mod:`widgets.assignments`).
        """
        if isinstance(self.quantity, dict):
            lines = [
                f"    {json.dumps(key)}: ...,  # {what}" for key, what in self.quantity.items()
            ]
            return "answer = {\n" + "\n".join(lines) + "\n}"
        return f"answer = ...  # {self.quantity}"


_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


def register(exercise: Exercise) -> Exercise:
    if exercise.id in _REGISTRY:
        raise ValueError(f"exercise {exercise.id} is registered twice")
    _REGISTRY[exercise.id] = exercise
    return exercise


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import exercises

    for module in pkgutil.iter_modules(exercises.__path__):
        importlib.import_module(f"{exercises.__name__}.{module.name}")
    _LOADED = True


def _load_chapter(exercise_id: str) -> None:
    """Import the exercises of ``exercise_id``'s chapter only (``exercises/chNN.py``).

    A notebook's first ``check`` then imports one chapter's models, not every chapter's.
    """
    chapter = str(exercise_id).split(".")[0]
    if not chapter.isdigit():
        return
    name = f"{__package__}.exercises.ch{int(chapter):02d}"
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name)


def get(exercise_id: str) -> Exercise:
    if exercise_id not in _REGISTRY:
        _load_chapter(exercise_id)
    if exercise_id not in _REGISTRY:
        _load_all()
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValueError(f"no exercise {exercise_id!r}; known exercises: {known}") from None


def all_exercises() -> list[Exercise]:
    _load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY, key=lambda s: tuple(map(int, s.split("."))))]


def _pick(value: Any, key: str | None) -> Any:
    if key is not None and isinstance(value, dict):
        return value.get(key, "")
    return value


def _compare(given: Any, expected: Any, ex: Exercise, key: str | None) -> str | None:
    """``None`` if ``given`` matches ``expected``, else a sentence saying what is off."""
    what = _pick(ex.quantity, key) or (key or "the answer")
    unit = _pick(ex.unit, key)
    unit_text = f" {unit}" if unit else ""
    if isinstance(expected, str):
        if not isinstance(given, str):
            return f"{what} should be a word or phrase in quotes, such as 'escape'"
        if given.strip().lower() != expected.strip().lower():
            return f"{what} is not {given!r}"
        return None
    if isinstance(expected, bool):
        if given is not expected and given != expected:
            return f"{what} should be {'True' if expected else 'False'}, not {given!r}"
        return None
    if isinstance(expected, numbers.Real):
        if isinstance(given, bool) or not isinstance(given, numbers.Real):
            return (
                f"{what} should be a number (in{unit_text or ' plain numbers'}); you gave {given!r}"
            )
        if math.isnan(float(given)):
            return f"{what} is NaN; check the calculation that produced it"
        if math.isclose(float(given), float(expected), rel_tol=ex.rtol, abs_tol=ex.atol):
            return None
        direction = "too high" if given > expected else "too low"
        return f"{what} is {direction} (you gave {given:.4g}{unit_text})"
    raise TypeError(f"exercise {ex.id}: unsupported expected answer {expected!r}")


def feedback(exercise_id: str, answer: Any) -> tuple[bool, str]:
    """``(correct, message)`` for ``answer`` to exercise ``exercise_id``."""
    ex = get(exercise_id)
    if answer is None or answer is Ellipsis:
        return False, (
            f"Exercise {ex.id}: not answered yet. Replace the ... (or None) with your answer "
            "and run the cell again."
        )
    expected = ex.solution()
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            keys = ", ".join(repr(k) for k in expected)
            return False, f"Exercise {ex.id}: give a dict with the keys {keys}."
        missing = [k for k in expected if k not in answer]
        if missing:
            return (
                False,
                f"Exercise {ex.id}: the answer is missing {', '.join(map(repr, missing))}.",
            )
        blank = [k for k in expected if answer[k] is None or answer[k] is Ellipsis]
        if blank:
            return False, (
                f"Exercise {ex.id}: not answered yet. Replace the ... for "
                f"{', '.join(map(repr, blank))} with your answer and run the cell again."
            )
        problems = [p for k in expected if (p := _compare(answer[k], expected[k], ex, k))]
    else:
        problem = _compare(answer, expected, ex, None)
        problems = [problem] if problem else []
    if not problems:
        return True, f"Exercise {ex.id}: correct."
    return False, f"Exercise {ex.id}: not yet. " + "; ".join(problems) + f". Hint: {ex.hint}"


def check(exercise_id: str, answer: Any) -> bool:
    """Print feedback on ``answer`` and return whether it is correct."""
    ok, message = feedback(exercise_id, answer)
    print(("✔ " if ok else "✘ ") + message)
    return ok
