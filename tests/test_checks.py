"""Every exercise's own solution passes its check; wrong answers get useful feedback."""

import pytest

from widgets import reference
from widgets.checks import all_exercises, check, feedback, get

EXERCISES = all_exercises()


def test_each_chapter_in_the_book_has_three_exercises():
    from conftest import CHAPTERS

    for path in CHAPTERS:
        chapter = reference.chapter_number(path)
        ids = [e.id for e in EXERCISES if e.chapter == chapter]
        assert len(ids) >= 3, f"chapter {chapter} registers {ids}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_solution_passes(exercise):
    ok, message = feedback(exercise.id, exercise.solution())
    assert ok, message


def _wrong(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value * 1.5 + 1
    if isinstance(value, str):
        return value + " (not this)"
    raise TypeError(value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_wrong_answer_names_the_quantity_and_hints(exercise):
    expected = exercise.solution()
    if isinstance(expected, dict):
        key = next(iter(expected))
        wrong = {**expected, key: _wrong(expected[key])}
        quantity = exercise.quantity[key] if isinstance(exercise.quantity, dict) else key
    else:
        wrong = _wrong(expected)
        quantity = exercise.quantity
    ok, message = feedback(exercise.id, wrong)
    assert not ok
    assert str(quantity) in message
    assert exercise.hint in message


def test_unanswered_is_a_reminder_not_an_error(capsys):
    exercise = EXERCISES[0]
    assert check(exercise.id, None) is False
    assert check(exercise.id, ...) is False
    assert "not answered yet" in capsys.readouterr().out


def test_unknown_exercise():
    with pytest.raises(ValueError, match="no exercise '99.9'"):
        get("99.9")


def test_a_check_imports_only_its_own_chapter():
    """The first check in a chapter's notebook does not import every chapter's models."""
    import subprocess
    import sys

    code = (
        "import sys; from widgets.checks import get; get('3.1'); "
        "print(sorted(m for m in sys.modules if m.startswith('widgets.exercises.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['widgets.exercises.ch03']"
