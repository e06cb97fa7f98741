"""The one loader for the book's curated data (``data/*.csv``).

Every file has a declared :class:`~widgets.schemas.Schema` (in :mod:`widgets.schemas`): its columns, their types, allowed ranges or values,
and cross-column rules (for example, responders cannot exceed patients). :func:`load` reads a
file, checks every row against its schema and returns a typed ``pandas.DataFrame``; any problem
raises :class:`DataError` naming the file, the row (counting data rows from 1, with the line
of the file) and the column. Every row must name its source (a DOI or registry ID).
"""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import pandas as pd

from .reference import ROOT
from .schemas import SCHEMAS, Column, DataError, Schema, register_schema

__all__ = ["Column", "Schema", "DataError", "SCHEMAS", "load", "data_dir", "register_schema"]

#: A DOI (10.xxxx/...), a ClinicalTrials.gov ID (NCTxxxxxxxx), a PubMed ID (PMID nnnn), an
#: EudraCT number, or the address of an official FDA record on fda.gov (an approval
#: announcement or label, which has no DOI): the identifiers a source may carry.
SOURCE_PATTERN = re.compile(
    r"^(10\.\d{4,9}/\S+|NCT\d{8}|PMID:?\s?\d{5,9}|EudraCT \d{4}-\d{6}-\d{2}"
    r"|https://(www\.|accessdata\.)?fda\.gov/\S+)$"
)


def data_dir() -> Path:
    """Where the CSV files live: ``$WIDGETS_DATA_DIR`` or the repository's ``data/``."""
    env = os.environ.get("WIDGETS_DATA_DIR")
    if env:
        return Path(env)
    return ROOT / "data"


def _parse(value: str, col: Column, where: str):
    text = value.strip()
    if text == "":
        if col.required:
            raise DataError(f"{where}: empty, but this column is required")
        return None
    if col.kind == "str":
        if col.choices is not None and text not in col.choices:
            raise DataError(f"{where}: {text!r} is not one of {', '.join(col.choices)}")
        return text
    if col.kind == "source":
        if not SOURCE_PATTERN.match(text):
            raise DataError(
                f"{where}: {text!r} is not a DOI (10.xxxx/...), NCT number, PMID, EudraCT number "
                "or https://www.fda.gov/ address"
            )
        return text
    if col.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            raise DataError(f"{where}: {text!r} is not a date written YYYY-MM-DD or YYYY-MM")
        try:
            pd.Timestamp(text if len(text) == 10 else text + "-01")
        except ValueError:
            raise DataError(f"{where}: {text!r} is not a real date") from None
        return text
    if col.kind in ("int", "float"):
        try:
            number = float(text)
        except ValueError:
            raise DataError(f"{where}: {text!r} is not a number") from None
        if math.isnan(number) or math.isinf(number):
            raise DataError(f"{where}: {text!r} is not a finite number")
        if col.kind == "int":
            if not number.is_integer():
                raise DataError(f"{where}: {text!r} is not a whole number")
            number = int(number)
        if (col.lo is not None and number < col.lo) or (col.hi is not None and number > col.hi):
            raise DataError(f"{where}: {text} is outside the allowed range [{col.lo}, {col.hi}]")
        return number
    raise DataError(f"{where}: unknown column kind {col.kind!r} in schema")


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate the data file ``name`` (``data/<name>.csv`` unless ``path`` is given)."""
    try:
        schema = SCHEMAS[name]
    except KeyError:
        known = ", ".join(sorted(SCHEMAS)) or "none"
        raise DataError(f"no schema for data file {name!r}; known: {known}") from None
    path = Path(path) if path is not None else data_dir() / f"{name}.csv"
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise DataError(f"{path}: the file is empty") from None
        expected = [c.name for c in schema.columns]
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        if missing or extra:
            raise DataError(
                f"{path}: header does not match the schema"
                + (f"; missing column(s) {', '.join(missing)}" if missing else "")
                + (f"; unexpected column(s) {', '.join(extra)}" if extra else "")
            )
        rows = []
        for number, record in enumerate(reader, start=1):
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise DataError(
                    f"{path}, row {number} (line {line}): {len(record)} fields, "
                    f"expected {len(header)}"
                )
            raw = dict(zip(header, record))
            row = {
                c.name: _parse(
                    raw[c.name], c, f"{path}, row {number} (line {line}), column {c.name!r}"
                )
                for c in schema.columns
            }
            for text, predicate, column in schema.rules:
                if not predicate(row):
                    raise DataError(
                        f"{path}, row {number} (line {line}), column {column!r}: breaks the rule "
                        f"'{text}'"
                    )
            rows.append(row)
    if not rows:
        raise DataError(f"{path}: no data rows")
    frame = pd.DataFrame(rows, columns=expected)
    for c in schema.columns:
        if c.kind == "int" and frame[c.name].notna().all():
            frame[c.name] = frame[c.name].astype(int)
    return frame
