"""Store the outputs of the checked cells (first line ``# NBVAL_CHECK_OUTPUT``) in chapters.

nbval compares a re-run cell with the output stored in the notebook, so the numbers that a
chapter's prose quotes are stored with the notebook (and nothing else is: every other output
is produced at build time). Run after changing a model or a chapter:

    .venv/bin/python scripts/store_checked_outputs.py chapters/*.ipynb

Then check that the prose still quotes the printed numbers (tests/test_chapters.py does).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "# NBVAL_CHECK_OUTPUT"


def store(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    run = nbformat.read(path, as_version=4)
    NotebookClient(
        run, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    n = 0
    for cell, done in zip(nb.cells, run.cells):
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if cell.source.startswith(MARK):
            # nbval only compares cells that carry an execution count
            cell.execution_count = n + 1
            outputs = [o for o in done.outputs if o.output_type in ("stream", "execute_result")]
            for o in outputs:
                if o.output_type == "execute_result":
                    o.execution_count = n + 1
            cell.outputs = outputs
            n += 1
        else:
            cell.outputs = []
    nbformat.write(nb, path)
    return n


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: stored the output of {store(Path(name))} checked cells")
