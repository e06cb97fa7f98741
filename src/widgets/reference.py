"""Tables for the book's "Models and data" page, generated from the package itself."""

from __future__ import annotations

import importlib
import pkgutil

import pandas as pd

from . import models
from .data import SCHEMAS


def model_modules() -> dict[str, object]:
    """Every model module with a parameter table, by name."""
    found = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        if hasattr(module, "PARAMS") and hasattr(module, "simulate"):
            found[info.name] = module
    return found


def schema_table(name: str) -> pd.DataFrame:
    """The columns of data file ``name`` and what each must hold."""
    rows = []
    for c in SCHEMAS[name].columns:
        if c.choices:
            allowed = "one of: " + ", ".join(c.choices)
        elif c.lo is not None or c.hi is not None:
            allowed = f"[{c.lo if c.lo is not None else '-inf'}, {c.hi if c.hi is not None else 'inf'}]"
        else:
            allowed = {
                "date": "YYYY-MM-DD or YYYY-MM",
                "source": "DOI, NCT number, PMID or EudraCT number",
            }.get(c.kind, "text")
        rows.append(
            {
                "column": c.name,
                "type": c.kind,
                "required": "yes" if c.required else "no",
                "allowed": allowed,
                "meaning": c.description,
            }
        )
    return pd.DataFrame(rows).set_index("column")
