"""Backprop Lab: `streamlit run app.py`. The landing page, and the pages in teaching order."""
import streamlit as st

from ui.home import PAGES, home

navigation = st.navigation(
    [st.Page(home, title="Home", icon=":material/school:", default=True)]
    + [st.Page(path, title=title, icon=icon) for path, title, icon, _ in PAGES]
)
navigation.run()
