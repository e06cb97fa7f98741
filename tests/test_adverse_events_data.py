"""data/adverse_events.csv through the one loader: the shipped file and broken copies."""

from pathlib import Path

import pytest

from widgets.data import DataError, load

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "data" / "adverse_events.csv"


@pytest.fixture(scope="module")
def data():
    return load("adverse_events")


def test_shipped_file_loads_with_sources(data):
    assert len(data) > 50
    assert data["source"].notna().all() and data["source_detail"].str.len().gt(5).all()
    assert set(data["regimen"]) == {
        "anti-PD-1",
        "anti-CTLA-4",
        "anti-PD-1 + anti-CTLA-4",
        "CAR-T",
        "chemotherapy",
    }


def test_every_row_gives_a_count_or_a_percent(data):
    has_count = data["events"].notna() & data["patients"].notna()
    assert (has_count | data["percent"].notna()).all()


def test_grade_3_never_exceeds_any_grade(data):
    """Within one trial arm and event, the grade 3+ count is at most the any-grade count."""
    counted = data[data["events"].notna()]
    for key, grp in counted.groupby(["trial", "regimen", "event"]):
        by = dict(zip(grp["grade"], grp["events"]))
        if "any" in by and "3 or higher" in by:
            assert by["3 or higher"] <= by["any"], key


def test_one_row_per_arm_event_and_grade(data):
    assert not data.duplicated(["trial", "regimen", "event", "grade"]).any()


def test_published_headline_numbers(data):
    """Spot checks against the sources: Larkin 2015 abstract (grade 3-4: 16.3 / 27.3 / 55.0%),
    Nishino 2016 abstract (pneumonitis 2.7% any grade, 0.8% grade 3+), Neelapu 2017 abstract
    (grade 3+ CRS 13%, neurologic events 28% of 101), Carbone 2017 Table 3 (47 of 267)."""

    def pick(**kw):
        sel = data
        for k, v in kw.items():
            sel = sel[sel[k] == v]
        assert len(sel) == 1, kw
        return sel.iloc[0]

    cm067 = {
        r: pick(trial="CheckMate 067", regimen=r)["percent"]
        for r in ("anti-PD-1", "anti-CTLA-4", "anti-PD-1 + anti-CTLA-4")
    }
    assert cm067 == {"anti-PD-1": 16.3, "anti-CTLA-4": 27.3, "anti-PD-1 + anti-CTLA-4": 55.0}
    assert (
        pick(event="pneumonitis", trial="Nishino 2016 meta-analysis (20 trials)", grade="any")[
            "percent"
        ]
        == 2.7
    )
    assert pick(trial="ZUMA-1", event="cytokine release syndrome")["percent"] == 13
    assert pick(trial="ZUMA-1", event="neurologic events")["patients"] == 101
    row = pick(
        trial="CheckMate 026",
        regimen="anti-PD-1",
        event="any treatment-related event",
        grade="3 or higher",
    )
    assert (row["events"], row["patients"]) == (47, 267)


def _broken(tmp_path, old, new, count=1):
    text = FILE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "adverse_events.csv"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _first_line_with(fragment):
    for i, line in enumerate(FILE.read_text(encoding="utf-8").splitlines()):
        if fragment in line:
            return i + 1  # 1-based line number
    raise AssertionError(fragment)


def test_missing_source_is_named(tmp_path):
    path = _broken(tmp_path, ",10.1056/NEJMoa1504030,", ",,")
    line = _first_line_with("10.1056/NEJMoa1504030")
    with pytest.raises(DataError) as err:
        load("adverse_events", path)
    msg = str(err.value)
    assert str(path) in msg and f"(line {line})" in msg
    assert "column 'source'" in msg and "required" in msg


def test_events_above_patients_break_the_rule(tmp_path):
    path = _broken(tmp_path, ",359,251,", ",359,400,")
    with pytest.raises(DataError, match=r"column 'events'.*events <= patients"):
        load("adverse_events", path)


def test_bad_grade_is_rejected(tmp_path):
    path = _broken(tmp_path, ",3 or higher,", ",grade 3-4,")
    with pytest.raises(DataError, match=r"column 'grade'.*not one of"):
        load("adverse_events", path)


def test_percent_out_of_range_and_row_without_numbers(tmp_path):
    with pytest.raises(DataError, match=r"column 'percent'.*outside the allowed range"):
        load("adverse_events", _broken(tmp_path, ",,16.3,", ",,116.3,"))
    with pytest.raises(DataError, match=r"column 'percent'.*events or a percent"):
        load("adverse_events", _broken(tmp_path, ",,16.3,", ",,,"))


def test_unknown_regimen_and_count_without_patients(tmp_path):
    with pytest.raises(DataError, match=r"column 'regimen'.*not one of"):
        load("adverse_events", _broken(tmp_path, ",anti-CTLA-4,", ",anti-LAG-3,"))
    with pytest.raises(DataError, match=r"column 'patients'.*needs the number of patients"):
        load("adverse_events", _broken(tmp_path, ",359,251,", ",,251,"))
