"""`make assignments`: student, instructor and nbgrader copies of every chapter.

The copies are written once per test session (``widgets.assignments.build``, as
``make assignments`` does, including nbgrader's own ``generate_assignment``). The execution
tests run each copy top to bottom in a fresh kernel, as a student or instructor would.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import CHAPTERS
from nbclient import NotebookClient

from widgets import assignments, guide, reference
from widgets.checks import all_exercises, get


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    assignments.build(out)
    return out


def _code(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_three_exercises_one_of_which_changes_the_model(path):
    exercises = assignments.exercises(path)
    assert len(exercises) >= 3, f"{path.name}: {[e.id for e in exercises]}"
    changing = [e.id for e in exercises if e.body.startswith("Change the")]
    assert changing, f"{path.name}: no exercise starts with 'Change the ...' (model, data)"
    registered = {e.id for e in all_exercises() if e.chapter == reference.chapter_number(path)}
    assert {e.id for e in exercises} == registered


def test_make_assignments_writes_every_copy(copies):
    for path in CHAPTERS:
        for target in (
            copies / "student" / path.name,
            copies / "instructor" / path.name,
            copies / "nbgrader" / "source" / path.stem / path.name,
            copies / "nbgrader" / "release" / path.stem / path.name,
        ):
            assert target.is_file(), target
            nbformat.validate(nbformat.read(target, as_version=4))
    assert "ClearSolutions.code_stub" in (copies / "nbgrader" / "nbgrader_config.py").read_text()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_copy_has_no_solutions_and_keeps_the_checks(copies, path):
    nb = nbformat.read(copies / "student" / path.name, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "solution-start" not in text and "BEGIN SOLUTION" not in text
    code = _code(nb)
    for ex in assignments.exercises(path):
        assert f'check("{ex.id}", answer)' in code
        assert get(ex.id).template() in code
        assert ex.discussion[:60] not in text, f"the discussion of {ex.id} leaked"
        solution_only = [
            l
            for l in ex.code.splitlines()
            if l.strip() and "check(" not in l and "print(" not in l and l.strip() not in code
        ]
        assert solution_only, f"cannot tell the solution of {ex.id} apart"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_copies_are_plain_markdown(copies, path):
    for kind in ("student", "instructor"):
        nb = nbformat.read(copies / kind / path.name, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\{[a-z:-]+\}`|```\{", cell.source), cell.source[:120]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_nbgrader_release_removes_solutions_and_keeps_tests(copies, path):
    source = nbformat.read(copies / "nbgrader" / "source" / path.stem / path.name, 4)
    release = nbformat.read(copies / "nbgrader" / "release" / path.stem / path.name, 4)
    assert "Instructor copy" not in source.cells[1].source
    meta = [c.metadata.get("nbgrader", {}) for c in release.cells]
    graded = [m for m in meta if m.get("grade")]
    exercises = assignments.exercises(path)
    assert len(graded) == 2 * len(exercises)  # an autograded check and a written answer each
    assert sum(m.get("points", 0) for m in graded) == 2 * len(exercises)
    text = "\n".join(c.source for c in release.cells)
    assert "BEGIN SOLUTION" not in text
    for ex in exercises:
        assert f'assert check("{ex.id}", answer)' in text
        assert ex.discussion[:60] not in text


def _run(path, cwd):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def _outputs(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_copy_runs_and_unanswered_exercises_say_so(copies, path):
    """Top to bottom without an error; every starter cell's check says "not answered yet"."""
    nb = _run(copies / "student" / path.name, copies / "student")
    for ex in assignments.exercises(path):
        cell = next(
            c
            for c in nb.cells
            if c.cell_type == "code" and c.source.startswith(f"# Exercise {ex.id}:")
        )
        assert f"✘ Exercise {ex.id}: not answered yet" in _outputs(cell)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_instructor_copy_passes_every_check(copies, path):
    """Top to bottom without an error: every `assert check(...)` cell passes."""
    nb = _run(copies / "instructor" / path.name, copies / "instructor")
    for ex in assignments.exercises(path):
        cell = next(
            c
            for c in nb.cells
            if c.cell_type == "code" and c.source.startswith(f'assert check("{ex.id}"')
        )
        assert f"✔ Exercise {ex.id}: correct." in _outputs(cell)


def test_plain_markdown_turns_book_markup_into_text():
    text = (
        "A {term}`T cell <T cell>` meets {term}`antigen` {cite:p}`brahmer2010,topalian2012`; "
        "{cite:t}`brahmer2010` saw it (see {doc}`03_checkpoint_inhibitors`).\n\n"
        "```{admonition} Not medical advice\n:class: caution\nAsk a doctor.\n```"
    )
    out = assignments.plain_markdown(text)
    assert out.startswith("A T cell meets antigen (Brahmer et al. 2010; Topalian et al. 2012);")
    assert "Brahmer et al. (2010) saw it" in out
    assert "[3. Checkpoint inhibitors](03_checkpoint_inhibitors.ipynb)" in out
    assert out.endswith("> **Not medical advice**\n>\n> Ask a doctor.")


def test_plain_markdown_rejects_unknown_citations_and_markup():
    with pytest.raises(ValueError, match="nosuchkey"):
        assignments.plain_markdown("{cite:p}`nosuchkey`")
    with pytest.raises(ValueError, match="unconverted MyST"):
        assignments.plain_markdown("{numref}`fig-1`")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_instructor_copy_keeps_solutions_and_discussion(copies, path):
    nb = nbformat.read(copies / "instructor" / path.name, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "Instructor copy" in nb.cells[1].source
    for ex in assignments.exercises(path):
        assert assignments._solution_lines(ex) in text
        assert (
            ex.discussion[:60] in assignments.plain_markdown(text)
            or assignments.plain_markdown(ex.discussion)[:60] in text
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_instructor_guide_entry(path):
    entry = guide.chapter_guide(path)
    assert len(entry["objectives"]) >= 3 and all(len(o) > 20 for o in entry["objectives"])
    assert [e[0] for e in entry["exercises"]] == [e.id for e in assignments.exercises(path)]
    assert all(answer and "nan" not in answer for _, _, answer in entry["exercises"])
    assert entry["quiz"] >= 3
    assert 30 <= entry["minutes"] <= 180


def test_answer_formatting():
    fmt = guide._format_answer
    assert fmt(8186000.0, "cells") == "8.186 × 10⁶ cells"
    assert fmt(1.457e-9, "1/day") == "1.457 × 10⁻⁹ 1/day"
    assert fmt(21290.4, "cells/day") == "21,290 cells/day"
    assert fmt(-40.44, "%") == "-40.44%"
    assert (
        fmt({"a": 0.5, "b": "partial response"}, {"a": "fraction (0 to 1)"})
        == "a: 0.5; b: partial response"
    )
