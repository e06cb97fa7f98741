"""Sphinx extension for the book's HTML: offline scripts, figure styles, accessibility fixes.

* plotly.js is plotly's own *cartesian* partial bundle (scatter, bar, heatmap and a few more
  trace types: 1.5 MB instead of the full 4.8 MB), vendored once in the package
  (``src/widgets/static/``, :data:`widgets.livefigure.PLOTLY_BUNDLE`), whose live explorers
  send the same copy to the browser. The build checks
  that its version is the one the pinned ``plotly`` Python package targets, so the browser
  library always matches the one that wrote the figures (:func:`widgets.style.finish` refuses
  trace types the bundle lacks). It is loaded early in ``<head>`` (before require.js) so that
  it defines the global ``Plotly`` the figures use.
* The theme's ``fontawesome.js`` (1.5 MB, which redraws the icons as SVG) is not loaded: the
  theme's stylesheet already draws the same icons from Font Awesome's web fonts.
* ``require.js`` (vendored beside this file in ``static/``) is loaded after it and told where plotly
  lives, for AMD-style code such as notebook viewers' ``require(["plotly"], ...)``.
* A small stylesheet gives figure captions and screen-reader-only text their style.

Nothing is fetched from another site when a page loads.

MathJax is loaded from its components (:data:`MATHJAX_COMPONENTS`), half the bytes of the
combined file. It also mends two things in the pages that the theme and extensions produce: repeated inline
scripts (see :func:`_dedupe_scripts`) and the bibliography's ARIA roles (see :func:`_fix_roles`).
"""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

PLOTLY_JS = "plotly-cartesian.min.js"
REQUIRE_JS = "require-2.3.7.js"
#: draws the figures, with a phone layout on narrow screens (widgets/static/figure.js)
FIGURE_JS = "widgets-figure.js"
HERE = Path(__file__).resolve().parent

SETUP_JS = """\
// Written by _ext/book_html.py: let AMD code find the book's own plotly.js.
(function () {
  if (!window.require || !window.define) { return; }
  if (window.Plotly && !window.require.defined("plotly")) {
    window.define("plotly", [], function () { return window.Plotly; });
  }
})();
// A display equation wider than a phone scrolls sideways: make it reachable from the
// keyboard (MathJax's menu did so; the book loads MathJax without it, see MATHJAX_COMPONENTS).
window.addEventListener("load", function () {
  var M = window.MathJax;
  if (!M || !M.startup || !M.startup.promise) { return; }
  M.startup.promise.then(function () {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      if (!m.hasAttribute("tabindex")) { m.setAttribute("tabindex", "0"); }
    });
  });
});
"""

CSS = """\
/* Written by _ext/book_html.py */
.widgets-figure { margin: 1rem 0 1.5rem 0; max-width: 100%; overflow: hidden; }
div.cell_output .output:has(.widgets-figure) { overflow-x: hidden; }
.widgets-figure figcaption { font-size: 0.9rem; margin-top: 0.25rem; }
/* a figure's title and subtitle, as text that wraps on a phone (display.figure_html) */
.widgets-figure p.widgets-fig-title { font-weight: 600; font-size: 1.05rem; margin: 0; line-height: 1.35; }
.widgets-figure p.widgets-fig-sub { font-size: 0.9rem; color: #444; margin: 0.15rem 0 0 0; line-height: 1.35;
  white-space: pre-line; }
.widgets-figure p.widgets-fig-sub:empty { display: none; }
.widgets-figure summary { cursor: pointer; }
/* a static explorer's slider, under the plot, every step labelled (display.figure_html) */
.widgets-steps { font-size: 0.9rem; margin: 0.25rem 0 0.75rem 0; }
.widgets-steps label { display: block; font-weight: 600; margin-bottom: 0.1rem; }
.widgets-steps output { font-weight: 400; }
.widgets-steps input[type=range] { display: block; margin-top: 0; margin-bottom: 0; }
.widgets-step-labels { display: grid; font-size: 0.8rem; line-height: 1.2; color: #333;
  text-align: center; }
/* labels too wide for their step go on two or three rows (figure.js, fitLabels) */
.widgets-step-labels span { cursor: pointer; padding: 0.1rem 0.1rem; grid-row: 1;
  overflow: hidden; }
.widgets-step-labels.listed { display: block; text-align: left; }
.widgets-step-labels.listed span { display: block; margin: 0 !important;
  text-align: left !important; }
.widgets-step-labels.fitting span { font-weight: 700; }  /* figure.js, fitLabels */
.widgets-step-labels span.current { font-weight: 700; color: #000;
  text-decoration: underline; text-underline-offset: 0.2em; }
/* links inside tinted admonitions: the theme's blue is below 4.5:1 contrast there */
.admonition a.reference, .admonition a.reference:visited { color: #0a4a9e; }
.widgets-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
"""


def _plotly_js_source() -> Path:
    """The vendored partial bundle, after checking it is the plotly.js the pinned plotly
    Python package ships (its full ``plotly.min.js`` names the version in its header)."""
    from widgets.livefigure import PLOTLY_BUNDLE, js_version, plotly_package_bundle

    wanted = js_version(plotly_package_bundle())
    if js_version(PLOTLY_BUNDLE) != wanted:
        raise RuntimeError(
            f"{PLOTLY_BUNDLE.name} is plotly.js {js_version(PLOTLY_BUNDLE)}, but the pinned "
            f"plotly Python package targets {wanted}: run `npm pack "
            f"plotly.js-cartesian-dist-min@{wanted}`, vendor its plotly-cartesian.min.js as "
            f"src/widgets/static/plotly-cartesian-{wanted}.min.js and point "
            "widgets.livefigure.PLOTLY_BUNDLE at it"
        )
    return PLOTLY_BUNDLE


def _figure_js_source() -> Path:
    import widgets

    return Path(widgets.__file__).parent / "static" / "figure.js"


#: Scripts the theme's page template writes into every page that the book does not use: Font
#: Awesome's JavaScript (the theme's CSS draws the icons from web fonts), and Sphinx's search
#: code with the whole search index (124 KB), which pydata-sphinx-theme loads on every page for
#: its search-as-you-type box. The book leaves that box off (the theme's default), so its
#: search field sends the reader to search.html, which loads the search code itself.
_UNUSED_THEME_SCRIPTS = re.compile(
    r'\s*<script (?:defer )?src="[^"]*(?:_static/scripts/fontawesome\.js[^"]*'
    r'|_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)


#: a page's link to one of its own scripts or stylesheets, with Sphinx's ``?v=`` checksum or
#: none (the theme's own files carry ``?digest=``, which is left alone)
_LOCAL_ASSET = re.compile(
    r'(?P<ref>(?:href|src)="(?P<url>(?:\.\./)*_static/[^"?#]+\.(?:js|css)))'
    r'(?:\?v=[0-9a-f]+)?"'
)


def _asset_checksum(path: Path) -> str:
    """As Sphinx computes it (sphinx.builders.html._assets._file_checksum)."""
    content = path.read_bytes().translate(None, b"\r")
    return f"{zlib.crc32(content):08x}"


def _finish_pages(outdir: Path) -> None:
    """Two fixes to every page once the build has written all its files.

    * The scripts it does not use are dropped (:data:`_UNUSED_THEME_SCRIPTS`).
    * Each link to a script or stylesheet of the book's ``_static`` names the checksum of the
      file as built, so that a reader's browser fetches a changed file again rather than
      keeping its old copy. Sphinx 7.4 reads the checksum from the output folder while it
      writes the pages, before it copies the files there: a clean build gets none, and a
      rebuild gets the checksum of the previous build's file (the book's own scripts, copied
      at the end of the build, always lag by one build)."""
    sums: dict[Path, str] = {}

    def versioned(match: re.Match, page: Path) -> str:
        asset = (page.parent / match["url"]).resolve()
        if not asset.is_file():
            return match[0]
        if asset not in sums:
            sums[asset] = _asset_checksum(asset)
        return f'{match["ref"]}?v={sums[asset]}"'

    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = text
        if page.relative_to(outdir).as_posix() != "search.html":
            lean = _UNUSED_THEME_SCRIPTS.sub("", lean)
        lean = _LOCAL_ASSET.sub(lambda m, page=page: versioned(m, page), lean)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def _github_mark_css() -> str:
    """CSS drawing the repository button's GitHub mark from its SVG path, taken from the
    theme's own Font Awesome Free (icons CC BY 4.0): otherwise a reader's first visit fetches
    Font Awesome's whole brands font (118 KB) for this one icon. Empty if the theme changed."""
    import urllib.parse

    import pydata_sphinx_theme

    js = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    js = js / "static" / "scripts" / "fontawesome.js"
    found = js.is_file() and re.search(
        r'github:\[(\d+),(\d+),\[\],"f09b","([^"]+)"', js.read_text(encoding="utf-8")
    )
    if not found:
        return ""
    width, height, path = found.groups()
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
        f"<path d='{path}'/></svg>"
    )
    url = 'url("data:image/svg+xml,' + urllib.parse.quote(svg, safe=" :/=',") + '")'
    return (
        "/* the GitHub mark (Font Awesome Free, CC BY 4.0) without its 118 KB font */\n"
        ".fab.fa-github, .fab.fa-github:before { font-family: inherit; }\n"
        ".fab.fa-github:before { content: ''; display: inline-block; "
        f"width: {int(width) / int(height):.3f}em; height: 1em; vertical-align: -0.125em; "
        f"background-color: currentColor; -webkit-mask: {url} center / contain no-repeat; "
        f"mask: {url} center / contain no-repeat; }}\n"
    )


def _copy_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_plotly_js_source(), static / PLOTLY_JS)
    shutil.copyfile(HERE / "static" / REQUIRE_JS, static / REQUIRE_JS)
    shutil.copyfile(_figure_js_source(), static / FIGURE_JS)
    (static / "widgets-setup.js").write_text(SETUP_JS, encoding="utf-8")
    (static / "widgets.css").write_text(CSS + _github_mark_css(), encoding="utf-8")
    _finish_pages(Path(app.outdir))


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated <script> entries. With Sphinx 7.4, inline scripts that extensions add
    after the builder starts (sphinx-thebe's ``const THEBE_JS_URL``, sphinx-togglebutton's
    selector) reach each page twice; the second ``const`` is a JavaScript error."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        key = (
            getattr(js, "filename", str(js)) or "",
            tuple(sorted((k, str(v)) for k, v in attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def _drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    """Keep a page's scripts and stylesheets to those it uses. plotly.js (1.5 MB, a second of
    a phone's time to start) and the figure script only where the page has a figure; and
    sphinx-design's stylesheet (55 KB) and tab script, which Jupyter Book adds to every page,
    only where the page uses one of its elements (``sd-`` classes: cards, grids, tabs)."""
    body = context.get("body") or ""
    unused = []
    if "plotly-graph-div" not in body:
        unused += [("script_files", PLOTLY_JS), ("script_files", FIGURE_JS)]
    if not re.search(r'class="(?:[^"]* )?sd-', body):
        unused += [("css_files", "sphinx-design"), ("script_files", "design-tabs")]
    for key, name in unused:
        files = context.get(key)
        if files:
            files[:] = [f for f in files if name not in (getattr(f, "filename", str(f)) or "")]


def _fix_roles(app, pagename, templatename, context, doctree) -> None:
    """docutils marks each bibliography entry ``role="doc-biblioentry"`` inside a
    ``role="list"``; that role is deprecated and is not a list item, so assistive technology
    (and axe-core) sees a list whose children are links. Mark the entries as list items."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _light_mode(app, config) -> None:
    """Open pages in the light theme: the figures are drawn for a white page, and without a
    default the theme logs a console error ("invalid theme mode") on a reader's first visit."""
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context


#: MathJax 3 from its components instead of the combined ``tex-chtml.js`` (1.16 MB): the
#: loader, TeX input, HTML output and the hidden MathML that screen readers read (0.66 MB). The
#: combined file also carries the right-click menu, which the book does not need.
MATHJAX_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]


def _lean_mathjax(app, config) -> None:
    """Runs after sphinx-mathjax-offline has pointed Sphinx at its combined file."""
    config.mathjax_path = "mathjax/startup.js"
    mathjax = dict(config.mathjax3_config or {})
    mathjax["loader"] = {**mathjax.get("loader", {}), "load": MATHJAX_COMPONENTS}
    config.mathjax3_config = mathjax


def setup(app):
    # Low priority number = earlier in <head>: plotly first, then require.js, then the shim.
    # All four deferred, so the page's text appears before plotly.js starts (a second of a
    # phone's time); deferred scripts run in this order before DOMContentLoaded, when each
    # figure's loader (widgets.display) draws.
    app.add_js_file(PLOTLY_JS, priority=100, loading_method="defer")
    app.add_js_file(FIGURE_JS, priority=101, loading_method="defer")
    app.add_js_file(REQUIRE_JS, priority=900, loading_method="defer")
    app.add_js_file("widgets-setup.js", priority=901, loading_method="defer")
    app.add_css_file("widgets.css")
    app.connect("config-inited", _light_mode)
    app.connect("config-inited", _lean_mathjax)
    # last of the build-finished handlers: the theme (pygments.css), myst-nb, sphinx-exercise
    # and the MathJax package write files into _static there, and _finish_pages names the
    # checksums of the files as they end up
    app.connect("build-finished", _copy_assets, priority=999)
    app.connect("html-page-context", _dedupe_scripts, priority=999)
    app.connect("html-page-context", _fix_roles)
    app.connect("html-page-context", _drop_unused_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
