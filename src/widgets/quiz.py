"""Concept quizzes that need no kernel.

Each chapter module in :mod:`widgets.exercises` defines ``QUIZ``, a list of :class:`Question`.
``quiz.show(3)`` in a notebook cell renders chapter 3's quiz as plain HTML: every question is a
``<fieldset>`` of native radio buttons, so it works from the keyboard (Tab to a question, arrow
keys to choose) and with a screen reader, and a few lines of inline JavaScript write the feedback
for the chosen option into a polite live region. Because the feedback is in the HTML itself, the
quiz works in the hosted book with no kernel, as well as in Jupyter, Binder and Colab.
"""

from __future__ import annotations

import html
import importlib
import re
from dataclasses import dataclass

__all__ = ["Option", "Question", "questions", "show", "Quiz", "provenance"]


@dataclass(frozen=True)
class Option:
    """One answer to a :class:`Question`, with the feedback a reader sees on choosing it."""

    text: str
    feedback: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """A multiple-choice concept question with exactly one correct :class:`Option`.

    Where it states a fact, ``source`` names the references.bib keys that the chapter cites
    for it; ``data`` names the book's data file it is computed from; ``model`` says that its
    numbers or behaviour are the chapter model's illustrative outputs. The quiz shows each
    under the question. A question that quotes a number must say where it comes from.
    """

    prompt: str
    options: tuple[Option, ...]
    source: tuple[str, ...] = ()
    data: str = ""
    model: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.source, str) or not all(isinstance(k, str) for k in self.source):
            raise ValueError(
                f"question {self.prompt!r}: source must be a tuple of references.bib keys"
            )
        if not self.prompt.strip():
            raise ValueError("a quiz question needs a prompt")
        if not 2 <= len(self.options) <= 6:
            raise ValueError(
                f"question {self.prompt!r} has {len(self.options)} options; give between 2 and 6"
            )
        if sum(o.correct for o in self.options) != 1:
            raise ValueError(f"question {self.prompt!r} must have exactly one correct option")
        for o in self.options:
            if not o.text.strip() or not o.feedback.strip():
                raise ValueError(f"question {self.prompt!r}: every option needs text and feedback")


def questions(chapter: int) -> list[Question]:
    """The quiz questions of ``chapter`` (a chapter number in the book's table of contents)."""
    from .reference import chapter_numbers

    known = chapter_numbers()
    if isinstance(chapter, bool) or not isinstance(chapter, int) or chapter not in known:
        raise ValueError(f"chapter must be one of the book's chapters {known}, not {chapter!r}")
    module = importlib.import_module(f"widgets.exercises.ch{chapter:02d}")
    quiz = getattr(module, "QUIZ", None)
    if not quiz:
        raise ValueError(f"chapter {chapter} has no QUIZ in {module.__name__}")
    return list(quiz)


def provenance(q: Question) -> str:
    """Where ``q``'s facts and numbers come from, in one plain sentence ("" if it says none)."""
    from .reference import cite

    parts = []
    if q.model:
        parts.append("Illustrative model output, not patient data.")
    if q.data:
        from .data import SCHEMAS

        if q.data not in SCHEMAS:
            raise ValueError(f"question {q.prompt!r}: no data file {q.data!r}")
        parts.append(f"From the book's data file {q.data}.csv, each row with its source.")
    if q.source:
        parts.append(f"Source: {cite(', '.join(q.source))[1:-1]}.")
    return " ".join(parts)


def _inline(text: str) -> str:
    """Escape ``text`` for HTML, turning `backticks` into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


_SCRIPT = """<script>
(function () {
  if (window.bookQuizReady) { return; }
  window.bookQuizReady = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".book-quiz input[type=radio]")) { return; }
    var question = input.closest(".book-quiz-question");
    var out = question.querySelector(".book-quiz-feedback");
    var ok = input.getAttribute("data-correct") === "true";
    out.textContent = (ok ? "Correct. " : "Not quite. ") + input.getAttribute("data-feedback");
    out.className = "book-quiz-feedback " + (ok ? "book-quiz-correct" : "book-quiz-wrong");
  });
})();
</script>"""

_STYLE = """<style>
.book-quiz fieldset { border: 1px solid #6b6b6b; border-radius: 4px; margin: 0 0 1em 0;
  padding: 0.5em 1em 0.75em 1em; }
.book-quiz legend { font-size: 1rem; line-height: 1.4; font-weight: 600; padding: 0 0.25em;
  float: none; width: auto; margin-bottom: 0.25em; }
.book-quiz label { display: flex; align-items: baseline; gap: 0.5em; margin: 0.3em 0;
  cursor: pointer; }
.book-quiz input[type=radio] { flex: none; }
.book-quiz input[type=radio]:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.book-quiz-feedback:empty { display: none; }
.book-quiz-feedback { margin: 0.5em 0 0 0; padding: 0.4em 0.6em; border-left: 4px solid #6b6b6b; }
.book-quiz-correct { border-left-color: #009E73; }
.book-quiz-wrong { border-left-color: #D55E00; }
.book-quiz-source { margin: 0.5em 0 0 0; font-size: 0.85em; }
</style>"""


class Quiz:
    """A chapter's quiz; displays as HTML in Jupyter and in the book, as text elsewhere."""

    def __init__(self, chapter: int) -> None:
        self.chapter = chapter
        self.questions = questions(chapter)

    def _repr_html_(self) -> str:
        parts = [_STYLE, f'<div class="book-quiz" id="quiz-ch{self.chapter}">']
        for qi, q in enumerate(self.questions, start=1):
            name = f"quiz-ch{self.chapter}-q{qi}"
            parts.append(f'<fieldset class="book-quiz-question" id="{name}">')
            parts.append(f"<legend>Question {qi}. {_inline(q.prompt)}</legend>")
            for oi, o in enumerate(q.options, start=1):
                parts.append(
                    f'<label><input type="radio" name="{name}" value="{oi}" '
                    f'data-correct="{"true" if o.correct else "false"}" '
                    f'data-feedback="{html.escape(o.feedback, quote=True)}">'
                    f"{_inline(o.text)}</label>"
                )
            parts.append('<p class="book-quiz-feedback" role="status" aria-live="polite"></p>')
            if note := provenance(q):
                parts.append(f'<p class="book-quiz-source">{html.escape(note)}</p>')
            parts.append("</fieldset>")
        parts.append("</div>")
        parts.append(_SCRIPT)
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [f"Chapter {self.chapter} quiz (choose an option to see feedback in the HTML view)"]
        for qi, q in enumerate(self.questions, start=1):
            lines.append(f"{qi}. {q.prompt}")
            lines += [f"   {chr(96 + oi)}) {o.text}" for oi, o in enumerate(q.options, start=1)]
            if note := provenance(q):
                lines.append(f"   ({note})")
        return "\n".join(lines)


def show(chapter: int) -> Quiz:
    """Chapter ``chapter``'s quiz, for the last line of a notebook cell."""
    return Quiz(chapter)
