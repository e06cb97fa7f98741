"""The single data loader: every shipped file validates, and broken files fail clearly."""

from pathlib import Path

import pytest

from widgets.data import SCHEMAS, Column, DataError, Schema, load, register_schema

ROOT = Path(__file__).resolve().parents[1]

register_schema(
    Schema(
        name="_toy",
        columns=[
            Column("trial"),
            Column("patients", "int", lo=1),
            Column("responders", "int", lo=0),
            Column("rate", "float", lo=0, hi=1, required=False),
            Column("date", "date"),
            Column("arm", choices=("a", "b")),
            Column("source", "source"),
        ],
        rules=[
            ("responders <= patients", lambda r: r["responders"] <= r["patients"], "responders")
        ],
    )
)

GOOD = (
    "trial,patients,responders,rate,date,arm,source\n"
    "X,10,3,0.3,2020-01-02,a,10.1056/NEJMoa1504030\n"
    "Y,20,5,,2021-03,b,NCT01844505\n"
)


def write(tmp_path, text):
    path = tmp_path / "toy.csv"
    path.write_text(text)
    return path


def test_every_data_file_has_a_schema_and_loads():
    files = sorted((ROOT / "data").glob("*.csv"))
    for path in files:
        assert path.stem in SCHEMAS, f"{path.name} has no schema in widgets/schemas.py"
        frame = load(path.stem)
        assert len(frame) > 0
        assert frame["source"].notna().all()


def test_good_file_loads_typed(tmp_path):
    frame = load("_toy", write(tmp_path, GOOD))
    assert list(frame["patients"]) == [10, 20]
    assert frame["rate"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    "broken, row, column, fragment",
    [
        (GOOD.replace("10.1056/NEJMoa1504030", ""), 1, "source", "required"),
        (GOOD.replace("10.1056/NEJMoa1504030", "Larkin 2015"), 1, "source", "not a DOI"),
        (GOOD.replace("X,10,3", "X,10,30"), 1, "responders", "responders <= patients"),
        (GOOD.replace("Y,20,5", "Y,-2,5"), 2, "patients", "outside the allowed range"),
        (GOOD.replace("0.3,2020", "1.3,2020"), 1, "rate", "outside the allowed range"),
        (GOOD.replace("Y,20,5", "Y,twenty,5"), 2, "patients", "not a number"),
        (GOOD.replace("Y,20,5", "Y,20.5,5"), 2, "patients", "not a whole number"),
        (GOOD.replace("2021-03", "2021-13"), 2, "date", "not a real date"),
        (GOOD.replace("2021-03", "March 2021"), 2, "date", "YYYY-MM-DD"),
        (GOOD.replace(",b,", ",c,"), 2, "arm", "not one of"),
        (GOOD.replace("0.3,", "nan,"), 1, "rate", "finite"),
    ],
)
def test_broken_files_name_file_row_and_column(tmp_path, broken, row, column, fragment):
    path = write(tmp_path, broken)
    with pytest.raises(DataError) as err:
        load("_toy", path)
    message = str(err.value)
    assert str(path) in message
    assert f"row {row} (line {row + 1})" in message
    assert f"column '{column}'" in message
    assert fragment in message


def test_header_and_shape_errors(tmp_path):
    with pytest.raises(DataError, match="missing column"):
        load("_toy", write(tmp_path, GOOD.replace("arm,", "")))
    with pytest.raises(DataError, match="row 2 .*fields"):
        load("_toy", write(tmp_path, GOOD.replace("Y,20,5,", "Y,20,")))
    with pytest.raises(DataError, match="no data rows"):
        load("_toy", write(tmp_path, GOOD.splitlines()[0] + "\n"))
    with pytest.raises(DataError, match="file not found"):
        load("_toy", tmp_path / "absent.csv")
    with pytest.raises(DataError, match="no schema"):
        load("absent")
