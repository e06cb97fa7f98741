"""Exercise definitions, one module per chapter (``chNN.py``); see :mod:`widgets.checks`."""
