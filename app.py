"""Backprop Lab — landing page (placeholder until the pages land): the data and the tutorial's result."""
import streamlit as st

from core import cross_validate, load_seeds

st.set_page_config(page_title="Backprop Lab", layout="wide")
st.title("Backprop Lab")
dataset = load_seeds()
st.write(dataset.describe())
if st.button("Reproduce the tutorial"):
    st.code(cross_validate(dataset).tutorial_text())
