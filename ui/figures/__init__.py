"""Plotly figure builders: pure functions from engine state to ``go.Figure``, tested without Streamlit."""
# plotly imports pandas lazily, the first time a figure is validated. On a fresh server several
# sessions can do that at once, and all but the first then see a half-imported pandas. Importing it
# here, under Python's import lock, finishes it before any figure is built.
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
