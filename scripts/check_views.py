"""`make check-views`: every view's figure, with each parameter at the low and the high end of
its range (the others at their defaults), drawn in Chromium by the book's own figure script at
a phone width (390 px) and a desktop width (1280 px), and its text measured with
``tests/figure_text.js``. Prints each figure whose text overlaps or runs off its edge, and exits
1 if there is one.

The browser tests measure every chapter's figures as the book shows them and every step of its
static sliders; this reaches the live explorers' other settings, which a student can choose in
Jupyter. It draws about 1,200 figures (a few minutes), so it is not part of ``make test``: run it
after changing a view or the phone layout. Points a model refuses (a parameter that must not
exceed another) are skipped and counted.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import json
import pkgutil
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (390, 1280)
PER_PAGE = 15


def cases():
    """(name, figure HTML) for every view at its defaults and each parameter's two ends."""
    import widgets.views as package
    from widgets.display import figure_html
    from widgets.explorer import View

    refused = 0
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"widgets.views.{info.name}")
        for attr, view in vars(module).items():
            if not isinstance(view, View):
                continue
            base = view.params.defaults()
            points = [("defaults", {})]
            for p in view.params:
                if p.kind == "bool":
                    points.append((f"{p.name}={not base[p.name]}", {p.name: not base[p.name]}))
                elif p.kind == "choice":
                    points += [
                        (f"{p.name}={c}", {p.name: c}) for c in p.choices if c != base[p.name]
                    ]
                else:
                    for end in (p.lo, p.hi):
                        if end != base[p.name]:
                            end = int(end) if p.kind == "int" else end
                            points.append((f"{p.name}={end:g}", {p.name: end}))
            for label, change in points:
                try:
                    fig = view.draw(view.params.resolve({**base, **change}))
                except ValueError:
                    refused += 1
                    continue
                yield f"{info.name}.{attr} at {label}", figure_html(json.loads(fig.to_json()))
    print(f"{refused} settings refused by their model (skipped)")


def pages(folder: Path) -> list[tuple[str, list[str]]]:
    from widgets.livefigure import PLOTLY_BUNDLE

    shutil.copy(PLOTLY_BUNDLE, folder / "plotly.js")
    shutil.copy(ROOT / "src" / "widgets" / "static" / "figure.js", folder / "figure.js")
    sys.path.insert(0, str(ROOT / "_ext"))
    from book_html import CSS

    (folder / "widgets.css").write_text(CSS, encoding="utf-8")
    made, chunk = [], []
    for case in list(cases()) + [None]:
        if case is not None:
            chunk.append(case)
        if chunk and (case is None or len(chunk) == PER_PAGE):
            name = f"page{len(made)}.html"
            body = "".join(
                f'<div class="case" data-name="{n}" style="max-width:720px">{h}</div>'
                for n, h in chunk
            )
            (folder / name).write_text(
                '<!doctype html><html><head><meta name="viewport" '
                'content="width=device-width, initial-scale=1">'
                '<link rel="stylesheet" href="widgets.css"><script src="plotly.js"></script>'
                '<script src="figure.js"></script></head>'
                f'<body style="margin:8px;font-family:sans-serif">{body}</body></html>',
                encoding="utf-8",
            )
            made.append((name, [n for n, _ in chunk]))
            chunk = []
    return made


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright
    from test_book import SCROLL_PAST_FIGURES

    measure = (ROOT / "tests" / "figure_text.js").read_text()
    folder = Path(tempfile.mkdtemp())
    made = pages(folder)
    print(f"{sum(len(n) for _, n in made)} figures, each at {' and '.join(map(str, WIDTHS))} px")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    problems = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for width in WIDTHS:
                for name, _ in made:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    errors = []
                    page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                    page.goto(f"http://127.0.0.1:{server.server_port}/{name}", wait_until="load")
                    page.evaluate(SCROLL_PAST_FIGURES)
                    for case in page.locator("div.case").all():
                        found = case.evaluate(measure)
                        text = found[0] if found else None
                        if text is None or text["overlaps"] or text["cut"]:
                            problems += 1
                            print(f"{width} px, {case.get_attribute('data-name')}: {text}")
                    for error in errors:
                        problems += 1
                        print(f"{width} px, {name}: JavaScript error {error}")
                    page.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{problems} figures with overlapping or cut text")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
