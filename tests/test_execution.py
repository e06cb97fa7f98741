"""The execution cache never serves a stale figure: a change to the package, the data or the
pins re-executes the notebooks; a prose-only change executes nothing.

A tiny book in a temporary folder stands in for the real one (its notebook runs in a second).
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from conftest import execute_notebooks as ex


@pytest.fixture
def book(tmp_path):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n")
    model = tmp_path / "src" / "widgets" / "models" / "m.py"
    model.parent.mkdir(parents=True)
    model.write_text("RATE = 0.1\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "d.csv").write_text("a\n1\n")
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("print(1)")],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, tmp_path / "page.ipynb")
    return tmp_path


def edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))


def test_inputs_cover_the_package_data_and_pins():
    files = {p.relative_to(ROOT).as_posix() for pattern in ex.INPUTS for p in ROOT.glob(pattern)}
    for needed in (
        "src/widgets/models/checkpoint.py",
        "data/trials.csv",
        "requirements.txt",
        "references.bib",
        "_config.yml",
    ):
        assert needed in files


def test_a_model_change_re_executes_and_prose_does_not(book):
    page = book / "page.ipynb"
    assert ex.execute(book, workers=1, quiet=True) == [page]
    assert ex.execute(book, workers=1, quiet=True) == []  # nothing changed

    nb = nbformat.read(page, as_version=4)  # a prose-only edit
    nb.cells[0].source += "\n\nMore words."
    nbformat.write(nb, page)
    assert ex.stale(book) == []

    edit(book / "src" / "widgets" / "models" / "m.py", "0.1", "0.2")  # a model edit
    assert ex.stale(book) == [page]
    before = page.stat().st_mtime_ns
    assert ex.execute(book, workers=1, quiet=True) == [page]
    assert page.stat().st_mtime_ns > before  # so Sphinx reads the page again

    for changed in (book / "data" / "d.csv", book / "requirements.txt", book / "_config.yml"):
        before = ex.inputs_digest(book)
        changed.write_text(changed.read_text() + "# changed\n")
        assert ex.inputs_digest(book) != before, changed  # so the cache is emptied


def test_a_failing_notebook_stops_the_build(book):
    nb = nbformat.read(book / "page.ipynb", as_version=4)
    nb.cells[1].source = "raise ValueError('broken')"
    nbformat.write(nb, book / "page.ipynb")
    with pytest.raises(SystemExit):
        ex.execute(book, workers=1, quiet=True)
