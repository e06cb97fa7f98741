"""Chapter 1: the approvals table and its timeline view.

The table is ``data/approvals.csv``, one row per FDA/EMA approval with its date as stated in a
primary source (each FDA approval summary's abstract, e.g. Marcus et al. 2019 Clin Cancer Res
25:3753, doi:10.1158/1078-0432.CCR-18-4070: "The FDA approved pembrolizumab on May 23, 2017").
"""

import re
from pathlib import Path

import pandas as pd
import pytest

from widgets.checks import check, feedback, get
from widgets.data import SOURCE_PATTERN, load
from widgets.views import timeline as tl

ROOT = Path(__file__).resolve().parents[1]


def test_csv_has_the_expected_columns_and_a_source_on_every_row():
    raw = pd.read_csv(ROOT / "data" / "approvals.csv", dtype=str, keep_default_na=False)
    assert list(raw.columns) == tl.COLUMNS
    assert len(raw) >= 10
    for i, row in raw.iterrows():
        assert SOURCE_PATTERN.match(row["source"]), f"row {i + 1}: source {row['source']!r}"
        assert row["source_detail"].strip(), f"row {i + 1}: no source_detail"
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["date"]), f"row {i + 1}: {row['date']}"
        assert row["class"] in tl.CLASSES
        assert row["agency"] in ("FDA", "EMA")
    # one row per approval: no duplicate (therapy, indication, agency)
    assert not raw.duplicated(["therapy", "indication", "agency"]).any()


def test_loader_validates_the_file_and_dates_parse():
    frame = load("approvals")
    assert frame["source"].notna().all()
    data = tl.approvals()
    assert pd.api.types.is_datetime64_any_dtype(data["date"])
    assert data["date"].is_monotonic_increasing
    assert set(data["date_precision"]) <= {"day", "month"}
    assert (data["year"] == data["date"].dt.year).all()
    # month-only dates are placed on the 1st of the month
    assert (data.loc[data["date_precision"] == "month", "date"].dt.day == 1).all()


def test_known_approval_dates_from_the_sources():
    """Dates as stated in the FDA approval summaries' abstracts (Clin Cancer Res, The Oncologist)."""
    data = tl.approvals().set_index(["therapy", "indication"])
    by_therapy = tl.approvals().groupby("therapy")["date"].min()
    assert by_therapy["pembrolizumab"] == pd.Timestamp("2014-09-04")  # Chuk et al. 2017
    assert by_therapy["tisagenlecleucel"] == pd.Timestamp("2017-08-30")  # O'Leary et al. 2019
    assert by_therapy["atezolizumab"] == pd.Timestamp("2016-05-18")  # Ning et al. 2017
    assert by_therapy["blinatumomab"] == pd.Timestamp("2014-12-03")  # Przepiorka et al. 2015
    msi = [k for k in data.index if k[0] == "pembrolizumab" and "MSI-H" in k[1]]
    assert data.loc[msi[0], "date"] == pd.Timestamp("2017-05-23")  # Marcus et al. 2019
    # rows added to bring the table up to date (each date from its FDA approval summary)
    assert by_therapy["peginterferon alfa-2b"] == pd.Timestamp("2011-03-29")  # Herndon et al. 2012
    assert by_therapy["idecabtagene vicleucel"] == pd.Timestamp("2021-03-01")  # month only
    assert by_therapy["teclistamab"] == pd.Timestamp("2022-10-25")  # Baines et al. 2024
    assert by_therapy["lifileucel"] == pd.Timestamp("2024-02-16")  # Hu et al. 2025
    assert by_therapy["afamitresgene autoleucel"] == pd.Timestamp("2024-08-01")
    # four rows cite the FDA's own page (fda.gov), which has no DOI
    assert by_therapy["tebentafusp"] == pd.Timestamp("2022-01-25")
    assert by_therapy["nivolumab + relatlimab"] == pd.Timestamp("2022-03-18")
    assert by_therapy["mosunetuzumab"] == pd.Timestamp("2022-12-22")
    assert by_therapy["tarlatamab"] == pd.Timestamp("2024-05-16")
    assert tl.LAST_DATE == pd.Timestamp("2024-08-01")


def test_helpers():
    assert tl.count_before(tl.FIRST_YEAR) == 0
    assert tl.count_before(tl.LAST_YEAR + 1) == len(tl.approvals())
    assert tl.first_year("vaccine") == 2010
    assert tl.first_year("cytokine") == 2011
    with pytest.raises(ValueError, match="other"):
        tl.first_year("other")


def test_view_builds_with_one_trace_per_lane_and_fixed_axes():
    fig = tl.timeline_view.figure()
    assert [t.name for t in fig.data] == tl.LANES
    assert sum(len(t.x) for t in fig.data) == len(tl.approvals())
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.meta["description"]
    symbols = [t.marker.symbol for t in fig.data]
    assert len(set(symbols)) == len(symbols), "each class has its own marker symbol"
    early = tl.timeline_view.figure(until_year=tl.FIRST_YEAR)
    assert early.layout.xaxis.range == fig.layout.xaxis.range
    assert sum(len(t.x) for t in early.data) == tl.count_before(tl.FIRST_YEAR + 1)


def test_slider_years_are_the_years_with_an_approval():
    assert tl.SLIDER_YEARS == sorted(set(tl.approvals()["year"]))
    assert tl.SLIDER_YEARS[0] == tl.FIRST_YEAR and tl.SLIDER_YEARS[-1] == tl.LAST_YEAR


def test_static_slider_over_years_has_one_step_per_year():
    years = tl.SLIDER_YEARS
    fig = tl.timeline_view.static("until_year", years)
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == [str(y) for y in years]
    assert len(fig.data) == len(years) * len(tl.LANES)
    assert len(steps) <= 12
    # the number of markers in each step is the number of approvals up to that year
    n = len(tl.LANES)
    for k, year in enumerate(years):
        shown = sum(len(fig.data[k * n + j].x) for j in range(n))
        assert shown == tl.count_before(year + 1)


def test_class_scenarios_filter_the_lanes():
    fig = tl.timeline_view.scenarios(tl.CLASS_SCENARIOS, label="Classes shown")
    assert len(fig.layout.sliders[0].steps) == len(tl.CLASS_SCENARIOS)
    n = len(tl.LANES)
    names = list(tl.CLASS_SCENARIOS)
    k = names.index("checkpoint")
    counts = {fig.data[k * n + j].name: len(fig.data[k * n + j].x) for j in range(n)}
    n_checkpoint = int((tl.approvals()["class"] == "checkpoint inhibitor").sum())
    assert counts.pop("checkpoint inhibitor") == n_checkpoint
    assert all(v == 0 for v in counts.values())


def test_live_explorer_redraws():
    live = tl.timeline_view.live(controls=["until_year", "show_checkpoint_inhibitor"])
    before = sum(len(t.x) for t in live.figure.data)
    live.redraw(until_year=tl.FIRST_YEAR)
    after = sum(len(t.x) for t in live.figure.data)
    assert before == len(tl.approvals()) and after == tl.count_before(tl.FIRST_YEAR + 1)
    live.redraw(show_checkpoint_inhibitor=False, until_year=tl.LAST_YEAR)
    idx = tl.LANES.index("checkpoint inhibitor")
    assert len(live.figure.data[idx].x) == 0


@pytest.mark.parametrize("bad", [{"until_year": tl.LAST_YEAR + 5}, {"until_year": 2014.5}])
def test_out_of_range_parameters_name_the_parameter(bad):
    with pytest.raises(ValueError, match="until_year"):
        tl.timeline_view.figure(**bad)


def test_filtered_data_draws_a_subset():
    from widgets.exercises.ch01 import blood_cancer_rows

    blood = blood_cancer_rows()
    fig = tl.timeline_figure(data=blood)
    assert sum(len(t.x) for t in fig.data) == len(blood) > 0


@pytest.mark.parametrize("exercise", ["1.1", "1.2", "1.3"])
def test_exercises_accept_their_solution_and_explain_a_wrong_answer(exercise):
    ex = get(exercise)
    assert check(exercise, ex.solution())
    answer = ex.solution()
    wrong = {k: v + 0.5 for k, v in answer.items()} if isinstance(answer, dict) else answer + 1
    ok, message = feedback(exercise, wrong)
    assert not ok and "too high" in message
