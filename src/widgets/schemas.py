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
