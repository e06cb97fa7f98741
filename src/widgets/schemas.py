"""Schemas of the curated data files in ``data/``: what each column must hold.

The loader (:mod:`widgets.data`) imports this module; this module imports nothing else of the
package, so the dependency runs one way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Column", "Schema", "DataError", "SCHEMAS", "register_schema"]


class DataError(ValueError):
    """A curated data file breaks its schema."""


@dataclass(frozen=True)
class Column:
    """One column of a data file.

    ``kind``: ``"str"``, ``"int"``, ``"float"``, ``"date"`` (``YYYY-MM-DD`` or ``YYYY-MM``)
    or ``"source"`` (an identifier matching :data:`SOURCE_PATTERN`). ``required`` columns may
    not be empty in any row. ``lo``/``hi`` bound numbers; ``choices`` lists allowed strings.
    """

    name: str
    kind: str = "str"
    required: bool = True
    lo: float | None = None
    hi: float | None = None
    choices: Sequence[str] | None = None
    description: str = ""


@dataclass(frozen=True)
class Schema:
    """The columns of one data file and the rules that tie its columns together.

    ``rules`` are ``(description, predicate, column)`` triples; ``predicate(row)`` gets the
    typed row as a dict and returns True when the row is valid.
    """

    name: str
    columns: Sequence[Column]
    rules: Sequence[tuple[str, Callable[[dict], bool], str]] = field(default_factory=tuple)
    description: str = ""


SCHEMAS: dict[str, Schema] = {}


def register_schema(schema: Schema) -> Schema:
    SCHEMAS[schema.name] = schema
    return schema


THERAPY_CLASSES = (
    "checkpoint inhibitor",
    "CAR-T / cell therapy",
    "cytokine",
    "vaccine",
    "oncolytic virus",
    "bispecific antibody",
    "other",
)

register_schema(
    Schema(
        name="approvals",
        description="Regulatory approval milestones of immunotherapies, one row per approval.",
        columns=[
            Column("date", "date", description="approval date, YYYY-MM-DD (or YYYY-MM)"),
            Column("agency", choices=("FDA", "EMA")),
            Column("therapy", description="generic name"),
            Column("brand", required=False),
            Column("class", choices=THERAPY_CLASSES),
            Column("target", required=False),
            Column("indication"),
            Column("source", "source", description="DOI or registry ID of the primary source"),
            Column("source_detail", description="where in the source the date is stated"),
        ],
    )
)

ENDPOINTS = (
    "objective response",
    "complete response",
    "durable response",
    "remission",
    "overall survival",
    "progression-free survival",
    "relapse-free survival",
)

register_schema(
    Schema(
        name="trials",
        description=(
            "Reported trial results, one row per arm and endpoint. Counts (patients, "
            "responders) where the source gives them; otherwise a value with its unit "
            "(a percentage, a median in months or a hazard ratio)."
        ),
        columns=[
            Column("trial", description="trial or study name, e.g. CheckMate 067"),
            Column(
                "registry_id",
                "source",
                required=False,
                description="ClinicalTrials.gov (NCT) or EudraCT number, where there is one",
            ),
            Column("therapy", description="generic name(s) of the treatment in this arm"),
            Column("class", choices=THERAPY_CLASSES),
            Column("target", required=False, description="molecular target, e.g. PD-1, CD19"),
            Column("cancer", description="cancer type, short"),
            Column("setting", required=False, description="line of therapy or population"),
            Column("arm", description="the arm this row reports (the treatment or comparator)"),
            Column("endpoint", choices=ENDPOINTS),
            Column("patients", "int", lo=1, description="patients evaluated for this endpoint"),
            Column(
                "responders",
                "int",
                lo=0,
                required=False,
                description="patients with the endpoint (responses, remissions)",
            ),
            Column(
                "complete_responses",
                "int",
                lo=0,
                required=False,
                description="complete responses, where reported",
            ),
            Column(
                "value",
                "float",
                required=False,
                description="the reported value when no count is given",
            ),
            Column("value_unit", required=False, choices=("%", "months", "hazard ratio")),
            Column(
                "ci_low",
                "float",
                required=False,
                lo=0,
                description="lower limit of the published confidence interval of a hazard ratio",
            ),
            Column(
                "ci_high", "float", required=False, lo=0, description="upper limit of that interval"
            ),
            Column(
                "ci_level",
                "float",
                required=False,
                lo=0.5,
                hi=0.999,
                description="its confidence level as a proportion (0.95 for a 95% interval)",
            ),
            Column("source", "source", description="DOI (or registry ID) of the primary report"),
            Column("source_detail", description="table, figure or section where it is stated"),
        ],
        rules=[
            (
                "responders <= patients",
                lambda r: r["responders"] is None or r["responders"] <= r["patients"],
                "responders",
            ),
            (
                "complete_responses <= patients",
                lambda r: (
                    r["complete_responses"] is None or r["complete_responses"] <= r["patients"]
                ),
                "complete_responses",
            ),
            (
                "a row gives responders or a value",
                lambda r: r["responders"] is not None or r["value"] is not None,
                "value",
            ),
            (
                "a value has its unit",
                lambda r: r["value"] is None or r["value_unit"] is not None,
                "value_unit",
            ),
            (
                "a percentage lies in [0, 100]",
                lambda r: r["value_unit"] != "%" or 0 <= r["value"] <= 100,
                "value",
            ),
            (
                "a hazard ratio has its interval: ci_low <= value <= ci_high, with ci_level",
                lambda r: (
                    r["value_unit"] != "hazard ratio"
                    or (
                        r["ci_low"] is not None
                        and r["ci_high"] is not None
                        and r["ci_level"] is not None
                        and r["ci_low"] <= r["value"] <= r["ci_high"]
                    )
                ),
                "ci_low",
            ),
            (
                "only a hazard ratio has an interval here",
                lambda r: (
                    r["value_unit"] == "hazard ratio"
                    or (r["ci_low"] is None and r["ci_high"] is None and r["ci_level"] is None)
                ),
                "ci_low",
            ),
        ],
    )
)

# -- chapter 9: adverse events (appended by the chapter 9 helper) ---------------------------
REGIMENS = (
    "anti-PD-1",
    "anti-CTLA-4",
    "anti-PD-1 + anti-CTLA-4",
    "CAR-T",
    "chemotherapy",
)
ORGAN_SYSTEMS = (
    "skin",
    "gastrointestinal",
    "liver",
    "lung",
    "endocrine",
    "systemic",
    "neurological",
    "blood",
    "other",
    "all",
)
AE_GRADES = ("any", "3 or higher")

register_schema(
    Schema(
        name="adverse_events",
        description=(
            "Reported side effects (adverse events), one row per trial arm (regimen), event and "
            "grade band. Counts (patients, events) where the source gives them; otherwise the "
            "reported percentage. Organ 'all' marks a row for any event in any organ; 'blood' "
            "marks blood-count effects (anaemia, neutropenia)."
        ),
        columns=[
            Column("trial", description="trial or study name, e.g. CheckMate 067"),
            Column(
                "registry_id",
                "source",
                required=False,
                description="ClinicalTrials.gov (NCT) or EudraCT number, where confirmed",
            ),
            Column("regimen", choices=REGIMENS),
            Column("therapy", description="generic name(s) and dose of the treatment in this arm"),
            Column("cancer", description="cancer type and setting, short"),
            Column("event", description="the adverse event or category, as the source names it"),
            Column("organ", choices=ORGAN_SYSTEMS),
            Column(
                "grade", choices=AE_GRADES, description="'any' grade, or grade 3 or higher (CTCAE)"
            ),
            Column(
                "patients",
                "int",
                lo=1,
                required=False,
                description="patients evaluated for safety in this arm",
            ),
            Column(
                "events",
                "int",
                lo=0,
                required=False,
                description="patients with the event at this grade",
            ),
            Column(
                "percent",
                "float",
                lo=0,
                hi=100,
                required=False,
                description="the reported percentage when no count is given",
            ),
            Column("source", "source", description="DOI (or registry ID) of the primary report"),
            Column("source_detail", description="table, figure or section where it is stated"),
        ],
        rules=[
            (
                "events <= patients",
                lambda r: (
                    r["events"] is None or r["patients"] is None or r["events"] <= r["patients"]
                ),
                "events",
            ),
            (
                "a count of events needs the number of patients",
                lambda r: r["events"] is None or r["patients"] is not None,
                "patients",
            ),
            (
                "a row gives events or a percent",
                lambda r: r["events"] is not None or r["percent"] is not None,
                "percent",
            ),
        ],
    )
)

# -- chapter 8: published microbiome results (appended by the chapter-8 helper) ----------------
register_schema(
    Schema(
        name="microbiome",
        description=(
            "Published results on the gut microbiome and checkpoint blockade, shown beside the "
            "chapter-8 model: counts (patients, responders) for faecal-transplant trials, and "
            "hazard ratios with 95% intervals for antibiotic exposure."
        ),
        columns=[
            Column("study", description="first author and year"),
            Column("intervention"),
            Column("population"),
            Column(
                "endpoint",
                choices=(
                    "objective response",
                    "clinical benefit",
                    "overall survival hazard ratio",
                    "progression-free survival hazard ratio",
                ),
            ),
            Column("patients", "int", lo=1, required=False),
            Column("responders", "int", lo=0, required=False),
            Column("value", "float", lo=0, required=False, description="a hazard ratio"),
            Column("lo", "float", lo=0, required=False, description="lower 95% limit"),
            Column("hi", "float", lo=0, required=False, description="upper 95% limit"),
            Column("value_unit", required=False, choices=("hazard ratio",)),
            Column("source", "source", description="DOI of the primary report"),
            Column("source_detail", description="where in the source the number is stated"),
        ],
        rules=[
            (
                "responders <= patients",
                lambda r: (
                    r["responders"] is None
                    or (r["patients"] is not None and r["responders"] <= r["patients"])
                ),
                "responders",
            ),
            (
                "a row gives responders of patients, or a value",
                lambda r: r["responders"] is not None or r["value"] is not None,
                "value",
            ),
            (
                "a value has its unit and interval lo <= value <= hi",
                lambda r: (
                    r["value"] is None
                    or (
                        r["value_unit"] is not None
                        and r["lo"] is not None
                        and r["hi"] is not None
                        and r["lo"] <= r["value"] <= r["hi"]
                    )
                ),
                "value",
            ),
        ],
    )
)

# -- chapter 7: clinical evidence on changing a tumour's surroundings ---------------------------
#: The chapter-7 model's ideas a clinical result bears on.
TME_IDEAS = ("access restoration", "priming boost", "local suppression", "exclusion signature")
#: The immune phenotype (or selection) of the patients a result comes from.
TME_PHENOTYPES = ("inflamed", "immune-excluded", "immune desert", "PD-L1-high", "unselected")

register_schema(
    Schema(
        name="microenvironment_trials",
        description=(
            "Clinical results on treatments aimed at a tumour's surroundings, positive and "
            "negative, shown beside the chapter-7 model: hazard ratios with their 95% "
            "intervals for randomised trials, response rates for single-arm trials."
        ),
        columns=[
            Column("trial", description="trial name"),
            Column(
                "registry_id",
                "source",
                required=False,
                description="ClinicalTrials.gov (NCT) number",
            ),
            Column("cancer"),
            Column("setting", description="line of treatment, selection, phase, design"),
            Column("experimental", description="the treatment tested"),
            Column("control", description="the comparator, or 'none (single arm)'"),
            Column(
                "idea",
                choices=TME_IDEAS,
                description="the chapter-7 model idea the result bears on",
            ),
            Column(
                "phenotype",
                choices=TME_PHENOTYPES,
                description="the patients' immune phenotype or selection",
            ),
            Column(
                "endpoint",
                choices=(
                    "overall survival hazard ratio",
                    "progression-free survival hazard ratio",
                    "objective response",
                ),
            ),
            Column(
                "patients",
                "int",
                lo=1,
                required=False,
                description="patients in the analysis, where the source gives them",
            ),
            Column("value", "float", lo=0, description="the hazard ratio, or the percentage"),
            Column("value_unit", choices=("hazard ratio", "%")),
            Column("ci_low", "float", lo=0, required=False, description="lower 95% limit"),
            Column("ci_high", "float", lo=0, required=False, description="upper 95% limit"),
            Column(
                "result",
                choices=("positive", "negative", "single arm"),
                description="positive or negative on the primary end point, or single arm",
            ),
            Column("source", "source", description="DOI of the primary report"),
            Column("source_detail", description="where in the source the numbers are stated"),
        ],
        rules=[
            (
                "a hazard ratio has its 95% interval, ci_low <= value <= ci_high",
                lambda r: (
                    r["value_unit"] != "hazard ratio"
                    or (
                        r["ci_low"] is not None
                        and r["ci_high"] is not None
                        and r["ci_low"] <= r["value"] <= r["ci_high"]
                    )
                ),
                "value",
            ),
            (
                "a hazard ratio row is an endpoint of that kind, and a percentage is a response",
                lambda r: (
                    (r["value_unit"] == "hazard ratio") == r["endpoint"].endswith("hazard ratio")
                ),
                "value_unit",
            ),
            (
                "a percentage lies in 0-100",
                lambda r: r["value_unit"] != "%" or r["value"] <= 100,
                "value",
            ),
            (
                "a hazard ratio needs a comparator; a single-arm result has none",
                lambda r: (r["result"] == "single arm") == r["control"].startswith("none"),
                "control",
            ),
            (
                "a single-arm result gives no hazard ratio",
                lambda r: r["result"] != "single arm" or r["value_unit"] == "%",
                "result",
            ),
        ],
    )
)
