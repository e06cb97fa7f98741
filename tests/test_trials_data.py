"""The curated trial results (data/trials.csv): content checks, and broken copies of the real
file that the one loader must reject, naming the file, the row and the column."""

import csv
import io
from pathlib import Path

import pytest

from widgets.data import DataError, load

ROOT = Path(__file__).resolve().parents[1]
TRIALS = ROOT / "data" / "trials.csv"


@pytest.fixture(scope="module")
def frame():
    return load("trials")


def test_loads_with_at_least_fifteen_arms_across_the_classes(frame):
    assert len(frame) >= 15
    assert {
        "checkpoint inhibitor",
        "CAR-T / cell therapy",
        "cytokine",
        "vaccine",
        "oncolytic virus",
    } <= set(frame["class"])


def test_every_row_names_where_in_the_source(frame):
    assert frame["source"].notna().all()
    assert frame["source_detail"].str.len().min() > 10


def test_published_counts(frame):
    """Spot checks against the abstracts: Topalian 2012 (NEJM 366:2443) 26/94, 14/76, 9/33,
    PD-L1+ 9/25, PD-L1- 0/17; Goodman 2017 (Mol Cancer Ther 16:2598) 22/38 vs 23/113; Atkins
    1999 17 CR + 26 PR of 270; Fyfe 1995 12 CR + 24 PR of 255; OPTiM final analysis
    (Andtbacka 2019, Table 2) CR 50 + PR 43 of 295."""

    def counts(trial, **match):
        d = frame[frame["trial"] == trial]
        for k, v in match.items():
            d = d[d[k] == v]
        return sorted(zip(d["responders"].astype(int), d["patients"]))

    assert counts("Topalian 2012 phase 1") == sorted(
        [(26, 94), (14, 76), (9, 33), (9, 25), (0, 17)]
    )
    assert counts("Goodman 2017 (TMB cohort)") == [(22, 38), (23, 113)]
    il2 = frame[frame["class"] == "cytokine"].set_index("cancer")
    assert (il2.loc["melanoma", "responders"], il2.loc["melanoma", "complete_responses"]) == (
        43,
        17,
    )
    assert (
        il2.loc["renal cell carcinoma", "responders"],
        il2.loc["renal cell carcinoma", "complete_responses"],
    ) == (36, 12)
    assert counts("OPTiM", endpoint="objective response") == [(9, 141), (93, 295)]


def test_survival_percentages_name_their_landmark(frame):
    from widgets.models.survival import landmark_months

    pct = frame[(frame["endpoint"] == "overall survival") & (frame["value_unit"] == "%")]
    assert len(pct) >= 4
    for detail in pct["source_detail"]:
        assert landmark_months(detail) > 0


# -- broken copies of the real file ----------------------------------------------------------
def rows():
    with TRIALS.open(newline="") as fh:
        return list(csv.reader(fh))


def write(tmp_path, table):
    path = tmp_path / "trials.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    path.write_text(buf.getvalue())
    return path


def find(table, trial, endpoint):
    header = table[0]
    i, j = header.index("trial"), header.index("endpoint")
    return next(n for n, r in enumerate(table) if n and r[i] == trial and r[j] == endpoint)


def broken(edit):
    def make(tmp_path):
        table = rows()
        header = table[0]
        row, column = edit(table, header)
        return write(tmp_path, table), row, column

    return make


def _set(trial, endpoint, column, value):
    def edit(table, header):
        n = find(table, trial, endpoint)
        table[n][header.index(column)] = value
        return n, column

    return edit


CASES = {
    "missing source": (_set("JULIET", "objective response", "source", ""), "required"),
    "source not an identifier": (
        _set("ELIANA", "remission", "source", "Maude 2018 NEJM"),
        "not a DOI",
    ),
    "responders above patients": (
        _set("OPTiM", "durable response", "responders", "900"),
        "responders <= patients",
    ),
    "complete above patients": (
        _set("High-dose IL-2 (Fyfe 1995)", "objective response", "complete_responses", "300"),
        "complete_responses <= patients",
    ),
    "bad number": (
        _set("Goodman 2017 (TMB cohort)", "objective response", "patients", "38x"),
        "not a number",
    ),
    "fractional count": (
        _set("Topalian 2012 phase 1", "objective response", "responders", "9.5"),
        "not a whole number",
    ),
    "negative patients": (
        _set("ELIANA", "remission", "patients", "-75"),
        "outside the allowed range",
    ),
    "unknown class": (_set("IMPACT", "overall survival", "class", "cell vaccine"), "not one of"),
    "unknown endpoint": (_set("JULIET", "complete response", "endpoint", "cure"), "not one of"),
    "value without unit": (
        _set("ZUMA-1", "objective response", "value_unit", ""),
        "a value has its unit",
    ),
    "percentage above 100": (
        _set("KEYNOTE-024", "objective response", "value", "144.8"),
        "a percentage lies in [0, 100]",
    ),
    "no count and no value": (
        _set("ELIANA", "remission", "value", ""),
        "a row gives responders or a value",
    ),
    "not finite": (_set("JULIET", "objective response", "value", "inf"), "finite"),
}


@pytest.mark.parametrize("name", CASES)
def test_broken_copies_name_file_row_and_column(tmp_path, name):
    edit, fragment = CASES[name]
    path, row, column = broken(edit)(tmp_path)
    if name == "no count and no value":
        column = "value"
    with pytest.raises(DataError) as err:
        load("trials", path)
    message = str(err.value)
    assert str(path) in message
    assert f"row {row} (line {row + 1})" in message
    assert f"column '{column}'" in message
    assert fragment in message


def test_missing_column_and_short_row(tmp_path):
    table = rows()
    cut = [r[:-1] for r in table]  # drop source_detail everywhere
    with pytest.raises(DataError, match="missing column.*source_detail"):
        load("trials", write(tmp_path, cut))
    table = rows()
    table[3] = table[3][:-2]
    with pytest.raises(DataError, match=r"row 3 \(line 4\): 17 fields, expected 19"):
        load("trials", write(tmp_path, table))
