"""The neoantigen counting model (widgets.models.neoantigen) and its view."""

import math

import numpy as np
import pytest
from conftest import param_values
from hypothesis import given, settings

from widgets.models import neoantigen as neo
from widgets.views import vaccine as views


# -- the closed form -----------------------------------------------------------------------------
def test_limits():
    assert neo.probability_at_least_one(0, 0.5, 0.5) == 0.0  # no mutations, no target
    assert neo.probability_at_least_one(1000, 0.0, 0.5) == 0.0  # nothing presented
    assert neo.probability_at_least_one(1000, 0.5, 0.0) == 0.0  # nothing immunogenic
    assert neo.probability_at_least_one(1, 1.0, 1.0) == 1.0  # every mutation is a target
    assert neo.probability_at_least_one(1, 0.3, 0.5) == pytest.approx(0.15)  # one mutation: f q
    assert neo.probability_at_least_one(10**6, 0.01, 0.1) == pytest.approx(1.0)  # many mutations
    assert neo.presented_fraction(0.0, 6) == 0.0
    assert neo.presented_fraction(0.2, 1) == pytest.approx(0.2)
    assert neo.presented_fraction(1.0, 3) == 1.0


def test_closed_form_and_expected_number():
    m, f, q = 100, 0.05, 0.1
    assert neo.probability_at_least_one(m, f, q) == pytest.approx(1 - (1 - f * q) ** m, rel=1e-12)
    assert neo.expected_immunogenic(m, f, q) == pytest.approx(m * f * q)


def test_monotone_in_every_ingredient():
    m = np.array([1, 10, 100, 1000])
    p = neo.probability_at_least_one(m, 0.05, 0.1)
    assert np.all(np.diff(p) > 0)
    for key, values in {
        "per_allele": [0.002, 0.01, 0.05],
        "hla_alleles": [1, 3, 6],
        "immunogenic": [0.02, 0.1, 0.5],
        "mutations": [10, 100, 1000],
    }.items():
        probs = [neo.summary(**{key: v})["p_at_least_one"] for v in values]
        assert np.all(np.diff(probs) > 0), key


def test_poisson_approximation_is_close_when_fq_small():
    df = neo.simulate()
    assert np.max(np.abs(df["p_at_least_one"] - df["p_poisson"])) < 0.005
    # and can be far off when f q is large (the test can fail)
    big = neo.simulate(per_allele=0.2, immunogenic=1.0)
    assert np.max(np.abs(big["p_at_least_one"] - big["p_poisson"])) > 0.05


@pytest.mark.parametrize(
    "over", [{}, {"mutations": 20, "immunogenic": 0.3}, {"mutations": 1000, "hla_alleles": 2}]
)
def test_closed_form_matches_seeded_monte_carlo(over):
    n = 20_000
    mc = neo.monte_carlo(n_patients=n, seed=12345, **over)
    s = neo.summary(**over)
    p = s["p_at_least_one"]
    se = math.sqrt(p * (1 - p) / n)
    assert (mc["immunogenic"] > 0).mean() == pytest.approx(p, abs=4 * se + 1e-9)
    assert mc["immunogenic"].mean() == pytest.approx(
        s["expected_immunogenic"], abs=4 * math.sqrt(s["expected_immunogenic"] / n) + 1e-9
    )
    assert mc["presented"].mean() == pytest.approx(s["expected_presented"], rel=0.05)
    assert (mc["immunogenic"] <= mc["presented"]).all()


def test_monte_carlo_is_seeded():
    a = neo.monte_carlo(n_patients=500, seed=7)
    b = neo.monte_carlo(n_patients=500, seed=7)
    assert a.equals(b)


def test_count_distribution_sums_to_one_and_starts_with_none():
    s = neo.summary()
    d = neo.count_distribution(100, s["presented_fraction"], 0.1, k_max=8)
    assert d["probability"].sum() == pytest.approx(1.0)
    assert d["probability"].iloc[0] == pytest.approx(1 - s["p_at_least_one"])


def test_mutations_needed():
    f, q = 0.05, 0.1
    m = neo.mutations_needed(0.5, f, q)
    assert neo.probability_at_least_one(m, f, q) >= 0.5 > neo.probability_at_least_one(m - 1, f, q)
    assert neo.mutations_needed(0.5, 0.0, 0.1) == math.inf
    with pytest.raises(ValueError, match="target"):
        neo.mutations_needed(1.0, f, q)


def test_fewer_hla_alleles_fewer_presented_neoantigens_chowell_2018():
    """Chowell et al. 2018 (Science 359:582), abstract: patients homozygous at one or more
    HLA class I loci (fewer distinct alleles) survived less long after checkpoint blockade
    than those with maximal heterozygosity; the proposed reason is a narrower set of
    presented tumour peptides. In the model fewer alleles mean fewer presented and fewer
    immunogenic neoantigens, and more mutations are needed for an even chance."""
    full = neo.summary(hla_alleles=6)
    homo = neo.summary(hla_alleles=3)
    assert homo["expected_presented"] < full["expected_presented"]
    assert homo["p_at_least_one"] < full["p_at_least_one"]
    assert homo["mutations_for_half"] > full["mutations_for_half"]


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"mutations": 0}, "mutations"),
        ({"mutations": 10.5}, "mutations"),
        ({"immunogenic": float("nan")}, "immunogenic"),
        ({"per_allele": "high"}, "per_allele"),
        ({"hla_alleles": 7}, "hla_alleles"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        neo.simulate(**kwargs)
    with pytest.raises(ValueError, match=name):
        neo.summary(**kwargs)


def test_bad_monte_carlo_size():
    with pytest.raises(ValueError, match="n_patients"):
        neo.monte_carlo(n_patients=0)


# -- property test -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(param_values(neo.PARAMS, log_scale=False))
def test_probabilities_valid_everywhere(values):
    df = neo.simulate(**values)
    num = df.to_numpy(dtype=float)
    assert np.all(np.isfinite(num)) and np.all(num >= 0)
    assert ((df["p_at_least_one"] <= 1) & (df["p_poisson"] <= 1)).all()
    assert np.all(np.diff(df["p_at_least_one"]) >= -1e-12)
    s = neo.summary(**values)
    assert 0 <= s["p_at_least_one"] <= 1


# -- view ----------------------------------------------------------------------------------------
def test_neoantigen_view_static_and_live():
    n = len(views.neoantigen_view.figure().data)
    fig = views.neoantigen_view.static("mutations", [10, 100, 1000])
    assert len(fig.data) == 3 * n
    assert [s.label for s in fig.layout.sliders[0].steps] == ["10", "100", "1000"]
    assert "immunogenic" in fig.layout.meta["description"]
    live = views.neoantigen_view.live(controls=["mutations", "immunogenic"])
    before = float(live.figure.data[2].y[0])
    live.redraw(mutations=1000)
    assert float(live.figure.data[2].y[0]) > before
    assert "1000 mutations" in live.figure.layout.title.text


@pytest.mark.parametrize("ex", ["6.1", "6.2"])
def test_exercises_check(ex, capsys):
    from widgets.checks import check, feedback, get

    assert check(ex, get(ex).solution())
    assert "✔" in capsys.readouterr().out
    assert not feedback(ex, {"wrong": 1})[0]
