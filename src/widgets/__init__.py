"""Interactive models for *How cancer immunotherapy works*.

Each model follows one pattern ("one model, three faces"):

* ``widgets.models.<name>``: numerics only, a parameter table ``PARAMS`` and
  ``simulate(...) -> pandas.DataFrame``;
* ``widgets.views.<name>``: :class:`widgets.explorer.View` objects that draw the model, with
  ``.live()`` (ipywidgets, for Jupyter, Binder and Colab) and ``.static(...)`` /
  ``.scenarios(...)`` (precomputed Plotly sliders, for the HTML book).

Importing the package changes no global state. A chapter's first cell calls
:func:`use_book_renderer`, which makes Plotly store every figure in a form that both Jupyter
and the HTML book can show (see :mod:`widgets.display`); every figure carries the book's own
template (:data:`widgets.style.BOOK_TEMPLATE`), so Plotly's default template is left alone.
"""

from .display import use_book_renderer
from .params import Param, ParamTable

__all__ = ["Param", "ParamTable", "use_book_renderer"]
__version__ = "0.1.0"
