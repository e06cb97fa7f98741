"""The clinical evidence of chapter 7 (data/microenvironment_trials.csv): content checks against
the primary abstracts, and broken copies of the real file that the one loader must reject,
naming the file, the row and the column."""

import csv
import io
from pathlib import Path

import pytest

from widgets.data import DataError, load

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "data" / "microenvironment_trials.csv"


@pytest.fixture(scope="module")
def frame():
    return load("microenvironment_trials")


def test_positive_and_negative_results_each_with_a_source(frame):
    assert {"positive", "negative", "single arm"} <= set(frame["result"])
    assert frame["source"].str.startswith("10.").all()
    assert frame["registry_id"].str.startswith("NCT").all()
    assert frame["source_detail"].str.len().min() > 20


def test_published_numbers(frame):
    """Finn 2020 NEJM (IMbrave150) abstract: 336 vs 165 patients, HR for death 0.58
    (0.42-0.79), PFS HR 0.59 (0.47-0.76). Cho 2023 J Thorac Oncol (bintrafusp alfa) abstract:
    304 patients, PFS HR 1.232 (0.885-1.714), OS HR 1.201 (0.796-1.811). Rosenberg 2016 Lancet
    (IMvigor210) abstract: 310 patients, objective response 15% (11-19), 26% (18-36) in IC2/3."""

    def row(trial, endpoint, patients=None):
        d = frame[(frame["trial"] == trial) & (frame["endpoint"] == endpoint)]
        if patients is not None:
            d = d[d["patients"] == patients]
        assert len(d) == 1
        return d.iloc[0]

    r = row("IMbrave150", "overall survival hazard ratio")
    assert (r["patients"], r["value"], r["ci_low"], r["ci_high"]) == (336 + 165, 0.58, 0.42, 0.79)
    r = row("IMbrave150", "progression-free survival hazard ratio")
    assert (r["value"], r["ci_low"], r["ci_high"]) == (0.59, 0.47, 0.76)
    r = row("INTR@PID Lung 037", "progression-free survival hazard ratio")
    assert (r["patients"], r["value"], r["ci_low"], r["ci_high"]) == (304, 1.232, 0.885, 1.714)
    assert r["result"] == "negative" and r["ci_low"] < 1 < r["ci_high"]
    r = row("INTR@PID Lung 037", "overall survival hazard ratio")
    assert (r["value"], r["ci_low"], r["ci_high"]) == (1.201, 0.796, 1.811)
    imv = frame[frame["trial"] == "IMvigor210"].sort_values("value")
    assert list(imv["value"]) == [15, 26]
    assert imv["patients"].iloc[0] == 310
    assert list(imv["ci_low"]) == [11, 18] and list(imv["ci_high"]) == [19, 36]


# -- broken copies of the real file ----------------------------------------------------------
def rows():
    with FILE.open(newline="") as fh:
        return list(csv.reader(fh))


def write(tmp_path, table):
    path = tmp_path / "microenvironment_trials.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    path.write_text(buf.getvalue())
    return path


def _set(n, column, value):
    def edit(table):
        table[n][table[0].index(column)] = value
        return n, column

    return edit


CASES = {
    "missing source": (_set(1, "source", ""), "source", "required"),
    "source not an identifier": (_set(3, "source", "Cho 2023 JTO"), "source", "not a DOI"),
    "hazard ratio outside its interval": (
        _set(1, "value", "0.95"),
        "value",
        "ci_low <= value <= ci_high",
    ),
    "hazard ratio without interval": (_set(2, "ci_high", ""), "value", "95% interval"),
    "unknown idea": (_set(1, "idea", "vessel therapy"), "idea", "not one of"),
    "unknown phenotype": (_set(5, "phenotype", "cold"), "phenotype", "not one of"),
    "percentage for a hazard ratio endpoint": (
        _set(3, "value_unit", "%"),
        "value_unit",
        "a hazard ratio row is an endpoint of that kind",
    ),
    "percentage above 100": (_set(5, "value", "115"), "value", "a percentage lies in 0-100"),
    "single arm with a comparator": (
        _set(5, "control", "docetaxel"),
        "control",
        "a single-arm result has none",
    ),
    "bad number": (_set(3, "patients", "304x"), "patients", "not a number"),
    "not finite": (_set(4, "value", "nan"), "value", "finite"),
    "negative ratio": (_set(2, "ci_low", "-0.1"), "ci_low", "outside the allowed range"),
}


@pytest.mark.parametrize("name", CASES)
def test_broken_copies_name_file_row_and_column(tmp_path, name):
    edit, column, fragment = CASES[name]
    table = rows()
    row, _ = edit(table)
    path = write(tmp_path, table)
    with pytest.raises(DataError) as err:
        load("microenvironment_trials", path)
    message = str(err.value)
    assert str(path) in message
    assert f"row {row} (line {row + 1})" in message
    assert f"column '{column}'" in message
    assert fragment in message


def test_missing_column_short_row_and_empty_file(tmp_path):
    table = rows()
    with pytest.raises(DataError, match="missing column.*source_detail"):
        load("microenvironment_trials", write(tmp_path, [r[:-1] for r in table]))
    table = rows()
    table[2] = table[2][:-2]
    with pytest.raises(DataError, match=r"row 2 \(line 3\): 15 fields, expected 17"):
        load("microenvironment_trials", write(tmp_path, table))
    with pytest.raises(DataError, match="no data rows"):
        load("microenvironment_trials", write(tmp_path, rows()[:1]))
