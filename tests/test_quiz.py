"""The kernel-free concept quizzes: every chapter has one, well formed, in its notebook."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import CHAPTER_NUMBERS, CHAPTERS

from widgets import quiz, reference


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_shows_its_own_quiz(path):
    chapter = reference.chapter_number(path)
    nb = nbformat.read(path, as_version=4)
    calls = [c for c in nb.cells if c.cell_type == "code" and "quiz.show(" in c.source]
    assert len(calls) == 1, f"{path.name}: {len(calls)} quiz cells"
    assert f"quiz.show({chapter})" in calls[0].source
    assert "remove-input" in calls[0].metadata.get("tags", [])
    questions = quiz.questions(chapter)
    assert len(questions) >= 3
    # the right answer is not always in the same place
    assert len({[o.correct for o in q.options].index(True) for q in questions}) > 1


@pytest.mark.parametrize("chapter", CHAPTER_NUMBERS)
def test_quiz_html_is_accessible_markup(chapter):
    html = quiz.show(chapter)._repr_html_()
    n = len(quiz.questions(chapter))
    assert html.count("<fieldset") == n and html.count("<legend>") == n
    assert html.count('role="status"') == n and html.count('aria-live="polite"') == n
    options = sum(len(q.options) for q in quiz.questions(chapter))
    assert len(re.findall(r'<label><input type="radio"', html)) == options
    assert html.count('data-correct="true"') == n
    # every option carries its own explanation, escaped for the attribute
    assert len(re.findall(r'data-feedback="[^"<>]{20,}"', html)) == options
    assert f"Chapter {chapter} quiz" in repr(quiz.show(chapter))


def test_questions_are_validated():
    good = quiz.Option("yes", "because")
    with pytest.raises(ValueError, match="exactly one correct"):
        quiz.Question("Which?", (good, quiz.Option("no", "because not")))
    with pytest.raises(ValueError, match="exactly one correct"):
        quiz.Question("Which?", (quiz.Option("a", "x", True), quiz.Option("b", "y", True)))
    with pytest.raises(ValueError, match="between 2 and 6"):
        quiz.Question("Which?", (quiz.Option("a", "x", True),))
    with pytest.raises(ValueError, match="text and feedback"):
        quiz.Question("Which?", (quiz.Option("a", "", True), good))


@pytest.mark.parametrize("chapter", CHAPTER_NUMBERS)
def test_every_number_in_a_quiz_says_where_it_comes_from(chapter):
    for q in quiz.questions(chapter):
        text = q.prompt + " ".join(o.text + o.feedback for o in q.options)
        if re.search(r"(?<![A-Za-z-])\d", text):  # a number, not a name such as PD-1
            assert q.source or q.data or q.model, f"chapter {chapter}: {q.prompt!r}"
        note = quiz.provenance(q)  # unknown references.bib keys or data files raise here
        assert bool(note) == bool(q.source or q.data or q.model)
        if note:
            assert note in quiz.show(chapter)._repr_html_().replace("&#x27;", "'")


def test_provenance_text():
    q = quiz.Question(
        "Which?",
        (quiz.Option("a", "x", True), quiz.Option("b", "y")),
        source=("depillis2005", "brahmer2010"),
        model=True,
    )
    assert quiz.provenance(q) == (
        "Illustrative model output, not patient data. "
        "Source: de Pillis et al. 2005; Brahmer et al. 2010."
    )
    with pytest.raises(ValueError, match="nosuchkey"):
        quiz.provenance(quiz.Question("Which?", q.options, source=("nosuchkey",)))
    with pytest.raises(ValueError, match="no data file"):
        quiz.provenance(quiz.Question("Which?", q.options, data="nosuchfile"))
    with pytest.raises(ValueError, match="tuple of references.bib keys"):
        quiz.Question("Which?", q.options, source="brahmer2010")


@pytest.mark.parametrize("bad", [0, max(CHAPTER_NUMBERS) + 1, 2.0, "3", None, True])
def test_unknown_chapter_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="chapter must be one of the book's chapters"):
        quiz.questions(bad)
