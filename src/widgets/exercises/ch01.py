"""Exercises of chapter 1 (the approvals timeline). Every answer is computed from the data."""

from __future__ import annotations

import re

from ..checks import Exercise, register
from ..quiz import Option, Question

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
            "redirected": "the share of CAR-T / cell-therapy and bispecific approvals that are for "
            "a blood cancer",
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

#: Concept questions for the kernel-free quiz (:mod:`widgets.quiz`).
QUIZ = [
    Question(
        "How does immunotherapy differ from chemotherapy and radiotherapy?",
        (
            Option(
                "It damages quickly dividing cells, like chemotherapy, only more strongly.",
                "That describes chemotherapy and radiotherapy, which harm healthy tissue that "
                "divides quickly too. Immunotherapy acts on the immune system instead.",
            ),
            Option(
                "It acts on the patient's immune system, so that immune cells, not the drug, "
                "attack the cancer.",
                "Yes: it works one step removed from the tumour. It aims to be more selective, "
                "because an immune response is directed at particular molecular targets.",
                correct=True,
            ),
            Option(
                "It has no side effects, because it attacks only the cancer.",
                "More selective does not mean free of harm: an immune system released from its "
                "brakes can attack healthy organs, such as the lungs, the bowel or the liver.",
            ),
        ),
        source=("chuk2017",),
    ),
    Question(
        "A treatment uses a two-armed antibody to hold a T cell against a cancer cell. Which "
        "family of immunotherapy does it belong to?",
        (
            Option(
                "Checkpoint inhibitors",
                "Checkpoint inhibitors block brakes such as CTLA-4 and PD-1 so that T cells "
                "already near a tumour can act; they do not link two cells together.",
            ),
            Option(
                "CAR-T cell therapy",
                "CAR-T cell therapy collects a patient's T cells and equips them in the "
                "laboratory before infusing them back. A two-armed antibody redirects T cells "
                "without engineering them.",
            ),
            Option(
                "Oncolytic viruses",
                "Oncolytic viruses infect and burst cancer cells, and in doing so alert the "
                "immune system; they are viruses, not antibodies.",
            ),
            Option(
                "Bispecific antibodies",
                "Right: a bispecific antibody holds a T cell against a cancer cell, redirecting "
                "T cells without engineering them.",
                correct=True,
            ),
        ),
    ),
    Question(
        "High-dose interleukin-2 was the first reproducibly effective immunotherapy for human "
        "cancer, yet the cytokine lane of the approvals timeline starts only in 2011, with "
        "peginterferon alfa-2b. Why?",
        (
            Option(
                "The dates of the first approvals of interleukin-2 and interferon-α could not "
                "be confirmed in a primary record, so they are not in the table.",
                "Yes: both were given to patients in trials in the 1980s, but every row needs "
                "a date read in a primary source. The late start of the lane is a gap in the "
                "table, not in history.",
                correct=True,
            ),
            Option(
                "Cytokines were first approved as cancer treatments in 2011.",
                "Interleukin-2 and interferon-α were in use long before; only the dates of "
                "their first approvals could not be confirmed in a primary source.",
            ),
            Option(
                "The table only includes treatments approved from 2010 onwards.",
                "The table's rule is about sources, not years: it holds first approvals of "
                "each kind that could be confirmed in a primary source with a DOI.",
            ),
        ),
        source=("rosenberg2014", "herndon2012"),
    ),
    Question(
        "In the book's table, 9 of the 18 approvals fall in the four years from 2014 to 2017. "
        "Which reading is right?",
        (
            Option(
                "Immunotherapies became much more effective after 2014.",
                "An approval date says when a treatment became available, not how well it "
                "works; how often these treatments work is the subject of a later chapter.",
            ),
            Option(
                "These were the only immunotherapy approvals in those years.",
                "The table records first approvals only: later approvals of the same drugs for "
                "other cancers, and approvals by other agencies, are left out.",
            ),
            Option(
                "Several families of treatment reached patients within a few years; the burst "
                "belongs to a table that records firsts.",
                "Right: within four years, checkpoint inhibitors, a bispecific antibody, an "
                "oncolytic virus and the first CAR-T cells all reached patients. The burst is "
                "not a count of all approvals in those years, and it says nothing about how "
                "well the treatments work for one person.",
                correct=True,
            ),
        ),
        data="approvals",
    ),
]
