"""The notation of each model: symbol, meaning, unit and where it is used.

Each chapter's symbols are its own. The same letter can stand for different things in
different models (``c`` is the anti-CTLA-4 switch in chapter 3 and the tumour's antigenicity
in chapter 5; ``I`` is interleukin-2 in chapter 5 and inflammation in chapter 8), so the
models-and-data page gives one notation table per model (:func:`table`) and a table of the
letters that are reused with another meaning (:func:`shared_symbols`).

A model's table has its variables (written here, from the chapter's equations: the state of
the model and the quantities it derives) followed by its parameters, whose symbols, meanings
and units come from the model's own parameter table, so they cannot drift from the code.
Models that extend the checkpoint model of chapter 3 (vaccine, microbiome, nerve) list only
the symbols they add.

This module imports no plotting code.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["MODELS", "Model", "table", "shared_symbols"]


@dataclass(frozen=True)
class Model:
    """One model on the models-and-data page: its module, chapter and variables.

    ``variables`` are ``(symbol, meaning, unit)`` for the quantities the chapter's equations
    use that are not parameters; ``inherits`` names a model whose parameters this one reuses
    unchanged (they are listed under that model, not repeated)."""

    key: str
    module: str
    chapter: int
    variables: tuple[tuple[str, str, str], ...] = ()
    inherits: str | None = None


MODELS: dict[str, Model] = {
    m.key: m
    for m in [
        Model(
            "kuznetsov",
            "widgets.models.kuznetsov",
            2,
            (
                ("E", "effector (immune) cells", "cells"),
                ("T", "tumour cells", "cells"),
                ("t", "time", "days"),
            ),
        ),
        Model(
            "checkpoint",
            "widgets.models.checkpoint",
            3,
            (
                ("A", "anti-PD-1 antibody concentration in the blood", "µg/mL"),
                ("t_k", "time of the k-th dose", "days"),
                ("RO", "PD-1 receptor occupancy by the antibody", "0-1"),
                ("B", "share of T-cell activity switched off by PD-1 meeting PD-L1", "0-1"),
                ("E", "T cells in the tumour", "T-cell units"),
                ("V", "tumour volume", "cm³"),
                ("t", "time since the first dose", "days"),
            ),
        ),
        Model(
            "cart_kinetics",
            "widgets.models.cart_kinetics",
            4,
            (
                ("C", "CAR transgene level in the blood", "copies/µg"),
                ("ρ", "rate of the expansion phase, ln(foldx)/T_max", "1/day"),
                ("t", "time since the infusion", "days"),
            ),
        ),
        Model(
            "cart",
            "widgets.models.cart",
            4,
            (
                ("C_T", "effector CAR-T cells", "cells"),
                ("C_M", "memory CAR-T cells", "cells"),
                ("T", "tumour cells", "cells"),
                ("t", "time", "days"),
            ),
        ),
        Model(
            "crs",
            "widgets.models.crs",
            4,
            (("C_max", "peak CAR transgene level in the blood", "copies/µg"),),
        ),
        Model(
            "kirschner",
            "widgets.models.kirschner",
            5,
            (
                ("E", "effector cells", "cells"),
                ("T", "tumour cells", "cells"),
                ("I", "interleukin-2 (IL-2)", "IL-2 units"),
                ("t", "time", "days"),
            ),
        ),
        Model(
            "neoantigen",
            "widgets.models.neoantigen",
            6,
            (
                ("f", "probability that a mutation's peptide is presented on HLA class I", "0-1"),
                ("K", "number of immunogenic neoantigens in a tumour", "neoantigens"),
                ("L", "megabases over which mutational burden is counted (chapter 10)", "Mb"),
                ("TMB", "tumour mutational burden (chapter 10)", "mutations/Mb"),
            ),
        ),
        Model(
            "vaccine",
            "widgets.models.vaccine",
            6,
            (("π", "priming, set by the vaccine: π = 1 + v", "×"),),
            inherits="checkpoint",
        ),
        Model(
            "microenvironment",
            "widgets.models.microenvironment",
            7,
            (
                ("M", "T cells waiting at the tumour's edge", "T-cell units"),
                ("boost(t)", "1 while a priming boost lasts, else 0", "0 or 1"),
            ),
            inherits="checkpoint",
        ),
        Model(
            "microbiome",
            "widgets.models.microbiome",
            8,
            (
                ("a", "relative abundance of the beneficial commensals", "0-1"),
                ("m", "priming multiplier set by the commensals", "×"),
                ("t", "time since the first anti-PD-1 infusion", "days"),
            ),
            inherits="checkpoint",
        ),
        Model(
            "nerve",
            "widgets.models.nerve",
            8,
            (
                ("I", "inflammation caused by nerve injury, I = N(1 - b)", "0-1"),
                ("x", "share of T-cell killing lost to exhaustion, x = x_max I", "0-1"),
            ),
            inherits="checkpoint",
        ),
        Model(
            "toxicity",
            "widgets.models.toxicity",
            9,
            (
                ("R", "probability of a response at setting u", "probability"),
                (
                    "H",
                    "probability of a grade 3 or higher immune side effect at setting u",
                    "probability",
                ),
            ),
        ),
        Model(
            "survival",
            "widgets.models.survival",
            10,
            (
                ("S", "share of patients alive (survival curve)", "0-1"),
                ("λ", "death rate of the patients not cured", "1/month"),
                ("M", "median survival of the exponential curve", "months"),
                ("t", "time", "months"),
            ),
        ),
    ]
}


def _params(model: Model):
    module = importlib.import_module(model.module)
    params = list(getattr(module, "OWN_PARAMS", None) or module.PARAMS)
    if model.inherits and not hasattr(module, "OWN_PARAMS"):
        inherited = {p.name for p in importlib.import_module(MODELS[model.inherits].module).PARAMS}
        params = [p for p in params if p.name not in inherited]
    return params


def _meaning(description: str) -> str:
    """The first clause of a parameter's description (before any '; ')."""
    return description.split("; ")[0].strip()


def table(key: str) -> pd.DataFrame:
    """The notation of model ``key``: one row per symbol, variables first, then parameters.

    Columns: ``symbol`` (as LaTeX-free text), ``meaning``, ``unit``, ``kind`` ("variable" or
    "parameter `name`") and ``where used`` (the chapter)."""
    if key not in MODELS:
        raise ValueError(f"key must be one of {sorted(MODELS)}; got {key!r}")
    model = MODELS[key]
    where = f"chapter {model.chapter}"
    rows = [
        {"symbol": s, "meaning": meaning, "unit": unit, "kind": "variable", "where used": where}
        for s, meaning, unit in model.variables
    ]
    for p in _params(model):
        if not p.symbol:
            continue
        rows.append(
            {
                "symbol": p.symbol,
                "meaning": _meaning(p.description),
                "unit": p.unit,
                "kind": f"parameter `{p.name}`",
                "where used": where,
            }
        )
    return pd.DataFrame(rows, columns=["symbol", "meaning", "unit", "kind", "where used"])


def _letter(symbol: str) -> str:
    """The bare symbol: without '(0)' or '(t)' and without LaTeX backslashes."""
    s = re.sub(r"\((0|t)\)$", "", symbol.strip())
    return s.replace("\\", "").strip()


_GREEK = {"mu": "μ", "pi": "π", "lambda": "λ"}


def shared_symbols() -> pd.DataFrame:
    """Symbols that stand for different things in different chapters.

    One row per symbol used with more than one meaning across the models of :data:`MODELS`:
    the symbol and, for each meaning, the chapter, the model and what it stands for."""
    uses: dict[str, dict[tuple[int, str], str]] = {}
    for key, model in MODELS.items():
        entries = [(s, meaning) for s, meaning, _ in model.variables]
        entries += [(p.symbol, _meaning(p.description)) for p in _params(model) if p.symbol]
        for symbol, meaning in entries:
            letter = _letter(symbol)
            letter = _GREEK.get(letter, letter)
            if letter in ("t",):  # time, everywhere
                continue
            uses.setdefault(letter, {}).setdefault((model.chapter, key), meaning)
    rows = []
    for letter, by_model in sorted(uses.items(), key=lambda kv: kv[0].lower()):
        chapters = {ch for ch, _ in by_model}
        if len(chapters) < 2:
            continue
        rows.append(
            {
                "symbol": letter,
                "meanings": "; ".join(
                    f"chapter {ch} ({key}): {meaning}"
                    for (ch, key), meaning in sorted(by_model.items())
                ),
            }
        )
    return pd.DataFrame(rows, columns=["symbol", "meanings"])
