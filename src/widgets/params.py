"""Parameter tables: the single description of a model's inputs.

Every model in the package declares its inputs once, as a :class:`ParamTable` of
:class:`Param` rows (name, default, unit, allowed range, description, citation key).
The same table drives input validation in ``simulate``, the sliders of the live
explorer, the steps of the static explorer and the parameter tables printed in the
chapters, so a range or a unit can never disagree between them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Param", "ParamTable"]


@dataclass(frozen=True)
class Param:
    """One model input.

    ``kind`` is ``"float"``, ``"int"``, ``"bool"`` or ``"choice"`` (one of the values in
    ``choices``, drawn as a dropdown). ``lo``/``hi`` bound the allowed range (inclusive) for
    numbers; ``step`` is the slider step; ``log`` asks the
    explorers for logarithmically spaced steps. ``source`` is a key of
    ``references.bib`` (or a short note such as ``"illustrative"`` when the value is a
    modelling choice rather than a measurement, which the chapter must then say).
    """

    name: str
    default: Any
    unit: str
    lo: float | None = None
    hi: float | None = None
    description: str = ""
    source: str = ""
    kind: str = "float"
    step: float | None = None
    log: bool = False
    symbol: str = ""
    choices: tuple = ()

    def __post_init__(self) -> None:
        if self.kind not in {"float", "int", "bool", "choice"}:
            raise ValueError(f"Param {self.name!r}: kind must be float, int, bool or choice")
        if self.kind == "choice":
            if not self.choices:
                raise ValueError(f"Param {self.name!r}: a choice needs its choices")
        elif self.kind != "bool":
            if self.lo is None or self.hi is None or not self.lo <= self.hi:
                raise ValueError(f"Param {self.name!r}: needs lo <= hi")
        self.validate(self.default)

    @property
    def range_text(self) -> str:
        if self.kind == "bool":
            return "True or False"
        if self.kind == "choice":
            return "{" + ", ".join(map(str, self.choices)) + "}"
        unit = f" {self.unit}" if self.unit and self.unit != "1" else ""
        return f"[{self.lo:g}, {self.hi:g}]{unit}"

    def validate(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ``ValueError``.

        The message names the parameter and its allowed range, so a reader who moves
        a value by hand learns what the model accepts.
        """
        if self.kind == "bool":
            if isinstance(value, (bool,)) or (
                isinstance(value, numbers.Integral) and value in (0, 1)
            ):
                return bool(value)
            raise ValueError(f"{self._where()}; got {value!r} ({type(value).__name__})")
        if self.kind == "choice":
            if value in self.choices:
                return value
            raise ValueError(f"{self._where()}; got {value!r}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{self._where()}; got {value!r} ({type(value).__name__})")
        if self.kind == "int" and not float(value).is_integer():
            raise ValueError(f"{self._where()}; got {value!r}, which is not a whole number")
        x = float(value)
        if math.isnan(x):
            raise ValueError(f"{self._where()}; got NaN")
        if not self.lo <= x <= self.hi:
            raise ValueError(f"{self._where()}; got {value!r}, outside the allowed range")
        return int(round(x)) if self.kind == "int" else x

    def _where(self) -> str:
        # the start of the message, written only when a value is refused (a redraw
        # validates its parameters dozens of times)
        return f"parameter {self.name!r} must be {self._expect()} {self.range_text}"

    def _expect(self) -> str:
        return {
            "float": "a number in",
            "int": "a whole number in",
            "bool": "a boolean in",
            "choice": "one of",
        }[self.kind]

    def steps(self, n: int = 11) -> list:
        """``n`` evenly (or log-) spaced values across the allowed range, for sliders."""
        import numpy as np

        if self.kind == "bool":
            return [False, True]
        if self.kind == "choice":
            return list(self.choices)
        if self.log and self.lo > 0:
            values = np.geomspace(self.lo, self.hi, n)
        else:
            values = np.linspace(self.lo, self.hi, n)
        if self.kind == "int":
            return sorted({int(round(v)) for v in values})
        # two significant figures make readable slider labels (0.34, not 0.3375)
        nice = sorted({float(f"{v:.2g}") for v in values[1:-1]} | {self.lo, self.hi})
        return [v for v in nice if self.lo <= v <= self.hi]


@dataclass(frozen=True)
class ParamTable:
    """An ordered, immutable collection of :class:`Param` rows."""

    params: tuple[Param, ...]
    _index: dict = field(init=False, repr=False, compare=False)

    def __init__(self, params: Iterable[Param]):
        params = tuple(params)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "_index", {p.name: p for p in params})
        if len(self._index) != len(params):
            raise ValueError("duplicate parameter names in table")

    def __getitem__(self, name: str) -> Param:
        try:
            return self._index[name]
        except KeyError:
            raise ValueError(
                f"unknown parameter {name!r}; known parameters: {', '.join(self._index)}"
            ) from None

    def __iter__(self):
        return iter(self.params)

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def names(self) -> list[str]:
        return list(self._index)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def resolve(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """Defaults overridden by ``values`` and ``kwargs``, every value validated."""
        merged = self.defaults()
        for source in (values or {}, kwargs):
            for name, value in source.items():
                merged[name] = self[name].validate(value)
        return merged

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame, for printing in a chapter."""
        rows = []
        for p in self.params:
            rows.append(
                {
                    "parameter": p.name,
                    "symbol": p.symbol,
                    "default": p.default,
                    "unit": p.unit,
                    "allowed range": p.range_text,
                    "meaning": p.description,
                    "source": p.source,
                }
            )
        return pd.DataFrame(rows).set_index("parameter")
