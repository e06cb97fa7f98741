"""The live explorer's figure: a small anywidget that draws a Plotly figure in a notebook.

Plotly's own ``FigureWidget`` keeps the whole plotly.js bundle (4.8 MB) in its widget state,
so every live explorer added that much to a notebook saved with its widgets (as nbgrader and
Colab save them). :class:`LiveFigure` syncs only what it draws: the figure as JSON
(:attr:`LiveFigure.figure_json`) and a few kilobytes of JavaScript
(``static/livefigure.js``) and CSS. plotly.js reaches the browser another way:

* if the page already has a global ``Plotly``, the widget uses it;
* otherwise the widget asks the kernel with a custom message (``{"type": "plotly.js"}``),
  and the kernel answers with the bundle's text. Custom messages are not part of the saved
  widget state. The browser evaluates the bundle once per page, and every other live figure
  on the page uses the same copy.

The bundle is plotly's cartesian partial bundle (:data:`PLOTLY_BUNDLE`, package data), the
one copy that the HTML book also serves (``_ext/book_html.py``). If the installed ``plotly``
targets another plotly.js (a newer plotly in Colab, say), the kernel sends plotly's own full
bundle instead, so the browser always draws with the plotly.js that matches the figure.

Title and subtitle are drawn as the HTML book draws them (:func:`widgets.display.figure_html`,
through the same :func:`widgets.display.figure_parts`): as HTML above the plot, wrapping to
the width of the screen, copied from the plot's layout after every redraw.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import anywidget
import plotly.graph_objects as go
import traitlets
from plotly.io.json import to_json_plotly

from .display import PLOT_CONFIG, figure_parts

__all__ = ["LiveFigure", "PLOTLY_BUNDLE", "js_version", "plotly_js"]

STATIC = Path(__file__).resolve().parent / "static"
#: plotly.js's cartesian partial bundle (scatter, bar, heatmap: what the book draws), vendored
#: unchanged from the npm package ``plotly.js-cartesian-dist-min`` (see ``static/README.md``).
PLOTLY_BUNDLE = STATIC / "plotly-cartesian-4.1.1.min.js"
#: the ``type`` of the custom message asking for plotly.js, and of the answer
REQUEST = "plotly.js"
#: an answer is sent to one page at most once in this many seconds: requests that queued
#: while the kernel was busy running cells are answered once, a later retry again
_ANSWER_EVERY = 5.0
_ANSWERED: dict[str, float] = {}


def js_version(path: Path) -> str:
    """The plotly.js version named in a bundle's header."""
    with path.open(encoding="utf-8") as f:
        head = f.read(300)
    found = re.search(r"plotly\.js\b[^\n]*? v(\d+\.\d+\.\d+)", head)
    if not found:
        raise RuntimeError(f"no plotly.js version in the header of {path}")
    return found.group(1)


def plotly_package_bundle() -> Path:
    """The full plotly.js that the installed ``plotly`` Python package ships and targets."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@functools.cache
def plotly_js() -> tuple[str, str]:
    """``(version, source)`` of the plotly.js the kernel sends: the vendored cartesian bundle
    when it is the version the installed ``plotly`` targets, else plotly's own full bundle."""
    full = plotly_package_bundle()
    wanted = js_version(full)
    bundle = PLOTLY_BUNDLE if js_version(PLOTLY_BUNDLE) == wanted else full
    return wanted, bundle.read_text(encoding="utf-8")


class LiveFigure(anywidget.AnyWidget):
    """A Plotly figure in a notebook, redrawn whenever :meth:`show` gets a new one."""

    # the book's figure script first (widgets.static.figure.js: the phone layout), then the
    # widget's own module, which uses it
    _esm = (STATIC / "figure.js").read_text(encoding="utf-8") + (
        STATIC / "livefigure.js"
    ).read_text(encoding="utf-8")
    _css = STATIC / "livefigure.css"

    #: what the browser draws: ``{"data", "layout", "config"}`` as Plotly JSON, the layout
    #: with its title moved out of the plot (:func:`widgets.display.figure_parts`)
    figure_json = traitlets.Unicode("").tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, **kwargs):
        super().__init__(**kwargs)
        #: the figure shown last (the Python object; the browser gets :attr:`figure_json`)
        self.figure: go.Figure | None = None
        self.on_msg(self._on_message)
        if figure is not None:
            self.show(figure)

    def show(self, figure: go.Figure) -> None:
        """Draw ``figure`` in place of the one shown."""
        data, layout, _title, _subtitle = figure_parts(figure.to_dict())
        self.figure = figure
        self.figure_json = to_json_plotly({"data": data, "layout": layout, "config": PLOT_CONFIG})

    def _on_message(self, _widget, content, _buffers) -> None:
        """Answer a page's request for plotly.js; ignore any other message."""
        if not isinstance(content, dict) or content.get("type") != REQUEST:
            return
        page = content.get("page")
        page = page if isinstance(page, str) else ""
        now = time.monotonic()
        if page:
            if now - _ANSWERED.get(page, -_ANSWER_EVERY) < _ANSWER_EVERY:
                return
            _ANSWERED[page] = now
        version, source = plotly_js()
        self.send({"type": REQUEST, "version": version, "source": source})
