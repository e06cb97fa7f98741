"""The live face, as a student meets it in Binder or locally: JupyterLab on localhost with a
real kernel runs a chapter, moving a live slider in Chromium redraws the figure, and the
chapter's quiz answers from its own output."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, chromium_path

pytestmark = pytest.mark.book

CHAPTER = "03_checkpoint_inhibitors.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    chromium_path()  # skip (or fail in CI) before starting a server if there is no browser
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "chapters" / CHAPTER, work / CHAPTER)  # never touch the repo's copy
    # attach every cell to the page: by default JupyterLab skips drawing cells off screen,
    # and under load a figure off screen may wait minutes to be drawn
    tracker = work / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = _free_port()
    log = (work / "lab.log").open("w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter-lab")),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={work}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={work / 'settings'}",
            "--allow-root",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                pytest.fail("JupyterLab did not start:\n" + (work / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


LAST_POINTS = "d => JSON.stringify(d.data.map(t => t.y ? Array.from(t.y).slice(-1) : null))"


def test_live_slider_redraws_the_figure(browser, lab):
    page = browser.new_page(viewport={"width": 1300, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{lab}/lab/tree/{CHAPTER}")
        page.wait_for_function(
            "() => window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
            timeout=90_000,
        )
        # wait until the notebook's kernel is up and idle, then run every cell (without
        # awaiting the command's promise, which resolves only when all cells have run)
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }",
            timeout=90_000,
        )
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        # let every cell finish first, so that the kernel is free to answer the widgets
        page.wait_for_function(
            "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
            " return nb.widgets.every(c => c.model.type !== 'code'"
            "   || c.model.executionCount !== null); }",
            timeout=600_000,
        )
        # the first live explorer: its sliders and its FigureWidget share one output area
        output = page.locator(
            ".jp-OutputArea-output:has(.widget-slider):has(.js-plotly-plot)"
        ).first
        output.wait_for(timeout=180_000)
        # JupyterLab may defer drawing cells that are off screen: bring the explorer into view
        output.scroll_into_view_if_needed()
        plot = output.locator(".js-plotly-plot").first
        page.wait_for_function(
            "el => el.data && el.data.length > 0", arg=plot.element_handle(), timeout=180_000
        )
        before = plot.evaluate(LAST_POINTS)
        title_before = plot.evaluate("d => d.layout.title.text")
        # infiltration: the second slider of chapter 3's first live explorer
        handle = output.locator(".widget-slider .noUi-handle").nth(1)
        handle.focus()
        for _ in range(25):
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            f"([el, old]) => ({LAST_POINTS})(el) !== old",
            arg=[plot.element_handle(), before],
            timeout=180_000,
        )
        assert plot.evaluate("d => d.layout.title.text") != title_before
        # the chapter's quiz works in Jupyter too: its feedback comes from its own HTML output
        page.evaluate(
            "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
            " const i = nb.widgets.findIndex("
            "   c => c.model.sharedModel.getSource().includes('quiz.show('));"
            " nb.activeCellIndex = i; return nb.scrollToItem(i); }"
        )
        right = page.locator(".book-quiz input[type=radio][data-correct=true]").first
        right.wait_for(timeout=180_000)
        right.scroll_into_view_if_needed()
        right.check()
        status = page.locator(".book-quiz fieldset").first.locator("[role=status]")
        page.wait_for_function(
            "el => el.textContent.length > 0", arg=status.element_handle(), timeout=10_000
        )
        assert status.inner_text().startswith("Correct. ")
        assert errors == []
    finally:
        page.close()
