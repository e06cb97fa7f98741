"""Shared test set-up: the repository root and a clean, non-interactive Plotly renderer."""

from __future__ import annotations

import importlib
import math
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from widgets import reference

# Property tests draw the same examples on every run, so a test run is reproducible (a
# failure found once is found again) and CI cannot turn red by chance.
settings.register_profile("book", derandomize=True, deadline=None)
settings.load_profile("book")

ROOT = Path(__file__).resolve().parents[1]


#: The chapter notebooks in the book, in the order of the table of contents.
CHAPTERS = reference.chapter_paths(ROOT)
#: Every chapter notebook in the folder (test_chapters checks that the two agree).
CHAPTER_FILES = reference.chapter_files(ROOT)
#: The chapters' numbers, in book order.
CHAPTER_NUMBERS = [reference.chapter_number(p) for p in CHAPTERS]


def param_values(params, *, log_scale: bool = True, skip=()):
    """A hypothesis strategy: a dict drawing every parameter of ``params`` (a ParamTable)
    inside its declared range, the ``log`` ones uniformly in log10 unless ``log_scale`` is
    False; parameters named in ``skip`` are left out."""

    def one(p):
        if p.kind == "bool":
            return st.booleans()
        if p.kind == "int":
            return st.integers(int(p.lo), int(p.hi))
        if log_scale and p.log and p.lo > 0:
            return st.floats(math.log10(p.lo), math.log10(p.hi)).map(
                lambda x, p=p: min(max(10.0**x, p.lo), p.hi)
            )
        return st.floats(p.lo, p.hi, allow_nan=False)

    return st.fixed_dictionaries({p.name: one(p) for p in params if p.name not in skip})


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


#: scripts/execute_notebooks.py: the one execution of the notebooks, shared by the checks of
#: their printed numbers and by the book build (importable by name, for its worker processes).
sys.path.insert(0, str(ROOT / "scripts"))
execute_notebooks = importlib.import_module("execute_notebooks")


@pytest.fixture(scope="session")
def executed():
    """The execution cache, with every notebook of the book executed into it (by this worker,
    or by another that holds the lock; notebooks already cached are not executed again)."""
    try:
        execute_notebooks.execute(ROOT, quiet=True)
    except SystemExit:
        pytest.fail("a notebook failed to execute; run scripts/execute_notebooks.py to see it")
    from jupyter_cache import get_cache

    return get_cache(str(execute_notebooks.cache_path(ROOT)))


# -- a real browser: Debian's Chromium driven by Playwright ---------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium, or skip (fail in CI, which must run the browser tests)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = (
        "Chromium was not found, so the browser tests cannot run. Install Debian's "
        "'chromium' package (apt-get install chromium); .ci/run does this in CI."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: The longest test files, longest first (seconds on one core of the 2-core development
#: machine, 7 December 2026): pytest-xdist hands out whole files (``--dist loadfile``) in
#: collection order (``--no-loadscope-reorder``), so these start first and the many short
#: files fill in beside them, instead of one long file starting last and running alone.
LONGEST_FIRST = ("test_assignments", "test_book", "test_binder", "test_live")  # ~300, 300, 120, 60


def pytest_collection_modifyitems(items):
    """The longest files first (:data:`LONGEST_FIRST`); and tests/test_book.py's browser
    tests share one load of each page (its ``pages`` fixture), so each page's tests run in a
    row, in the order ``test_book.page_order`` gives. The order is the same in every
    pytest-xdist worker, as xdist requires."""

    def rank(item):
        name = item.module.__name__
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file keeps its own order
    book = [item for item in items if item.module.__name__ == "test_book"]
    if not book:
        return
    ordered = iter(sorted(book, key=book[0].module.page_order))
    items[:] = [next(ordered) if item.module.__name__ == "test_book" else item for item in items]
