"""The live explorers' figure widget (widgets.livefigure): what it syncs, how it answers a
page's request for plotly.js, and a chapter saved with its live explorers' widget state."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from conftest import ROOT, execute_notebooks
from test_explorer import VIEW

from widgets import livefigure
from widgets.livefigure import PLOTLY_BUNDLE, REQUEST, LiveFigure, js_version, plotly_js

#: The chapter saved with its live explorers run: chapter 3 has as many live explorers as any
#: chapter (four) and the largest saved notebook of those (1.97 MB; 22.4 MB with Plotly's
#: FigureWidget, which is how issue 16 measured it).
CHAPTER = "03_checkpoint_inhibitors.ipynb"
MAX_SAVED = 3_000_000
#: what the header of every plotly.js bundle starts with
PLOTLY_HEADER = "/**\n* plotly.js"


def answers(widget: LiveFigure, content) -> list:
    """The custom messages ``widget`` sends in answer to ``content`` from the browser."""
    sent = []
    widget.send = lambda message, buffers=None: sent.append(message)
    widget._handle_custom_msg(content, [])
    return sent


def test_the_synced_figure_is_json_with_the_title_above_the_plot():
    widget = LiveFigure(VIEW.figure(k=0.5))
    spec = json.loads(widget.figure_json)
    assert set(spec) == {"data", "layout", "config"}
    assert [t["name"] for t in spec["data"]] == ["y", "threshold"]
    assert spec["config"]["responsive"] is True
    # the title stays in the layout (the browser copies it into HTML above the plot after
    # each redraw), drawn transparent in the plot itself, as in the HTML book
    title = spec["layout"]["title"]
    assert title["text"] == "Decay at k = 0.5"
    assert title["font"]["color"] == "rgba(0,0,0,0)"
    assert widget.figure.layout.title.text == "Decay at k = 0.5"
    widget.show(VIEW.figure(k=2.0))
    assert json.loads(widget.figure_json)["layout"]["title"]["text"] == "Decay at k = 2"


def test_the_widget_state_holds_no_plotly_js():
    live = VIEW.live()
    state = live.plot.get_state()
    assert len(json.dumps(state)) < 50_000, {k: len(str(v)) for k, v in state.items()}
    assert "plotly.js" not in state["_esm"].split("\n", 1)[0]
    assert PLOTLY_HEADER not in json.dumps(state)
    # the phone layout of the HTML book (widgets/static/figure.js), used before every draw
    assert (
        "root.widgetsFigure = " in state["_esm"] and "F.adapt(layout, data, width)" in state["_esm"]
    )


def test_a_request_is_answered_with_the_vendored_bundle():
    widget = LiveFigure(VIEW.figure())
    sent = answers(widget, {"type": REQUEST, "page": "test-page-1"})
    assert len(sent) == 1
    answer = sent[0]
    assert answer["type"] == REQUEST
    assert answer["source"].startswith(PLOTLY_HEADER)
    # the version the pinned plotly targets, and the cartesian partial bundle (1.5 MB)
    assert answer["version"] == js_version(livefigure.plotly_package_bundle())
    assert answer["version"] == js_version(PLOTLY_BUNDLE)
    assert answer["source"] == PLOTLY_BUNDLE.read_text(encoding="utf-8")
    assert "cartesian" in answer["source"][:100]
    # requests that queued up from the same page are answered once; another page is answered
    assert answers(widget, {"type": REQUEST, "page": "test-page-1"}) == []
    assert len(answers(LiveFigure(), {"type": REQUEST, "page": "test-page-2"})) == 1


def test_bad_messages_are_ignored():
    widget = LiveFigure(VIEW.figure())
    for content in (None, "plotly.js", 7, [], {}, {"type": "other"}, {"type": ["plotly.js"]}):
        assert answers(widget, content) == [], content
    # a page id that is not a string is answered, without remembering it
    assert len(answers(widget, {"type": REQUEST, "page": {"x": 1}})) == 1


def test_another_plotly_version_gets_plotly_own_full_bundle(tmp_path, monkeypatch):
    old = tmp_path / "plotly-cartesian-0.0.1.min.js"
    old.write_text("/**\n* plotly.js (cartesian - minified) v0.0.1\n*/\n", encoding="utf-8")
    monkeypatch.setattr(livefigure, "PLOTLY_BUNDLE", old)
    plotly_js.cache_clear()
    try:
        version, source = plotly_js()
        full = livefigure.plotly_package_bundle()
        assert version == js_version(full)
        assert source == full.read_text(encoding="utf-8")
    finally:
        plotly_js.cache_clear()


def test_the_bundle_is_package_data():
    text = (ROOT / "pyproject.toml").read_text()
    assert "static/*.js" in text and "static/*.css" in text
    assert PLOTLY_BUNDLE.parent == Path(livefigure.__file__).resolve().parent / "static"
    # one copy of the bundle in the repository
    copies = [
        p
        for p in ROOT.rglob("plotly-cartesian*.js")
        if not {".venv", "_build", ".git"} & set(p.relative_to(ROOT).parts)
    ]
    assert copies == [PLOTLY_BUNDLE]


def test_a_chapter_saved_with_its_live_explorers_stays_small(tmp_path):
    """Run every cell, the live explorers too (the book skips them: `skip-execution`), save
    with the widget state (as nbgrader and Colab do) and weigh the file."""
    from nbclient import NotebookClient

    source = ROOT / "chapters" / CHAPTER
    nb = nbformat.read(source, as_version=4)
    live = [c for c in nb.cells if c.cell_type == "code" and ".live(" in c.source]
    assert len(live) >= 4
    client = NotebookClient(
        nb,
        timeout=600,
        skip_cells_with_tag="run-every-cell",  # a tag no cell has
        store_widget_state=True,
        resources={"metadata": {"path": str(source.parent)}},
        extra_arguments=[f"--IPKernelApp.exec_lines={execute_notebooks.SKIP_SLOW_IMPORT}"],
    )
    client.execute()
    saved = tmp_path / CHAPTER
    nbformat.write(nb, saved)
    size = saved.stat().st_size
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    figures = [m for m in state.values() if m["model_name"] == "AnyModel"]
    print(f"\n{CHAPTER} saved with its widget state: {size:,} bytes, {len(state)} models")
    assert len(figures) == len(live)  # every live explorer ran and its figure was saved
    for model in state.values():
        text = json.dumps(model)
        assert PLOTLY_HEADER not in text and "Plotly, Inc." not in text
        assert len(text) < 200_000, model["model_name"]
    assert size <= MAX_SAVED, f"{size:,} bytes"
