"""Where the book's files are, its citations in plain text, and the tables of its "Models and
data" page, generated from the package itself."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

#: The repository: chapters, data, references.bib, _config.yml and _toc.yml live here. The
#: one place the package finds it (imports nothing else of the package, so every module can
#: use it).
ROOT = Path(__file__).resolve().parents[2]


def chapter_paths(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks in the book, in the order of its table of contents (``_toc.yml``,
    the one list of chapters: a new chapter needs no edit anywhere else)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [root / f"{f}.ipynb" for f in files if f.startswith("chapters/")]


def chapter_files(root: Path = ROOT) -> list[Path]:
    """Every chapter notebook in the ``chapters/`` folder (the tests check that it and the
    table of contents agree)."""
    return sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def chapter_number(path: Path) -> int:
    """The number of a chapter from its file name (``03_checkpoint_inhibitors`` -> 3)."""
    m = re.match(r"(\d+)_", Path(path).name)
    if not m:
        raise ValueError(f"{path}: a chapter file name starts with its number, e.g. 03_name")
    return int(m.group(1))


def chapter_numbers(root: Path = ROOT) -> list[int]:
    """The numbers of the chapters in the book, in order."""
    return [chapter_number(p) for p in chapter_paths(root)]


@lru_cache(maxsize=1)
def _bibliography() -> dict[str, tuple[str, str]]:
    """``key -> (short author text, year)`` from references.bib."""
    from pybtex.database import parse_file

    out = {}
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        people = entry.persons.get("author", [])
        year = entry.fields.get("year", "n.d.")
        if not people or (len(people) == 1 and not people[0].first_names):
            # no person list (e.g. an author field that only describes the authors): the journal
            names = entry.fields.get("journal", entry.fields.get("title", key)).strip("{}")
        else:

            def surname(person) -> str:  # "de Pillis", not "Pillis"
                words = person.prelast_names + person.last_names
                return " ".join(words).replace("{", "").replace("}", "")

            last = surname(people[0])
            if len(people) == 1:
                names = last
            elif len(people) == 2 and "others" not in str(people[1]):
                names = f"{last} and {surname(people[1])}"
            else:
                names = f"{last} et al."
        out[key] = (names, year)
    return out


def cite(keys: str, textual: bool = False) -> str:
    """Plain-text citation of the comma-separated references.bib ``keys``, as the book shows
    them: "(Brahmer et al. 2010; Topalian et al. 2012)", or with ``textual`` "Brahmer et al.
    (2010)". An unknown key raises ``ValueError``."""
    bib = _bibliography()
    parts = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in bib:
            raise ValueError(f"citation {key!r} is not in references.bib")
        names, year = bib[key]
        parts.append(f"{names} ({year})" if textual else f"{names} {year}")
    return "; ".join(parts) if textual else "(" + "; ".join(parts) + ")"


def model_modules() -> dict[str, object]:
    """Every model module with a parameter table, by name."""
    from . import models

    found = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        if hasattr(module, "PARAMS") and hasattr(module, "simulate"):
            found[info.name] = module
    return found


def schema_table(name: str) -> pd.DataFrame:
    """The columns of data file ``name`` and what each must hold."""
    from .data import SCHEMAS

    rows = []
    for c in SCHEMAS[name].columns:
        if c.choices:
            allowed = "one of: " + ", ".join(c.choices)
        elif c.lo is not None or c.hi is not None:
            allowed = (
                f"[{c.lo if c.lo is not None else '-inf'}, {c.hi if c.hi is not None else 'inf'}]"
            )
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
