"""The parameter table: validation of every kind of bad input, and slider steps."""

import math

import pytest

from widgets.params import Param, ParamTable

TABLE = ParamTable(
    [
        Param("rate", 0.5, "/day", 0.0, 1.0, "growth rate; per day", "illustrative"),
        Param("count", 3, "doses", 1, 10, "number of doses", "illustrative", kind="int"),
        Param("flag", False, "", kind="bool", description="add-on"),
        Param("size", 1e6, "cells", 1e3, 1e9, "size", "illustrative", log=True),
    ]
)


def test_defaults_and_resolve():
    values = TABLE.resolve(rate=0.25, count=4.0)
    assert values == {"rate": 0.25, "count": 4, "flag": False, "size": 1e6}
    assert isinstance(values["count"], int)


@pytest.mark.parametrize(
    "name, value, fragment",
    [
        ("rate", 1.5, "outside the allowed range"),
        ("rate", -0.1, "outside the allowed range"),
        ("rate", math.nan, "NaN"),
        ("rate", "0.5", "str"),
        ("rate", None, "NoneType"),
        ("rate", True, "bool"),
        ("count", 2.5, "not a whole number"),
        ("count", 11, "outside"),
        ("flag", "yes", "str"),
        ("size", float("inf"), "outside"),
    ],
)
def test_bad_input_names_parameter_and_range(name, value, fragment):
    with pytest.raises(ValueError) as err:
        TABLE.resolve({name: value})
    message = str(err.value)
    assert f"'{name}'" in message
    assert fragment in message
    if name != "flag":
        assert "[" in message and "]" in message  # the allowed range is stated


def test_unknown_parameter():
    with pytest.raises(ValueError, match="unknown parameter 'nope'"):
        TABLE.resolve(nope=1)


def test_default_outside_range_is_rejected():
    with pytest.raises(ValueError):
        Param("x", 5.0, "1", 0.0, 1.0)


def test_steps():
    assert TABLE["rate"].steps(5) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert TABLE["count"].steps(4) == [1, 4, 7, 10]
    assert TABLE["flag"].steps() == [False, True]
    assert TABLE["size"].steps(4) == [1e3, 1e5, 1e7, 1e9]


def test_to_frame_lists_every_parameter():
    frame = TABLE.to_frame()
    assert list(frame.index) == ["rate", "count", "flag", "size"]
    assert frame.loc["rate", "allowed range"] == "[0, 1] /day"


def test_choice_kind_validates_against_its_choices():
    organ = Param(
        "organ", "skin", "", kind="choice", choices=("skin", "liver"), description="organ system"
    )
    assert organ.validate("liver") == "liver"
    assert organ.steps() == ["skin", "liver"]
    assert organ.range_text == "{skin, liver}"
    with pytest.raises(ValueError, match=r"parameter 'organ' must be one of \{skin, liver\}"):
        organ.validate("heart")
    with pytest.raises(ValueError, match="needs its choices"):
        Param("organ", "skin", "", kind="choice")
