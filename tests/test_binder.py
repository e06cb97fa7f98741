"""Binder's own pins (binder/), and the pull-request workflow.

repo2docker reads the ``binder/`` folder instead of the repository's top level, so Binder installs
``binder/requirements.txt``: the runtime part of ``requirements.txt``, written by
``scripts/binder_requirements.py``. The slow tests below do what Binder does: a fresh virtual
environment, ``binder/requirements.txt`` installed into it from the repository's root, and every
notebook of the book run top to bottom in a kernel of that environment, live explorers included,
with the widget state saved.

Binder installs with ``pip install -r``; the test installs the same file with ``uv pip install
-r``, which takes about 5 s from a warm cache and 20 s from an empty one where pip takes about a
minute of CPU. Every line is an exact pin (or ``-e .``), so both install the same distributions,
and the test asserts that the environment holds exactly the pins and the book's package.
"""

from __future__ import annotations

import asyncio
import importlib
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
import yaml
from conftest import ROOT, execute_notebooks

binder_requirements = importlib.import_module("binder_requirements")  # scripts/ (conftest)

BINDER = ROOT / "binder"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")

#: Tools for testing, linting, grading or building the book: none of them belongs on Binder.
TEST_TOOLS = {
    "pytest",
    "pytest-xdist",
    "execnet",
    "hypothesis",
    "playwright",
    "axe-playwright-python",
    "nbval",
    "nbgrader",
    "ruff",
    "uv",
    "coverage",
    "jupyter-book",
    "jupyter-cache",
    "myst-nb",
    "myst-parser",
    "sphinx",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "sphinxcontrib-bibtex",
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[_canonical(match[1])] = match[2]
    return pins


# -- the pins ---------------------------------------------------------------------------------
def test_binder_pins_are_what_the_script_writes():
    """The committed file is the script's output from requirements.txt, so they cannot drift:
    after changing requirements.txt, run scripts/binder_requirements.py."""
    assert (BINDER / "requirements.txt").read_text(encoding="utf-8") == (
        binder_requirements.render(ROOT)
    ), "binder/requirements.txt is stale: run .venv/bin/python scripts/binder_requirements.py"


def test_every_binder_pin_is_the_top_level_pin():
    lines = [
        l.strip()
        for l in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if l.strip() and not l.startswith("#")
    ]
    # pip reads `.` relative to its working directory, and repo2docker runs it from the root
    assert lines[-1] == "-e ."
    top = set((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    for line in lines[:-1]:
        assert PIN.match(line), f"not an exact pin: {line}"
        assert line in top, f"{line} is not the pin in requirements.txt"
    assert len(set(lines)) == len(lines)


def test_binder_has_the_runtime_and_none_of_the_test_tools():
    pins = _pins(BINDER / "requirements.txt")
    runtime = ["jupyterlab", "notebook", "ipywidgets", "anywidget", "ipykernel", "plotly"]
    runtime += ["numpy", "scipy", "pandas", "lifelines", "pyyaml", "pybtex", "widgetsnbextension"]
    assert not [name for name in runtime if name not in pins]
    assert not TEST_TOOLS & set(pins)
    assert not [name for name in pins if name.startswith("sphinx")]
    assert len(pins) < len(_pins(ROOT / "requirements.txt"))


def test_binder_runtime_is_the_top_level_runtime():
    # repo2docker reads runtime.txt from binder/ too, once that folder exists
    assert (BINDER / "runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (ROOT / ".binder").exists()  # repo2docker refuses both folders


# -- a fresh environment made as Binder makes it --------------------------------------------
KERNEL = "binder-runtime-test"
#: Appended to each notebook's temporary copy: where the kernel's Python and the book come from.
PROBE = "import sys, widgets\nprint(sys.prefix)\nprint(widgets.__file__)"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WARM_UP = """\
import importlib, pkgutil
import ipykernel.kernelapp, ipywidgets, anywidget, plotly.graph_objects, widgets
for module in pkgutil.walk_packages(widgets.__path__, "widgets."):
    if module.name != "widgets.mystnb":  # the HTML build's plugin (myst-nb), not a reader's
        importlib.import_module(module.name)
"""


#: Not passed on to the new environment's Python: no other environment's modules, and bytecode
#: written where it may be (without it, every kernel compiles everything it imports again).
UNSET = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(extra)
    return env


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode:
        pytest.fail(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A fresh virtual environment with binder/requirements.txt installed from the root, as
    repo2docker installs it (with uv instead of pip: see the module's docstring; uv's download
    cache is reused), and a kernelspec for its Python in a temporary Jupyter path."""
    runtime = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    if "{}.{}".format(*sys.version_info[:2]) != runtime:
        pytest.skip(f"Binder runs Python {runtime}; this is Python {sys.version.split()[0]}")
    work = tmp_path_factory.mktemp("binder")
    env = work / "env"
    start = time.perf_counter()
    _run([sys.executable, "-m", "venv", str(env)], env=_clean_env())
    python = env / "bin" / "python"
    # uv, like pip, reads `-e .` against the working directory. It compiles no bytecode: Python
    # writes that for what the kernels import, when they import it.
    _run(
        [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(python)]
        + ["-r", "binder/requirements.txt"],
        cwd=ROOT,
        env=_clean_env(),
    )
    print(f"binder env installed in {time.perf_counter() - start:.0f} s")
    # ... and here, once, for what a kernel and the chapters import (two kernels starting
    # together would each compile it); this also checks that the book imports in the env
    start = time.perf_counter()
    _run([str(python), "-c", WARM_UP], cwd=work, env=_clean_env())
    print(f"the book's modules imported in {time.perf_counter() - start:.0f} s")
    spec = work / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": argv,
                "display_name": "Binder's runtime (test)",
                "language": "python",
                # no user start-up files: only what the environment itself brings
                "env": {"IPYTHONDIR": str(work / "ipython"), "MPLCONFIGDIR": str(work / "mpl")},
            }
        )
    )
    return env, work / "jupyter"


def _installed(python: Path) -> dict[str, str]:
    out = _run([str(python), "-m", "pip", "list", "--format=json"], env=_clean_env()).stdout
    return {_canonical(d["name"]): d["version"] for d in json.loads(out)}


@pytest.mark.book
def test_binder_env_is_the_binder_pins_and_nothing_else(binder_env):
    env, _ = binder_env
    installed = _installed(env / "bin" / "python")
    pins = _pins(BINDER / "requirements.txt")
    assert not TEST_TOOLS & set(installed)
    assert {n: installed.get(n) for n in pins} == pins
    # besides the pins: the book's package and what `python -m venv` itself installs
    extra = set(installed) - set(pins) - {"pip", "setuptools"}
    assert extra == {"immunotherapy-widgets"}
    # JupyterLab (and Notebook 7, which uses its extensions) can draw the live widgets
    listed = _run([str(env / "bin" / "jupyter"), "labextension", "list"], env=_clean_env())
    lines = (listed.stdout + listed.stderr).splitlines()
    for extension in ("@jupyter-widgets/jupyterlab-manager", "anywidget", "jupyterlab-plotly"):
        line = next((l for l in lines if l.split()[:1] == [extension]), "")
        assert "enabled" in line and "OK" in line, f"{extension} is not enabled: {lines}"


async def _execute_all(paths: list[Path], parallel: int = 2):
    from nbclient import NotebookClient

    gate = asyncio.Semaphore(parallel)

    async def one(path: Path):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        client = NotebookClient(
            nb,
            kernel_name=KERNEL,
            timeout=600,
            allow_errors=False,
            store_widget_state=True,
            shutdown_kernel="immediate",
            # the build skips the live explorers (tag skip-execution); a Binder reader runs them
            skip_cells_with_tag="run-every-cell-in-test-binder",
            resources={"metadata": {"path": str(path.parent)}},
        )
        async with gate:
            start = time.perf_counter()
            await client.async_execute()
            print(f"{path.name}: {time.perf_counter() - start:.0f} s")
        return nb

    return await asyncio.gather(*(one(p) for p in paths), return_exceptions=True)


@pytest.mark.book
def test_every_notebook_runs_live_in_the_binder_env(binder_env, tmp_path, monkeypatch):
    """Every notebook of the table of contents, top to bottom, live cells included, in a kernel
    of the fresh environment, from a temporary copy (the repository's notebooks are not touched),
    two at a time, with the widget state stored as Jupyter saves it."""
    env, jupyter_path = binder_env
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    for name in UNSET:  # the kernels inherit this process's environment
        monkeypatch.delenv(name, raising=False)
    sources = execute_notebooks.notebooks(ROOT)
    assert len(sources) >= 10
    before = {p: p.read_bytes() for p in sources}
    copies = []
    for source in sources:
        copy = tmp_path / source.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, copy)
        copies.append(copy)
    copies.sort(key=lambda p: -p.stat().st_size)  # the longest first: two lanes end together
    start = time.perf_counter()
    results = asyncio.run(_execute_all(copies))
    print(f"{len(copies)} notebooks in {time.perf_counter() - start:.0f} s")
    failed = {p.name: r for p, r in zip(copies, results) if isinstance(r, BaseException)}
    assert not failed, "\n\n".join(f"{name}:\n{error}" for name, error in failed.items())
    live_total = 0
    for path, nb in zip(copies, results):
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name}: a cell did not run"
        assert not [o for c in code for o in c.outputs if o.output_type == "error"]
        live = [c for c in code if "skip-execution" in c.metadata.get("tags", [])]
        live_total += len(live)
        if live:  # the live explorers drew their widgets, and Jupyter's saved state has them
            assert all(c.outputs for c in live), f"{path.name}: a live cell shows nothing"
            assert nb.metadata["widgets"][WIDGET_STATE]["state"], path.name
        prefix, module = "".join(o.get("text", "") for o in code[-1].outputs).split()
        assert Path(prefix).resolve() == env.resolve(), f"{path.name} ran in {prefix}"
        assert Path(module).resolve().is_relative_to(ROOT / "src"), module
    assert live_total >= 10
    assert {p: p.read_bytes() for p in sources} == before  # the repository's are untouched


# -- the pull-request workflow ----------------------------------------------------------------
def test_pull_requests_run_the_readme_test_command():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "pull_request" in triggers
    assert (triggers["pull_request"] or {}).get("branches") is None  # every pull request
    steps = flow["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "make test" in runs  # the README's test command, as it is
    assert flow["jobs"]["test"]["runs-on"].startswith("ubuntu")
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    # the browser tests find `chromium` on the PATH (conftest.chromium_path), before make test
    chromium = next(i for i, r in enumerate(runs) if "/usr/local/bin/chromium" in r)
    assert chromium < runs.index("make test")
    assert "make test" in (ROOT / "README.md").read_text()
