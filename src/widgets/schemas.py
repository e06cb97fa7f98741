"""Schemas of the curated data files in ``data/``: what each column must hold."""

from __future__ import annotations

from .data import Column, Schema, register_schema

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
            Column("registry_id", "source", required=False,
                   description="ClinicalTrials.gov (NCT) or EudraCT number, where there is one"),
            Column("therapy", description="generic name(s) of the treatment in this arm"),
            Column("class", choices=THERAPY_CLASSES),
            Column("target", required=False, description="molecular target, e.g. PD-1, CD19"),
            Column("cancer", description="cancer type, short"),
            Column("setting", required=False, description="line of therapy or population"),
            Column("arm", description="the arm this row reports (the treatment or comparator)"),
            Column("endpoint", choices=ENDPOINTS),
            Column("patients", "int", lo=1, description="patients evaluated for this endpoint"),
            Column("responders", "int", lo=0, required=False,
                   description="patients with the endpoint (responses, remissions)"),
            Column("complete_responses", "int", lo=0, required=False,
                   description="complete responses, where reported"),
            Column("value", "float", required=False,
                   description="the reported value when no count is given"),
            Column("value_unit", required=False, choices=("%", "months", "hazard ratio")),
            Column("source", "source", description="DOI (or registry ID) of the primary report"),
            Column("source_detail", description="table, figure or section where it is stated"),
        ],
        rules=[
            ("responders <= patients",
             lambda r: r["responders"] is None or r["responders"] <= r["patients"], "responders"),
            ("complete_responses <= patients",
             lambda r: r["complete_responses"] is None
             or r["complete_responses"] <= r["patients"], "complete_responses"),
            ("a row gives responders or a value",
             lambda r: r["responders"] is not None or r["value"] is not None, "value"),
            ("a value has its unit",
             lambda r: r["value"] is None or r["value_unit"] is not None, "value_unit"),
            ("a percentage lies in [0, 100]",
             lambda r: r["value_unit"] != "%" or 0 <= r["value"] <= 100, "value"),
        ],
    )
)
