"""Each chapter meets the book's chapter standard in its structure (CHAPTERS.md).

tests/test_notebooks.py checks what every chapter prints; these tests read the notebooks."""

import json
import re

import pytest
import yaml

from conftest import CHAPTER_FILES, CHAPTERS, ROOT

GLOSSARY = ROOT / "glossary.md"


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def glossary_terms():
    text = GLOSSARY.read_text()
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return {
        line.strip().lower()
        for line in block.splitlines()
        if line and not line[0].isspace() and not line.startswith((":", ".."))
    }


def test_toc_lists_exactly_the_chapter_notebooks():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    listed = sorted(f for f in files if f.startswith("chapters/"))
    assert listed == [f"chapters/{p.stem}" for p in CHAPTER_FILES], (
        "every chapter notebook is in _toc.yml and every listed chapter exists"
    )
    for f in files:
        assert any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb")), f


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=lambda p: p.stem)
def test_chapter_structure(path):
    cs = cells(path)
    md = [source(c) for c in cs if c["cell_type"] == "markdown"]
    code = [c for c in cs if c["cell_type"] == "code"]
    text = "\n".join(md)
    assert md[0].startswith("# "), "the chapter opens with its title"
    assert sum(1 for m in md for line in m.splitlines() if line.startswith("# ")) == 1
    assert "## Learning objectives" in text
    assert "## Summary" in text
    # only the checked cells carry stored outputs (see scripts/store_checked_outputs.py)
    for c in code:
        checked = source(c).startswith("# NBVAL_CHECK_OUTPUT")
        assert bool(c.get("outputs")) == checked, (
            "store outputs for checked cells only: " + source(c)[:80]
        )
    # exercises with hidden, executable solutions that check their answer
    labels = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", text)
    assert len(labels) >= 3, f"only {len(labels)} exercises"
    for label in labels:
        start = next(i for i, c in enumerate(cs) if f"{{solution-start}} {label}" in source(c))
        assert ":class: dropdown" in source(cs[start])
        end = next(i for i in range(start, len(cs)) if "{solution-end}" in source(cs[i]))
        inside = [source(c) for c in cs[start:end] if c["cell_type"] == "code"]
        assert any("check(" in s for s in inside), f"solution of {label} checks no answer"
    # live and static explorers
    tags = [set(c["metadata"].get("tags", [])) for c in code]
    live = [source(c) for c, t in zip(code, tags) if "skip-execution" in t]
    assert any(".live(" in s for s in live), "no live explorer cell (tagged skip-execution)"
    assert any(re.search(r"\.(static|scenarios)\(", source(c)) for c in code)
    # numbers quoted by the prose are printed by checked cells
    assert any(source(c).startswith("# NBVAL_CHECK_OUTPUT") for c in code)
    # every glossary link resolves
    terms = glossary_terms()
    for ref in re.findall(r"\{term\}`([^`]+)`", text):
        target = re.search(r"<([^>]+)>$", ref)
        term = (target.group(1) if target else ref).strip().lower()
        assert term in terms, f"{path.name}: {{term}} {term!r} is not in glossary.md"


NUMBER = re.compile(r"^\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)")


def printed_values(cell):
    """The numbers a checked cell prints as values: whatever follows each ': '."""
    text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
    for line in text.splitlines():
        for segment in line.split(": ")[1:]:
            match = NUMBER.match(segment)
            if match:
                yield line, match.group(1).rstrip(",")


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=lambda p: p.stem)
def test_prose_quotes_the_checked_numbers(path):
    """Every value a checked cell prints appears, written the same way, in the prose, so the
    text cannot drift from the models (tests/test_notebooks.py checks that the cells still print them)."""
    cs = cells(path)
    prose = "\n".join(source(c) for c in cs if c["cell_type"] == "markdown")
    checked = [c for c in cs if c["cell_type"] == "code" and source(c).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked
    for c in checked:
        values = list(printed_values(c))
        assert values, "a checked cell prints 'label: value' lines"
        for line, value in values:
            pattern = r"(?<![0-9.])" + re.escape(value) + r"(?![0-9])"
            assert re.search(pattern, prose), f"{path.name}: prose never quotes {value} ({line!r})"
