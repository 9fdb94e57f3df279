"""Backprop Lab: `streamlit run app.py`. This is the landing page; the lessons are in pages/."""
from ui.home import home

home()
