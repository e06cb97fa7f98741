"""Every notebook of the book runs without error and prints the numbers it stores.

This is what ``pytest --nbval-lax`` checks (every cell runs; a cell whose first line is
``# NBVAL_CHECK_OUTPUT`` prints exactly its stored output), read from the one execution that
the book build also uses (``scripts/execute_notebooks.py``), so the suite executes each
notebook once, not once for nbval and again for the book. nbval itself still works for an
author checking one chapter:
``pytest -n 0 --nbval-lax --nbval-current-env chapters/03_checkpoint_inhibitors.ipynb``.
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, execute_notebooks

MARK = "# NBVAL_CHECK_OUTPUT"
NOTEBOOKS = execute_notebooks.notebooks(ROOT)


def printed(outputs) -> list[tuple[str, str]]:
    """What a cell printed: its streams and the plain text of its result, in order (a stream
    the kernel happened to send in several pieces counts as one, as in nbval)."""
    shown = []
    for out in outputs:
        if out.output_type == "stream":
            if shown and shown[-1][0] == out.name:
                shown[-1] = (out.name, shown[-1][1] + out.text)
            else:
                shown.append((out.name, out.text))
        elif out.output_type == "execute_result":
            shown.append(("result", out.data.get("text/plain", "")))
        elif out.output_type == "error":
            shown.append(("error", f"{out.ename}: {out.evalue}"))
    return shown


def test_every_chapter_is_checked():
    chapters = {p for p in NOTEBOOKS if p.parent.name == "chapters"}
    assert chapters == set(ROOT.glob("chapters/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_prints_its_checked_numbers(executed, path):
    stored = nbformat.read(path, as_version=4)
    _, ran = executed.merge_match_into_notebook(stored)
    checked = 0
    for k, (cell, done) in enumerate(zip(stored.cells, ran.cells)):
        if cell.cell_type != "code":
            continue
        assert not any(o.output_type == "error" for o in done.outputs), f"cell {k} failed"
        if cell.source.startswith(MARK):
            checked += 1
            assert printed(done.outputs) == printed(cell.outputs), (
                f"{path.name}, cell {k}: the re-run printed something other than the stored "
                "output (after a deliberate change, run scripts/store_checked_outputs.py)"
            )
    if path.parent.name == "chapters":
        assert checked, f"{path.name} has no checked cell"
