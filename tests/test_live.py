"""The live face, as a student meets it in Binder or locally: JupyterLab on localhost with a
real kernel runs a chapter, moving a live slider in Chromium redraws the figure (its title and
subtitle drawn as HTML above the plot, clear of each other and of the plot), and the chapter's
quiz answers from its own output. A notebook of live explorers alone shows that the figures
get plotly.js from the kernel (widgets.livefigure) when the page has none."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, chromium_path

pytestmark = pytest.mark.book

CHAPTER = "03_checkpoint_inhibitors.ipynb"
#: two live explorers and nothing else: no static figure gives the page a plotly.js first
LIVE_ONLY = "live_only.ipynb"
LIVE_ONLY_CELLS = [
    "from widgets.views import checkpoint\ncheckpoint.treatment_view.live()",
    "checkpoint.response_map_view.live()",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    chromium_path()  # skip (or fail in CI) before starting a server if there is no browser
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "chapters" / CHAPTER, work / CHAPTER)  # never touch the repo's copy
    live_only = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in LIVE_ONLY_CELLS]
    )
    live_only.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(live_only, work / LIVE_ONLY)
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
            f"--LabApp.workspaces_dir={work / 'workspaces'}",  # not the user's own
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

#: the boxes of a live figure's HTML title and subtitle and of its plot, and whether the
#: title's or subtitle's text runs past its box (it should wrap)
TITLE_BOXES = """el => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const title = el.querySelector('.widgets-fig-title');
  const sub = el.querySelector('.widgets-fig-sub');
  const plot = el.querySelector('.js-plotly-plot');
  const seen = e => { const c = getComputedStyle(e); return +c.opacity * +c.fillOpacity; };
  return {title: box(title), sub: box(sub), plot: box(plot),
    titleText: title.textContent, subText: sub.textContent,
    layoutTitle: plot.layout.title.text,
    overflow: [title, sub].some(e => e.scrollWidth > e.clientWidth + 1),
    inPlot: Array.from(plot.querySelectorAll('.gtitle, .gtitle-subtitle')).map(seen)};
}"""


def plain(text: str) -> str:
    """A Plotly title as the live figure shows it: tags out, spaces collapsed, line breaks
    (<br>) kept."""
    lines = re.split(r"<br\s*/?>", text or "", flags=re.I)
    return "\n".join(" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines).strip()


def check_titles(figure) -> str:
    """The live figure's title and subtitle are text above the plot, clear of each other and
    of the plot, and the plot's own title and subtitle are invisible; returns the title."""
    b = figure.evaluate(TITLE_BOXES)
    assert b["titleText"] and b["subText"], b
    assert b["titleText"] == plain(b["layoutTitle"]), b
    assert b["title"]["bottom"] <= b["sub"]["top"] + 0.5, b
    assert b["sub"]["bottom"] <= b["plot"]["top"] + 0.5, b
    assert b["title"]["right"] <= b["plot"]["right"] + 0.5, b
    assert not b["overflow"], b
    assert b["inPlot"] and not any(b["inPlot"]), b  # Plotly's own title: transparent
    return b["titleText"]


def open_and_run(page, lab: str, path: str) -> None:
    """Open a notebook in JupyterLab, run every cell and wait until all have run."""
    page.goto(f"{lab}/{path}")
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


def drawn_plot(page, output):
    """The plot of a live explorer's output, once it is drawn."""
    # JupyterLab may defer drawing cells that are off screen: bring the explorer into view
    output.scroll_into_view_if_needed()
    plot = output.locator(".js-plotly-plot").first
    plot.wait_for(state="attached", timeout=180_000)
    page.wait_for_function(
        "el => el.data && el.data.length > 0", arg=plot.element_handle(), timeout=180_000
    )
    return plot


FIGURE_TEXT = (Path(__file__).parent / "figure_text.js").read_text()


def assert_text_fits(output, where: str) -> None:
    measured = output.evaluate(FIGURE_TEXT)
    assert len(measured) == 1 and measured[0]["boxes"] > 10, measured
    assert measured[0]["overlaps"] == [] and measured[0]["cut"] == [], (where, measured)


def test_live_slider_redraws_the_figure(browser, lab):
    page = browser.new_page(viewport={"width": 1300, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        open_and_run(page, lab, f"lab/tree/{CHAPTER}")
        # the first live explorer: its sliders and its figure share one output area
        output = page.locator(
            ".jp-OutputArea-output:has(.widget-slider):has(.js-plotly-plot)"
        ).first
        output.wait_for(timeout=180_000)
        plot = drawn_plot(page, output)
        figure = output.locator(".widgets-livefigure").first
        before = plot.evaluate(LAST_POINTS)
        title_before = plot.evaluate("d => d.layout.title.text")
        html_title = check_titles(figure)
        assert html_title == plain(title_before)
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
        # the HTML title follows the redraw, and still clears the subtitle and the plot
        page.wait_for_function(
            "([f, old]) => f.querySelector('.widgets-fig-title').textContent !== old",
            arg=[figure.element_handle(), html_title],
            timeout=30_000,
        )
        check_titles(figure)
        # the live figure's text fits, as the book's figures do (tests/figure_text.js), at
        # this width and at a phone's, where it takes the book's phone layout
        shots = ROOT / "_build" / "screenshots" / "1280"
        shots.mkdir(parents=True, exist_ok=True)
        output.screenshot(path=str(shots / "jupyterlab_live_explorer.png"))
        assert_text_fits(output, "1300 px")
        # a reader on a phone closes JupyterLab's file browser, which would take most of it
        page.evaluate(
            "async () => { const app = window.jupyterapp;"
            " if (!app.shell.leftCollapsed) {"
            "   await app.commands.execute('application:toggle-left-area'); } }"
        )
        page.set_viewport_size({"width": 390, "height": 1400})
        page.wait_for_function(
            "d => d.layout.font && d.layout.font.size === 12",  # figure.js's phone layout
            arg=plot.element_handle(),
            timeout=60_000,
        )
        page.wait_for_timeout(500)
        shots = ROOT / "_build" / "screenshots" / "390"
        shots.mkdir(parents=True, exist_ok=True)
        output.screenshot(path=str(shots / "jupyterlab_live_explorer.png"))
        assert_text_fits(output, "390 px")
        page.set_viewport_size({"width": 1300, "height": 1400})
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


def test_live_figures_get_plotly_js_from_the_kernel(browser, lab):
    """With no plotly.js on the page, the first live figure asks the kernel for it (the
    widget state does not carry it), and every live figure of the page draws with that copy."""
    page = browser.new_page(viewport={"width": 1300, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # its own workspace: the page opens this notebook alone
        open_and_run(page, lab, f"lab/workspaces/live-only/tree/{LIVE_ONLY}")
        outputs = page.locator(".jp-OutputArea-output:has(.widget-slider):has(.widgets-livefigure)")
        outputs.nth(1).wait_for(timeout=180_000)
        for k in range(2):
            drawn_plot(page, outputs.nth(k))
            check_titles(outputs.nth(k).locator(".widgets-livefigure").first)
        shared = page.evaluate(
            "() => { const s = globalThis.__immunotherapyBookPlotly;"
            " return {requests: s.requests, answers: s.answers, error: s.error && String(s.error),"
            " same: s.plotly === window.Plotly, version: s.plotly.version}; }"
        )
        assert shared["requests"] >= 1 and shared["answers"] >= 1, shared
        assert shared["error"] is None and shared["same"], shared
        from widgets.livefigure import PLOTLY_BUNDLE, js_version

        assert shared["version"] == js_version(PLOTLY_BUNDLE)
        assert errors == []
    finally:
        page.close()
