"""The whole book builds with warnings as errors, and each chapter page carries its figures,
drawn by plotly.js and require.js served from the book itself."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHAPTERS, ROOT

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


def test_static_scripts_are_served_locally(html):
    assert (html / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    assert (html / "_static" / "require-2.3.7.js").is_file()
    page = (html / "intro.html").read_text()
    assert re.search(r'<script src="_static/plotly\.min\.js', page)
    assert "_static/require-2.3.7.js" in page
    # plotly.js must load before require.js, or it registers as an AMD module and
    # the figures find no global Plotly.
    assert page.index("plotly.min.js") < page.index("require-2.3.7.js")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_page_has_its_figures(html, path):
    page = (html / "chapters" / f"{path.stem}.html").read_text()
    figures = page.count('class="widgets-figure"')
    assert figures >= 2, f"{path.stem}: {figures} figures"
    assert page.count("newPlot(") == figures
    assert page.count("Text description of the figure") == figures
    assert 'class="slider' in page or '"sliders":' in page, "no static explorer slider"
    # no script or stylesheet from another site, except the maths typesetter (issue 8)
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
    assert [u for u in external if "mathjax" not in u] == []
    # no inline script twice (a repeated `const` declaration is a JavaScript error)
    inline = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    heads = [body for body in inline if "newPlot(" not in body]
    assert len(heads) == len(set(heads)), "an inline script appears twice"
    # solutions are hidden behind a toggle
    assert page.count("solution dropdown") >= 3 or page.count('class="solution') >= 3
