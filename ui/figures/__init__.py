"""Plotly figure builders: pure functions from engine state to ``go.Figure``, tested without Streamlit."""
