"""The models-and-data page's notation tables (widgets.notation)."""

import pytest

from widgets import notation


@pytest.mark.parametrize("key", sorted(notation.MODELS))
def test_every_model_has_a_complete_notation_table(key):
    t = notation.table(key)
    assert len(t) >= 1
    assert (t["symbol"].str.len() > 0).all()
    assert (t["meaning"].str.len() > 0).all()
    assert (t["where used"] == f"chapter {notation.MODELS[key].chapter}").all()
    assert set(t["kind"].str.split().str[0]) <= {"variable", "parameter"}


def test_extensions_list_only_their_own_symbols():
    vaccine = notation.table("vaccine")
    assert set(vaccine["symbol"]) == {"π", "v"}
    assert "L" not in set(notation.table("nerve")["symbol"])


def test_shared_symbols_name_the_issue_examples():
    shared = notation.shared_symbols().set_index("symbol")["meanings"]
    assert "chapter 3" in shared["c"] and "chapter 5" in shared["c"]
    assert "chapter 5" in shared["I"] and "chapter 8" in shared["I"]
    assert shared["a"].count("chapter") >= 4
    assert "t" not in shared.index


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="key must be one of"):
        notation.table("no such model")
