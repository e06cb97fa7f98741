"""The whole book, built once with warnings as errors, then read in a real browser.

Build checks: each chapter page carries its figures, drawn by plotly.js and require.js served
from the book itself. Browser checks (Playwright driving Debian's Chromium): every page loads
with no JavaScript error, no failed request and no request to another site; every figure
draws, at a desktop width (1280 px) and a phone width (390 px), with no two pieces of its text
overlapping and none running past its edge (``figure_text.js`` measures them); the static
sliders label every step and change the plotted data, with the mouse and from the keyboard;
the quizzes give feedback from the keyboard; axe-core finds no serious or critical
accessibility violation; a screenshot of each page at each width is written under
``_build/screenshots/<width>``. Without Chromium the browser checks are skipped with a
message (CI installs it, and there they must run).
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import CHAPTERS, ROOT

pytestmark = pytest.mark.book

SCREENSHOTS = ROOT / "_build" / "screenshots"
#: a desktop and a phone (an iPhone 12 to 15 is 390 CSS px wide)
WIDTHS = (1280, 390)
FIGURE_TEXT = (Path(__file__).parent / "figure_text.js").read_text()


@pytest.fixture(scope="module")
def html(executed) -> Path:
    """The book, built as ``make book`` builds it: into ``_build/html``, with the outputs of
    the one execution the notebook checks also read (the ``executed`` fixture), strictly."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_book.py")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "every notebook's outputs are in the cache" in result.stdout, "executed again"
    assert "Executing notebook" not in result.stdout, "the build executed a notebook again"
    return ROOT / "_build" / "html"


def book_pages(html: Path) -> list[str]:
    pages = [p.relative_to(html).as_posix() for p in html.rglob("*.html")]
    return sorted(p for p in pages if not p.startswith("_") and p not in {"index.html"})


# -- the built HTML -------------------------------------------------------------------------
def test_static_scripts_are_served_locally(html):
    # plotly's cartesian partial bundle, not the full 4.8 MB plotly.min.js
    assert 1_000_000 < (html / "_static" / "plotly-cartesian.min.js").stat().st_size < 2_000_000
    assert (html / "_static" / "require-2.3.7.js").is_file()
    page = (html / "chapters" / "03_checkpoint_inhibitors.html").read_text()
    # deferred: the page's text shows before plotly.js starts
    assert re.search(r'<script defer="defer" src="\.\./_static/plotly-cartesian\.min\.js', page)
    # a page without figures loads no plotly.js (a second of a phone's time)
    assert "plotly-cartesian" not in (html / "glossary.html").read_text()
    assert "fontawesome.js" not in page  # the theme's CSS draws the icons from web fonts
    # nor the search index (only search.html needs it) nor sphinx-design (no page uses it)
    for unused in ("searchindex.js", "searchtools.js", "sphinx-design", "design-tabs"):
        assert unused not in page, unused
    assert "searchindex.js" in (html / "search.html").read_text()
    assert "_static/require-2.3.7.js" in page
    # plotly.js must load before require.js, or it registers as an AMD module and
    # the figures find no global Plotly.
    assert page.index("plotly-cartesian.min.js") < page.index("require-2.3.7.js")


def test_every_page_names_the_version_of_the_scripts_it_loads(html):
    """Each page links its scripts and stylesheets with the checksum of the file as built
    (``?v=``, or the theme's ``?digest=``), so a reader's browser fetches a changed script
    again instead of running its cached copy against the new page."""
    import zlib

    for name in book_pages(html):
        page = html / name
        links = re.findall(
            r'(?:src|href)="((?:\.\./)*_static/[^"#]+\.(?:js|css)[^"]*)"', page.read_text()
        )
        assert links, name
        for link in links:
            path, _, query = link.partition("?")
            if query.startswith("digest="):
                continue
            built = (page.parent / path).read_bytes().translate(None, b"\r")
            assert query == f"v={zlib.crc32(built):08x}", f"{name}: {link}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_page_has_its_figures(html, path):
    page = (html / "chapters" / f"{path.stem}.html").read_text()
    figures = page.count('class="widgets-figure"')
    assert figures >= 2, f"{path.stem}: {figures} figures"
    assert page.count("newPlot(") == figures
    assert page.count("Text description of the figure") == figures
    assert page.count('class="widgets-steps"') >= 1, "no static explorer slider"
    # no script or stylesheet from another site
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    # no inline script twice (a repeated `const` declaration is a JavaScript error)
    inline = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    heads = [body for body in inline if "newPlot(" not in body]
    assert len(heads) == len(set(heads)), "an inline script appears twice"
    # solutions are hidden behind a toggle
    assert page.count('class="solution') >= 3
    # the kernel-free quiz was rendered from the executed notebook
    assert page.count('class="book-quiz-question"') >= 3


def test_instructor_guide_lists_every_exercise_and_how_to_hand_out(html):
    from widgets.checks import all_exercises

    page = (html / "instructors.html").read_text()
    for exercise in all_exercises():
        assert f"<td>{exercise.id}</td>" in page, exercise.id
    for words in ("_build/assignments/", "nbgrader", "nbgitpuller", "Binder", "Colab"):
        assert words in page


def test_chapter_pages_offer_launch_buttons(html):
    from widgets import launch

    for path in CHAPTERS:
        page = (html / "chapters" / f"{path.stem}.html").read_text()
        assert f'href="{launch.colab_url(path)}"' in page
        assert f'href="{launch.binder_url(path)}"' in page
        assert "thebe-launch-button" in page or "initThebe" in page
        assert f'href="../_sources/chapters/{path.name}"' in page  # download the .ipynb
        assert "Set-up for Google Colab" not in page  # the Colab cell is removed from the page


# -- in a real browser (fixtures `browser` and `chromium_path` are in conftest.py) ---------
@pytest.fixture(scope="module")
def server(html):
    handler = functools.partial(_QuietHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


SCROLL_PAST_FIGURES = """async () => {
  for (const d of document.querySelectorAll('.plotly-graph-div')) {
    if (!d.checkVisibility()) continue;  // in a closed solution: drawn when it is opened
    d.scrollIntoView({ block: 'center' });
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
}"""


class Visit:
    """One page in Chromium, recording errors and every request it makes."""

    def __init__(self, browser, url: str, width: int = 1280):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        origin = url.split("/", 3)[:3]
        self.page = browser.new_page(viewport={"width": width, "height": 1000})
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}")
        )
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on(
            "response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}")
        )
        self.page.on(
            "request",
            lambda r: (
                r.url.split("/", 3)[:3] != origin
                and not r.url.startswith("data:")
                and self.foreign.append(r.url)
            ),
        )
        self.page.goto(url, wait_until="load")
        # figures are drawn as the reader comes near them (figure.js): come near each one,
        # as a reader scrolling through the page does, then go back to the top
        self.page.evaluate(SCROLL_PAST_FIGURES)
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.plotly-graph-div')]"
            ".every(d => !d.checkVisibility() || d.querySelector('.main-svg'))",
            timeout=20_000,
        )
        self.page.evaluate("window.scrollTo(0, 0)")

    def close(self):
        self.page.close()


class Pages:
    """The page a test asks for, loaded once for all the tests of it that run in a row.

    A chapter page takes several seconds to load and draw, and five tests read each one, so
    they share one load (``conftest.pytest_collection_modifyitems`` runs a page's tests in a
    row, see :func:`page_order`): those that only read the page come first, those that click
    in it (the quizzes, then the sliders) after them, and axe-core last. A page is loaded again
    for another width."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.key, self.visit = None, None

    def __call__(self, name: str, width: int = 1280) -> Visit:
        if self.key != (name, width):
            self.close()
            self.visit = Visit(self.browser, f"{self.server}/{name}", width=width)
            self.key = (name, width)
        return self.visit

    def close(self):
        if self.visit:
            self.visit.close()
        self.key, self.visit = None, None


@pytest.fixture(scope="module")
def pages(browser, server):
    opened = Pages(browser, server)
    yield opened
    opened.close()


PAGES = [
    "intro.html",
    "glossary.html",
    "references.html",
    "models_and_data.html",
    "instructors.html",
] + [f"chapters/{p.stem}.html" for p in CHAPTERS]
#: the browser tests of one page, in the order they use its one load: those that read it
#: first, then those that click in it, and axe-core last (it fetches the theme's stylesheets
#: again, one of them from a wrong address, which a later test would see as a failed request)
PAGE_TESTS = (
    "test_page_loads_cleanly_and_draws_every_figure",
    "test_every_figure_has_a_text_alternative",
    "test_quiz_gives_feedback_from_the_keyboard",
    "test_static_sliders_label_every_step_and_change_the_plotted_data",
    "test_no_serious_accessibility_violations",
)


def chapter_page(path: Path) -> str:
    return f"chapters/{path.stem}.html"


def page_order(item) -> tuple:
    """Sort key of this module's tests (conftest): the tests with no page first, then each
    page's tests at 1280 px in :data:`PAGE_TESTS` order, then at 390 px."""
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    name = params.get("name") or (chapter_page(params["path"]) if "path" in params else None)
    if item.originalname not in PAGE_TESTS or name is None:
        return (-1, 0, 0)
    width = params.get("width", 1280)
    return (PAGES.index(name), WIDTHS.index(width), PAGE_TESTS.index(item.originalname))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_draws_every_figure(pages, name, width):
    """... and every visible figure's text fits: no two text boxes (legend entries,
    annotations, axis and tick labels, data labels) overlap, and none runs past the figure."""
    visit = pages(name, width)
    assert visit.errors == []
    assert visit.failed == []
    assert visit.foreign == [], "a page must make no request to another site"
    figures = visit.page.locator(".plotly-graph-div")
    for i in range(figures.count()):
        if figures.nth(i).is_visible():  # one in a closed solution is drawn when opened
            assert figures.nth(i).locator(".main-svg").count() > 0, f"figure {i} not drawn"
    # a figure redrawn for the width settles: Plotly resizes a plot a moment after its
    # box changes (a scrollbar appearing, say); measure once every plot fits its box
    visit.page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(d => {"
        " const w = d.getBoundingClientRect().width, s = d.querySelector('.main-svg');"
        " const seen = w > 0 && d.checkVisibility({ visibilityProperty: true });"
        " return !seen || !s || Math.abs(s.getBoundingClientRect().width - w) < 1; })",
        timeout=20_000,
    )
    visit.page.wait_for_timeout(300)
    # measured before the screenshot: a full-page screenshot lets the page resize for a moment,
    # and Plotly redraws its plots after that
    measured = visit.page.evaluate(FIGURE_TEXT, None)
    folder = SCREENSHOTS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    # JPEG: a long page's PNG takes a second or two of the machine's time to encode
    shot = folder / (name.replace("/", "_").replace(".html", ".jpg"))
    visit.page.screenshot(path=str(shot), full_page=True, type="jpeg", quality=80)
    assert len(measured) == figures.count() or name.startswith("chapters/")
    problems = [
        f"figure {r['index']} ({r['title']}): overlapping {r['overlaps']}, cut {r['cut']}"
        for r in measured
        if r["overlaps"] or r["cut"]
    ]
    assert problems == [], f"at {width} px (screenshot {shot}):\n" + "\n".join(problems)
    assert all(r["boxes"] > 3 for r in measured), "a figure with almost no text was measured"


def test_figures_are_drawn_as_the_reader_comes_near_them(browser, server):
    """A chapter page draws, at first, only the figures within a screen of the view (drawing
    a dozen while the page loads would keep a phone busy for seconds); scrolling to the
    last figure draws it."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{server}/{chapter_page(CHAPTERS[2])}", wait_until="load")
        page.wait_for_timeout(500)
        drawn = "() => document.querySelectorAll('.plotly-graph-div .main-svg').length"
        total = page.locator(".plotly-graph-div").count()
        assert total >= 4 and page.evaluate(drawn) < total / 2
        last = page.locator(".plotly-graph-div").last
        last.scroll_into_view_if_needed()
        last.locator(".main-svg").first.wait_for(timeout=10_000)
    finally:
        page.close()


#: the first figure's plot: its div's width, and the width Plotly drew it at
FIRST_FIGURE_WIDTHS = """() => {
  const d = document.querySelector('.plotly-graph-div');
  return [d.clientWidth, Math.round(d.querySelector('.main-svg').getBoundingClientRect().width)];
}"""


def test_a_figure_follows_the_width_of_its_column(browser, server):
    """A figure is redrawn for the width its column has now: when the column narrows with
    no change to the window (a sidebar opened, a late layout), and when the window turns
    from a desktop to a phone width; its text then fits the new width."""
    visit = Visit(browser, f"{server}/{chapter_page(CHAPTERS[6])}")
    page = visit.page
    try:
        page.locator(".plotly-graph-div").first.scroll_into_view_if_needed()
        div, svg = page.evaluate(FIRST_FIGURE_WIDTHS)
        assert div == svg > 600
        for narrow in ("document.querySelector('.bd-article').style.width = '480px'", None):
            if narrow:
                page.evaluate(narrow)
            else:
                page.evaluate("document.querySelector('.bd-article').style.width = ''")
                page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_function(
                f"() => {{ const [d, s] = ({FIRST_FIGURE_WIDTHS})(); return d < 600 && d === s; }}",
                timeout=5_000,
            )
            first = page.evaluate(FIGURE_TEXT, None)[0]
            assert first["overlaps"] == [] and first["cut"] == [], first
        assert visit.errors == []
    finally:
        visit.close()


def test_search_from_a_chapter_page_finds_its_words(browser, server):
    """The theme's search field (Ctrl+K) on a chapter page sends the reader to search.html,
    which lists the pages with the word: chapter pages do not load the search index."""
    visit = Visit(browser, f"{server}/{chapter_page(CHAPTERS[2])}")
    try:
        visit.page.keyboard.press("Control+k")
        field = visit.page.locator("#pst-search-dialog input[name=q]")
        field.fill("ipilimumab")
        field.press("Enter")
        visit.page.wait_for_url("**/search.html?q=ipilimumab")
        hits = visit.page.locator("#search-results li a")
        hits.first.wait_for(timeout=10_000)
        assert chapter_page(CHAPTERS[2]) in [h.get_attribute("href") for h in hits.all()]
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.close()


def test_every_page_is_built(html):
    """The browser checks cover every page of the book (the list above is complete)."""
    built = {p for p in book_pages(html) if p not in {"search.html", "genindex.html"}}
    assert built == set(PAGES)


VISIBLE = (
    "d => d.data.map((t, i) => t.visible === true || t.visible === undefined ? i : -1)"
    ".filter(i => i >= 0)"
)


#: each step of a figure's static slider chosen in turn (a click on its label), and the
#: figure's text measured there (figure_text.js, given as source): the steps with a problem
EVERY_STEP_MEASURED = """async (figure, measureSource) => {
  const measure = eval(measureSource);
  const problems = [];
  for (const label of figure.querySelectorAll('.widgets-step-labels span')) {
    label.click();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const text = measure(figure)[0];
    if (!text || text.overlaps.length || text.cut.length) {
      problems.push({ step: label.textContent, text });
    }
  }
  return problems;
}"""


def shows(figure, label) -> None:
    """Wait until the figure's slider shows the step of ``label`` (its output names it, and
    the label is marked current): the plot is redrawn in the same event handler."""
    figure.page.wait_for_function(
        "([f, l]) => l.classList.contains('current')"
        " && f.querySelector('output').textContent === l.textContent",
        arg=[figure.element_handle(), label.element_handle()],
        timeout=5_000,
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
@pytest.mark.parametrize("width", WIDTHS)
def test_static_sliders_label_every_step_and_change_the_plotted_data(pages, path, width):
    """... and at every step, at a desktop and a phone width, the figure's text neither
    overlaps nor runs off the figure."""
    visit = pages(chapter_page(path), width)
    figures = visit.page.locator("figure.widgets-figure:has(.widgets-steps)")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        if not figure.is_visible():
            continue  # inside a closed solution
        plot = figure.locator(".plotly-graph-div")
        keys = figure.locator("input[type=range]")
        labels = figure.locator(".widgets-step-labels span")
        # every step is labelled, visibly, under its place on the slider
        assert labels.count() == int(keys.get_attribute("max")) + 1
        for k in range(labels.count()):
            label = labels.nth(k)
            assert label.inner_text().strip() and label.is_visible(), f"figure {i} step {k}"
        before = plot.evaluate(VISIBLE)
        # keyboard: the range input under the plot
        keys.focus()
        start = int(keys.input_value())
        key = "ArrowLeft" if start == int(keys.get_attribute("max")) else "ArrowRight"
        visit.page.keyboard.press(key)
        shows(figure, labels.nth(start + (-1 if key == "ArrowLeft" else 1)))
        after = plot.evaluate(VISIBLE)
        assert after != before, f"figure {i}: the keyboard slider did not change the plot"
        shown = figure.locator("output").inner_text()
        current = figure.locator(".widgets-step-labels span.current")
        assert shown and current.count() == 1 and current.inner_text() == shown
        assert keys.get_attribute("aria-valuetext") == shown
        # mouse: click the first and the last step's label
        labels.first.click()
        shows(figure, labels.first)
        first = plot.evaluate(VISIBLE)
        labels.last.click()
        shows(figure, labels.last)
        last = plot.evaluate(VISIBLE)
        assert first != last, f"figure {i}: clicking a step's label did not change the plot"
        assert keys.input_value() == str(labels.count() - 1), "the slider follows the mouse"
        problems = figure.evaluate(EVERY_STEP_MEASURED, FIGURE_TEXT)
        assert problems == [], f"figure {i} at {width} px: {problems}"
    assert visit.errors == []


ROWS_ON_A_PHONE = """f => {
  const d = f.querySelector('.js-plotly-plot');
  const plot = d.querySelector('.nsewdrag').getBoundingClientRect();
  const points = [...d.querySelectorAll('.scatterlayer .point')]
    .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
  return {
    points: points.length,
    inside: points.filter(r => r.top >= plot.top - 1 && r.bottom <= plot.bottom + 1).length,
    rows: d._fullLayout.yaxis._categories.length,
    names: (d.layout.annotations || []).filter(a => a.yref === 'y').length,
    ticks: d.querySelectorAll('.ytick text').length,
    height: f.getBoundingClientRect().height,
  };
}"""


def test_a_forest_plot_on_a_phone_names_its_rows_above_them(pages):
    """On a phone, chapter 10's forest plot puts each trial's name above its row, across the
    plot's width (at the left, the names would wrap to five lines and make the figure three
    screens tall). At every step of its static slider, every row's marker is inside the plot
    with its name, and no text overlaps or runs off the figure."""
    visit = pages(chapter_page(CHAPTERS[-1]), 390)
    figure = visit.page.locator("figure.widgets-figure").first
    steps = figure.locator(".widgets-step-labels span")
    for k in range(steps.count()):
        steps.nth(k).click()
        visit.page.wait_for_timeout(200)
        rows = figure.evaluate(ROWS_ON_A_PHONE)
        assert rows["ticks"] == 0, "the names are above the rows, not at the left"
        assert rows["points"] == rows["inside"] == rows["rows"] == rows["names"] > 0, rows
        assert rows["height"] < 1600, rows
        text = visit.page.evaluate(FIGURE_TEXT, None)[0]
        assert text["overlaps"] == [] and text["cut"] == [], text


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_quiz_gives_feedback_from_the_keyboard(pages, path):
    """Tab to a question, choose with Space and the arrow keys; the feedback is read out."""
    visit = pages(chapter_page(path))
    questions = visit.page.locator(".book-quiz fieldset")
    assert questions.count() >= 3
    for q in range(questions.count()):
        question = questions.nth(q)
        radios = question.locator("input[type=radio]")
        correct = radios.evaluate_all(
            "rs => rs.findIndex(r => r.getAttribute('data-correct') === 'true')"
        )
        feedback = question.locator("[role=status]")
        assert feedback.inner_text() == ""
        radios.first.focus()
        visit.page.keyboard.press("Space")
        expected = "Correct. " if correct == 0 else "Not quite. "
        assert feedback.inner_text().startswith(expected)
        for _ in range(max(correct, 1)):
            visit.page.keyboard.press("ArrowDown")
        expected = "Correct. " if correct > 0 else "Not quite. "
        assert feedback.inner_text().startswith(expected), feedback.inner_text()
        assert len(feedback.inner_text()) > 30  # says why, not just right or wrong
    assert visit.errors == []


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(pages, name):
    from axe_playwright_python.sync_playwright import Axe

    visit = pages(name)
    results = Axe().run(visit.page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_has_a_text_alternative(pages, path):
    visit = pages(chapter_page(path))
    texts = visit.page.locator("figure.widgets-figure").evaluate_all(
        "figs => figs.map(f => {"
        " const d = document.getElementById(f.getAttribute('aria-describedby'));"
        " const t = document.getElementById(f.getAttribute('aria-labelledby'));"
        " return [t ? t.textContent.trim() : '', d ? d.textContent.trim() : ''];})"
    )
    assert texts
    for title, description in texts:
        assert title and len(description) > 40, (title, description)
