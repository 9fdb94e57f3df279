"""What the pages share: session state, the sidebar, and plotly figure builders (in ui.figures)."""
