"""The vendor-facing app: only the questionnaire a link opens. It runs apart from the staff app, so a
vendor's link can never lead to staff pages: `streamlit run vendor_app.py --server.port 8502`."""

import streamlit as st

st.set_page_config(page_title="Due-diligence questionnaire", page_icon=":material/quiz:", layout="centered")
st.navigation([st.Page("app_pages/vendor_questionnaire.py", title="Questionnaire")], position="hidden").run()
