"""Plotly's own mode bar, cut down to the one button a lecturer needs: download the figure as a PNG."""
from __future__ import annotations

PNG_SCALE = 2  # twice the on-screen size: sharp on a slide


def png_only(filename: str) -> dict:
    """The ``config`` of a figure whose mode bar (shown on hover) holds only "Download plot as a PNG"."""
    return {"displaylogo": False, "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": PNG_SCALE}}
