"""Each chapter meets the book's chapter standard in its structure (CHAPTERS.md).

tests/test_notebooks.py checks what every chapter prints; these tests read the notebooks."""

import json
import re

import pytest
import yaml
from conftest import CHAPTER_FILES, ROOT

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
DIGITS = re.compile(r"-?[0-9][0-9.,]*%?")
WORD = re.compile(r"[a-z][a-z0-9-]*")
#: Words too common in the book to tie a number to its label.
COMMON = frozenset(
    "the and with for from that this than its are was were has have had into per not all any "
    "one two patients model day".split()
)
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(*-])|\n(?=\s*[-*] )")


def label_words(text):
    """The words that tie a number to its label: lower-cased, at least three letters, not in
    COMMON, and cut to their first five letters so that 'responders' matches 'response'."""
    return {w[:5] for w in WORD.findall(text.lower()) if len(w) >= 3 and w not in COMMON}


def printed_values(cell):
    """The numbers a checked cell prints as values, with their labels.

    Yields (line, value, label words) for every number that follows ': ' on an output line.
    The label is the text of the line before that ': ' (numbers removed); on an indented line
    (a detail under a heading line) the heading line's label counts too."""
    text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
    heading = set()
    for line in text.splitlines():
        if not line[:1].isspace():
            heading = label_words(DIGITS.sub(" ", line.split(": ")[0]))
        parts = line.split(": ")
        for i, segment in enumerate(parts[1:], start=1):
            match = NUMBER.match(segment)
            if match:
                words = label_words(DIGITS.sub(" ", ": ".join(parts[:i])))
                if line[:1].isspace():
                    words |= heading
                yield line, match.group(1).rstrip(","), words


def prose_sentences(prose):
    """Each sentence of the prose together with the sentence before it in its paragraph.

    Paragraphs are split at blank lines; sentences at '.', ';', '!' or '?' followed by a space
    and a capital letter, '(', '*' or '-', and at list items. A table is one paragraph."""
    for paragraph in re.split(r"\n\s*\n", prose):
        parts = SENTENCE_END.split(paragraph)
        for i, part in enumerate(parts):
            yield (parts[i - 1] + " " if i else "") + part


def unquoted_values(notebook_cells):
    """The checked values that the prose does not quote next to their label (see the test)."""
    prose = "\n\n".join(source(c) for c in notebook_cells if c["cell_type"] == "markdown")
    sentences = [(s, label_words(s)) for s in prose_sentences(prose)]
    missing = []
    for c in notebook_cells:
        if c["cell_type"] != "code" or not source(c).startswith("# NBVAL_CHECK_OUTPUT"):
            continue
        values = list(printed_values(c))
        if not values:
            missing.append(("a checked cell prints no 'label: value' line", source(c)[:60]))
        for line, value, words in values:
            pattern = re.compile(r"(?<![0-9.])" + re.escape(value) + r"(?![0-9])")
            if not any(pattern.search(s) and words & sw for s, sw in sentences):
                missing.append((value, line))
    return missing


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=lambda p: p.stem)
def test_prose_quotes_the_checked_numbers(path):
    """Every value a checked cell prints is quoted in the prose, written the same way, *next
    to its label*, so the text cannot drift from the models (tests/test_notebooks.py checks that the
    cells still print them).

    The rule, for every output line of a `# NBVAL_CHECK_OUTPUT` cell:

    - each number that follows ': ' is a checked value, and the text before that ': ' is its
      label (an indented line also takes the label of the unindented line above it);
    - the value, written exactly as printed (same digits and decimals), must appear in some
      sentence of the chapter's markdown, counting the sentence before it in the same
      paragraph (a table is one paragraph);
    - and that sentence pair must share at least one word with the label (words of three or
      more letters, compared on their first five letters, ignoring a few very common words:
      COMMON).

    So "ZUMA-1, axicabtagene ciloleucel: 58.4% complete" is satisfied by "in ZUMA-1, 58.4% had
    a complete response", but not by a 58.4 that appears only in an unrelated sentence: when a
    model changes, the sentence that quoted the old number fails even if the new number happens
    to appear elsewhere (test_quoted_number_check_catches_a_stale_sentence)."""
    cs = cells(path)
    checked = [
        c for c in cs if c["cell_type"] == "code" and source(c).startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert checked
    missing = unquoted_values(cs)
    assert not missing, f"{path.name}: prose does not quote these next to their labels: {missing}"


def _notebook(prose, printed):
    return [
        {"cell_type": "markdown", "source": prose, "metadata": {}},
        {
            "cell_type": "code",
            "source": "# NBVAL_CHECK_OUTPUT\nprint(...)",
            "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": printed}],
        },
    ]


def test_quoted_number_check_catches_a_stale_sentence():
    printed = (
        "treated, response rate: 43.3% (30.6 to 56.8)\nno intervention\n   responders: 56 of 200\n"
    )
    good = (
        "Treated, 43.3% of the virtual patients respond.\n\n"
        "| scenario | responders |\n|---|---|\n| no intervention | 56 |\n"
    )
    assert unquoted_values(_notebook(good, printed)) == []
    # the model changed from 41.0% to 43.3%, the sentence about the response rate still says
    # 41.0%, and 43.3 appears only in an unrelated sentence: the check must fail
    stale = (
        "Treated, 41.0% of the virtual patients respond.\n\n"
        "The tumour weighed 43.3 g at the start.\n\n"
        "| scenario | responders |\n|---|---|\n| no intervention | 56 |\n"
    )
    assert unquoted_values(_notebook(stale, printed)) == [
        ("43.3", "treated, response rate: 43.3% (30.6 to 56.8)")
    ]
    # a different number of decimals is not the printed value
    assert unquoted_values(_notebook(good.replace("43.3%", "43%"), printed))
    # the value under an indented line is tied to its heading line ("no intervention")
    elsewhere = "Treated, 43.3% respond.\n\nWe counted 56 cells.\n"
    assert unquoted_values(_notebook(elsewhere, printed)) == [("56", "   responders: 56 of 200")]
