"""Exercises of chapter 1 (the approvals timeline). Every answer is computed from the data."""

from __future__ import annotations

import re

from ..checks import Exercise, register

BLOOD_CANCER = re.compile(r"leuka?emia|lymphoma|myeloma", re.IGNORECASE)


def blood_cancer_rows(data=None):
    """Rows of the approvals table whose indication names a blood cancer."""
    from ..views.timeline import approvals

    data = approvals() if data is None else data
    return data[data["indication"].str.contains(BLOOD_CANCER)]


def _count_before_2015():
    from ..views.timeline import count_before

    return count_before(2015)


def _years_checkpoint_to_cell_therapy():
    from ..views.timeline import first_year

    return first_year("CAR-T / cell therapy") - first_year("checkpoint inhibitor")


def _blood_shares():
    from ..views.timeline import approvals

    data = approvals()
    blood = set(blood_cancer_rows(data).index)

    def share(classes):
        rows = data[data["class"].isin(classes)]
        return sum(i in blood for i in rows.index) / len(rows)

    return {
        "redirected": share(["CAR-T / cell therapy", "bispecific antibody"]),
        "checkpoint": share(["checkpoint inhibitor"]),
    }


register(
    Exercise(
        id="1.1",
        quantity="the number of approvals in the table dated before 1 January 2015",
        unit="approvals",
        solution=_count_before_2015,
        hint="Filter approvals() on the 'year' column (year < 2015) and count the rows, or "
        "move the static slider to 2014.",
        rtol=0.0,
    )
)

register(
    Exercise(
        id="1.2",
        quantity="the number of calendar years from the first checkpoint-inhibitor approval "
        "to the first CAR-T / cell-therapy approval",
        unit="years",
        solution=_years_checkpoint_to_cell_therapy,
        hint="Use first_year(cls) for the two classes and subtract the calendar years.",
        rtol=0.0,
    )
)

register(
    Exercise(
        id="1.3",
        quantity={
            "redirected": "the share of CAR-T and bispecific approvals that are for a blood cancer",
            "checkpoint": "the share of checkpoint-inhibitor approvals that are for a blood cancer",
        },
        unit={"redirected": "fraction (0 to 1)", "checkpoint": "fraction (0 to 1)"},
        solution=_blood_shares,
        hint="Mark a row as a blood cancer when its 'indication' mentions leukaemia, lymphoma "
        "or myeloma; then, within each group of classes, divide the blood-cancer rows by all rows.",
        rtol=0.0,
        atol=0.01,
    )
)
