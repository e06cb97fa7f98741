"""`make assignments`: student, instructor and nbgrader copies of every chapter.

The copies are written once per test session (``widgets.assignments.build``, as
``make assignments`` does, including nbgrader's own ``generate_assignment``). The student
copies run top to bottom in a fresh kernel, as a student's would; the nbgrader course goes
through a whole round of grading (two students' submissions, ``nbgrader autograde``,
``export`` and ``generate_feedback``), which runs the solutions of the instructor copies too.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import CHAPTERS, execute_notebooks
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
    # the nbgrader source is the instructor copy with the students' notice, so the round trip
    # below (which runs the source's solutions through nbgrader) also runs the instructor copy
    instructor = nbformat.read(copies / "instructor" / path.name, 4)
    assert [c.source for i, c in enumerate(instructor.cells) if i != 1] == [
        c.source for i, c in enumerate(source.cells) if i != 1
    ]
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
        nb,
        timeout=300,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(cwd)}},
        # test only: the kernel skips the slow import, as the build's kernels do
        extra_arguments=[f"--IPKernelApp.exec_lines={execute_notebooks.SKIP_SLOW_IMPORT}"],
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


# --- nbgrader, end to end ----------------------------------------------------------------------

#: Runs nbgrader as ``python -m nbgrader`` does, after skipping the import that costs every
#: process importing nbformat 2 to 3 s (see scripts/execute_notebooks.py); test only.
NBGRADER = (
    f"{execute_notebooks.SKIP_SLOW_IMPORT}; from nbgrader.apps.nbgraderapp import main; main()"
)


def _nbgrader(course: Path, *args: str) -> float:
    """Run ``nbgrader <args>`` in ``course`` as an instructor would; the seconds it took."""
    env = dict(os.environ)
    # nbgrader runs the `alembic` command of its own environment to set up its gradebook
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", NBGRADER, *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-5000:]}"
    assert "[ERROR]" not in done.stderr and "| ERROR]" not in done.stderr, done.stderr[-5000:]
    return time.perf_counter() - start


def _answered(release: nbformat.NotebookNode, source: nbformat.NotebookNode):
    """The release with every answer cell filled in from the source, as a student who gets
    everything right would: the solution code (without nbgrader's markers) and the reasoning."""
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = re.sub(
                r"^### (BEGIN|END) SOLUTION\n?", "", solutions[meta["grade_id"]], flags=re.M
            ).strip()
    return nb


def _declared_points(source: nbformat.NotebookNode) -> tuple[dict[str, float], float]:
    """``({test cell id: points}, total points)``: the autograded test cells of a source
    notebook and the points of every grade cell (written answers included)."""
    grades = [
        c.metadata["nbgrader"] for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")
    ]
    auto = {m["grade_id"]: float(m["points"]) for m in grades if not m["solution"]}
    return auto, float(sum(m["points"] for m in grades))


def test_nbgrader_round_trip_grades_every_chapter(copies, tmp_path, record_property):
    """Release, two students' submissions, ``autograde``, ``export``, ``generate_feedback``.

    For every chapter, a student who answers everything right gets every autograded point
    (the written answers wait for the instructor), one who hands in the release untouched
    gets none, and both get a feedback page. All chapters are graded by one ``nbgrader
    autograde`` (nbgrader grades one notebook at a time).
    """
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(copies / "nbgrader", course)
    # test only: the graded notebooks' kernels skip the slow import too, as the build's do,
    # and a cell slowed down by a busy test machine is not cut off (nbgrader's limit is 30 s)
    with (course / "nbgrader_config.py").open("a") as config:
        arg = f"--IPKernelApp.exec_lines={execute_notebooks.SKIP_SLOW_IMPORT}"
        config.write(f"c.Execute.extra_arguments = [{arg!r}]\nc.Execute.timeout = 300\n")
        # and each kernel is stopped as soon as its notebook is graded (the test's only wait)
        config.write('c.Execute.shutdown_kernel = "immediate"\n')

    expected = {}  # chapter: ({test cell: points}, total points), as the source declares
    for path in CHAPTERS:
        chapter, name = path.stem, path.name
        release_path = course / "release" / chapter / name
        assert release_path.is_file(), f"{chapter} was not released"
        source = nbformat.read(course / "source" / chapter / name, as_version=4)
        release = nbformat.read(release_path, as_version=4)
        expected[chapter] = _declared_points(source)
        assert sum(expected[chapter][0].values()) > 0, f"{chapter} has no autograded points"
        for student, nb in (("right", _answered(release, source)), ("empty", release)):
            target = course / "submitted" / student / chapter / name
            target.parent.mkdir(parents=True)
            nbformat.write(nb, target)

    seconds = {"autograde": _nbgrader(course, "autograde", "*")}  # every chapter and student
    seconds["export"] = _nbgrader(course, "export")
    seconds["generate_feedback"] = _nbgrader(course, "generate_feedback", "*")

    sizes = {
        p.relative_to(course / "autograded").as_posix(): p.stat().st_size
        for p in (course / "autograded").glob("*/*/*.ipynb")
    }
    largest = max(sizes, key=sizes.get)
    record_property("largest_autograded_notebook", f"{largest}: {sizes[largest]} bytes")
    record_property("nbgrader_seconds", {k: round(v, 1) for k, v in seconds.items()})
    print(f"\nlargest autograded notebook: {largest}, {sizes[largest] / 1e6:.1f} MB")
    # the live explorers run in the graded copies and nbgrader saves their widget state: it
    # holds each figure's JSON, not plotly.js (widgets.livefigure), so the copies stay small
    assert sizes[largest] <= 3_000_000, f"{largest}: {sizes[largest] / 1e6:.1f} MB"
    print("nbgrader seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    exported = {
        (r["assignment"], r["student_id"]): r
        for r in csv.DictReader((course / "grades.csv").open())
    }
    for chapter, (auto, total) in expected.items():
        print(
            f"{chapter}: right {exported[(chapter, 'right')]['score']}, "
            f"empty {exported[(chapter, 'empty')]['score']} "
            f"(of {sum(auto.values())} autograded, {total} in all)"
        )
    assert len(sizes) == len(exported) == 2 * len(CHAPTERS)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for (chapter, student), row in exported.items():
            auto, total = expected[chapter]
            right = student == "right"
            # the gradebook and the export: every autograded point or none
            graded = gradebook.find_submission_notebook(chapter, chapter, student)
            grades = {g.name: g for g in graded.grades}
            assert {n: grades[n].max_score for n in auto} == auto, chapter
            got = {n: grades[n].score for n in auto}
            assert got == (auto if right else dict.fromkeys(auto, 0.0)), (chapter, student, got)
            assert graded.max_score == float(row["max_score"]) == total
            score = sum(auto.values()) if right else 0.0
            assert graded.score == float(row["score"]) == score, (chapter, student, row)
            # the written answers wait for the instructor; unchanged ones score 0 at once
            assert graded.needs_manual_grade == right, (chapter, student)

            # the autograded notebook: no error and every check passed; or each check (and
            # nothing else) failing with a reminder (plain JSON: the notebooks are large)
            path = course / "autograded" / student / chapter / f"{chapter}.ipynb"
            cells = json.loads(path.read_text())["cells"]
            errors = {
                c["metadata"].get("nbgrader", {}).get("grade_id"): o["ename"]
                for c in cells
                if c["cell_type"] == "code"
                for o in c["outputs"]
                if o["output_type"] == "error"
            }
            said = [
                # a stream's text is a string, or a list of lines in a file's JSON
                "".join("".join(o.get("text", "")) for o in c["outputs"])
                for c in cells
                if c["metadata"].get("nbgrader", {}).get("grade_id") in auto
            ]
            assert len(said) == len(auto), path
            if right:
                assert not errors and all(": correct." in t for t in said), (path, errors, said)
            else:
                assert errors == dict.fromkeys(auto, "AssertionError"), (path, errors)
                assert all("not answered yet" in t for t in said), (path, said)

            feedback = course / "feedback" / student / chapter / f"{chapter}.html"
            assert f"Score: {score} / {total}" in feedback.read_text(), feedback
