"""The instructor guide's numbers for each chapter, computed from the chapter and the package.

:func:`chapter_guide` gives a chapter's title, learning objectives, exercises with the answer
each exercise's own solution computes, quiz size, words of prose and a rough time; the book's
*Instructor guide* page (``instructors.ipynb``) prints them. The copies the guide hands out are
written by :mod:`widgets.assignments`.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import assignments, quiz
from .checks import get
from .reference import chapter_number

__all__ = ["chapter_guide"]

#: Assumptions behind the rough times in the instructor guide.
READING_WORDS_PER_MINUTE = 150  # careful reading of a technical text, with figures
MINUTES_PER_EXERCISE = 15
MINUTES_PER_QUIZ = 5


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _format_number(value: float) -> str:
    """Four significant figures; powers of ten written out for very large or small values."""
    if value != 0 and not 1e-3 <= abs(value) < 1e5:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    if abs(value) >= 1000:
        return f"{float(f'{value:.4g}'):,.0f}"
    return f"{value:.4g}"


def _format_answer(value, unit="") -> str:
    if isinstance(value, dict):
        units = unit if isinstance(unit, dict) else {}
        return "; ".join(f"{k}: {_format_answer(v, units.get(k, ''))}" for k, v in value.items())
    if isinstance(value, (bool, str)):
        return str(value)
    text = _format_number(float(value))
    if unit == "%":
        return f"{text}%"
    if unit.startswith("fraction") or unit in ("0-1", "(0-1)"):
        return text  # a share between 0 and 1 needs no unit
    return f"{text} {unit}".strip()


def chapter_guide(path: Path) -> dict:
    """What the instructor guide says about one chapter, computed from the chapter and package.

    Keys: ``title``, ``objectives`` (the learning objectives' bullets), ``exercises`` (a list
    of ``(id, title, expected answer)``, the answer computed by the exercise's own solution),
    ``quiz`` (number of questions), ``words`` (of prose) and ``minutes`` (a rough time:
    reading at :data:`READING_WORDS_PER_MINUTE`, plus :data:`MINUTES_PER_EXERCISE` per exercise
    and :data:`MINUTES_PER_QUIZ`).
    """
    nb = nbformat.read(path, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    objectives = re.search(r"## Learning objectives\n(.*?)(?:\n## |\Z)", nb.cells[0].source, re.S)
    bullets = (
        re.findall(
            r"^- (.*?)(?=\n- |\Z)", objectives.group(1).split(":\n", 1)[-1].strip(), re.S | re.M
        )
        if objectives
        else []
    )
    answers = []
    for ex in assignments.exercises(path, nb):
        registered = get(ex.id)
        answers.append((ex.id, ex.title, _format_answer(registered.solution(), registered.unit)))
    chapter = chapter_number(path)
    words = len(re.findall(r"[A-Za-z]+", prose))
    n_quiz = len(quiz.questions(chapter))
    minutes = (
        words / READING_WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * len(answers) + MINUTES_PER_QUIZ
    )
    return {
        "title": assignments._titles()[path.stem],
        "objectives": [
            assignments.plain_markdown(" ".join(b.split())).rstrip(";.") for b in bullets
        ],
        "exercises": answers,
        "quiz": n_quiz,
        "words": words,
        "minutes": int(5 * round(minutes / 5)),
    }
