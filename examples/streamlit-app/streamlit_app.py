"""A one-page Streamlit dashboard."""

import streamlit as st

st.title("dockwright streamlit example")
st.write("The sum of 1..10 is", sum(range(1, 11)))
