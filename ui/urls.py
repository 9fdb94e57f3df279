"""The step-through's position in the URL (?sample=42&step=7&lr=0.25): read once, checked, kept up to date.

Every value is checked like an upload: whole numbers in range, a finite learning rate in [0, 100];
anything else is left out with a warning, never a traceback.
"""
from __future__ import annotations

import math

import streamlit as st

from .lesson import StepPosition

MAX_LEARNING_RATE = 100.0


def _whole(value: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not value.isdigit() or len(value) > 9:
        return None
    number = int(value)
    return number if low <= number <= high else None


def _rate(value: str) -> float | None:
    try:
        rate = float(value[:40])
    except ValueError:
        return None
    return rate if math.isfinite(rate) and 0.0 <= rate <= MAX_LEARNING_RATE else None


def read_step_position(position: StepPosition, n_rows: int) -> str:
    """Apply the URL's sample, step and learning rate to ``position``; name the parts that were unusable."""
    params, bad = st.query_params, []
    if "sample" in params:
        if params["sample"] == "toy":
            position.source = "toy"
        elif (row := _whole(params["sample"], 0, n_rows - 1)) is not None:
            position.source, position.row = "row", row
        else:
            bad.append("sample")
    if "step" in params:
        if (step := _whole(params["step"], 1, 100_000)) is not None:
            position.index = step - 1
        else:
            bad.append("step")
    if "lr" in params:
        if (rate := _rate(params["lr"])) is not None:
            position.learning_rate = rate
        else:
            bad.append("learning rate")
    return ", ".join(bad)


def write_step_position(position: StepPosition) -> None:
    st.query_params.update({"sample": "toy" if position.source == "toy" else str(position.row),
                            "step": str(position.index + 1), "lr": f"{position.learning_rate:g}"})
