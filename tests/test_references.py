"""Every source is checkable: each bibliography entry has a DOI or a registry ID, and every
citation in the book points at an entry."""

import json
import re
from pathlib import Path

from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BIB = parse_file(ROOT / "references.bib")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
#: A trial registry ID, a PubMed ID, or a section of the US Code of Federal Regulations (an
#: official record, cited by its section number and eCFR address).
REGISTRY = re.compile(
    r"\b(NCT\d{8}|PMID:?\s?\d{5,9}|EudraCT \d{4}-\d{6}-\d{2}|\d{1,2} CFR \d+\.\d+)\b"
)
#: Official records without a DOI (a regulator's page, the Nobel Assembly's announcement, the
#: U.S. Code of Federal Regulations) are cited by their URL on the official site.
OFFICIAL_URL = re.compile(
    r"^https://(www\.)?(nobelprize\.org|fda\.gov|accessdata\.fda\.gov|api\.fda\.gov|ecfr\.gov)/\S+$"
)


def _book_texts():
    for path in (
        sorted(ROOT.glob("*.md"))
        + sorted(ROOT.glob("*.ipynb"))
        + sorted((ROOT / "chapters").glob("*.ipynb"))
    ):
        if path.name == "README.md":
            continue
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            yield path, "\n".join("".join(c["source"]) for c in cells)
        else:
            yield path, path.read_text()


def test_every_entry_has_a_doi_or_registry_id():
    assert BIB.entries, "references.bib is empty"
    for key, entry in BIB.entries.items():
        doi = entry.fields.get("doi", "")
        note = entry.fields.get("note", "")
        url = entry.fields.get("url", "")
        assert DOI.match(doi) or REGISTRY.search(note) or OFFICIAL_URL.match(url), (
            f"{key}: no DOI, registry ID or official-record URL"
        )


def test_every_citation_resolves():
    cited = set()
    for path, text in _book_texts():
        for keys in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
            for key in keys.split(","):
                key = key.strip()
                cited.add(key)
                assert key in BIB.entries, f"{path.name} cites {key!r}, absent from references.bib"
    assert cited, "the book cites nothing"


def test_parameter_sources_are_bibliography_keys():
    """A model parameter's source is a references.bib key, or says it is illustrative."""
    import importlib
    import pkgutil

    import widgets.models as models

    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"widgets.models.{info.name}")
        table = getattr(module, "PARAMS", None)
        if table is None:
            continue
        for p in table:
            keys = [k.strip() for k in re.split(r"[,;]", p.source) if k.strip()]
            assert keys, f"{info.name}.{p.name} has no source"
            for key in keys:
                assert key in BIB.entries or key.startswith(("illustrative", "model choice")), (
                    f"{info.name}.{p.name}: source {key!r} is not in references.bib"
                )
