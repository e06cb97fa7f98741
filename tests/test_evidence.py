"""The published results as the book reads them (widgets.evidence): counts with exact
intervals, hazard ratios with their published intervals, adverse events, biomarker thresholds."""

import pandas as pd
import pytest

from widgets import evidence, stats
from widgets.data import load


def test_atkins_1999_interval_matches_the_paper():
    """Atkins et al. 1999 (J Clin Oncol 17:2105), abstract: ORR 16% (95% CI 12% to 21%) with
    17 CR + 26 PR of 270 patients; the exact interval rounds to the published one."""
    t = evidence.response_table()
    r = t[(t["trial"].str.contains("Atkins")) & (t["endpoint"] == "objective response")].iloc[0]
    assert (r["k"], r["n"]) == (43, 270)
    assert round(100 * r["rate"]) == 16
    assert (round(100 * r["ci_low"]), round(100 * r["ci_high"])) == (12, 21)


def test_juliet_interval_matches_the_paper():
    """Schuster et al. 2019 (NEJM 380:45), abstract: best ORR 52% (95% CI 41 to 62) of 93.
    The reconstructed count (48) gives the published interval."""
    t = evidence.response_table()
    r = t[(t["trial"] == "JULIET") & (t["endpoint"] == "objective response")].iloc[0]
    assert r["reconstructed"] and (r["k"], r["n"]) == (48, 93)
    assert (round(100 * r["ci_low"]), round(100 * r["ci_high"])) == (41, 62)


def test_response_table_covers_every_class_and_reports_counts():
    t = evidence.response_table()
    assert set(t["class"]) >= {
        "checkpoint inhibitor",
        "CAR-T / cell therapy",
        "cytokine",
        "oncolytic virus",
    }
    assert (t["ci_low"] <= t["rate"]).all() and (t["rate"] <= t["ci_high"]).all()
    # complete responses inside an objective-response row become rows of their own
    cr = t[(t["trial"] == "OPTiM") & (t["endpoint"] == "complete response")]
    assert sorted(zip(cr["k"], cr["n"])) == [(1, 141), (50, 295)]
    assert t["subgroup"].sum() == 4


def test_tmb_threshold_from_goodman_2017():
    """Goodman et al. 2017 (Mol Cancer Ther 16:2598), abstract: high TMB is >= 20 mutations/Mb."""
    assert evidence.tmb_threshold() == 20.0


def test_hazard_ratios_carry_their_published_intervals():
    """Kantoff et al. 2010 (NEJM 363:411), abstract: HR 0.78 (95% CI 0.61 to 0.98); CheckMate
    057 (Borghaei et al. 2015) reports a 96% interval and CheckMate 025 a 98.5% one."""
    hr = evidence.hazard_ratios()
    impact = hr[hr["trial"] == "IMPACT"].iloc[0]
    assert (impact["hr"], impact["lower"], impact["upper"], impact["level"]) == (
        0.78,
        0.61,
        0.98,
        0.95,
    )
    assert set(hr["level"]) == {0.95, 0.96, 0.985}
    assert ((hr["lower"] <= hr["hr"]) & (hr["hr"] <= hr["upper"])).all()
    assert set(evidence.hazard_ratios(therapy_class="vaccine")["trial"]) == {"IMPACT"}


def test_adverse_events_rates_and_intervals():
    """Counted rows get the share and its exact interval; percentage-only rows the printed
    percentage and no interval."""
    ae = evidence.adverse_events()
    counted = ae["events"].notna() & ae["patients"].notna()
    assert (
        ae.loc[counted, "rate"] == ae.loc[counted, "events"] / ae.loc[counted, "patients"]
    ).all()
    assert ae.loc[counted, "ci_low"].le(ae.loc[counted, "rate"]).all()
    assert ae.loc[~counted, "ci_low"].isna().all()
    assert (ae.loc[~counted, "rate"] == ae.loc[~counted, "percent"] / 100).all()
    r = ae[counted].iloc[0]
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(
        stats.exact_ci(int(r["events"]), int(r["patients"]))
    )


def test_response_table_needs_rows():
    empty = pd.DataFrame(columns=load("trials").columns)
    with pytest.raises(ValueError, match="no responder-count rows"):
        evidence.response_table(empty)
