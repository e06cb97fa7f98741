"""A MyST-NB render plugin for the book build (configured as ``nb_render_plugin: widgets``).

Each figure output carries two forms: Plotly's JSON mime type (for Jupyter) and ``text/html``
(for the book; see :mod:`widgets.display`). MyST-NB renders every form before choosing one and
warns about the JSON form it cannot render, which would fail a build run with warnings as
errors. This plugin skips exactly that form and leaves every other unknown type to warn.
"""

from __future__ import annotations

from myst_nb.core.render import MimeData, NbElementRenderer

PLOTLY_MIME = "application/vnd.plotly.v1+json"


class BookRenderer(NbElementRenderer):
    def render_unhandled(self, data: MimeData):
        if data.mime_type == PLOTLY_MIME:
            return []
        return super().render_unhandled(data)

    def render_unhandled_inline(self, data: MimeData):
        if data.mime_type == PLOTLY_MIME:
            return []
        return super().render_unhandled_inline(data)
