"""aivet's staff app: page set-up and navigation; every page lives in app_pages/.

Vendors never come here: their questionnaire links open vendor_app.py, a separate app with one page."""

import streamlit as st

st.set_page_config(page_title="aivet — AI vendor due diligence", page_icon=":material/fact_check:", layout="wide")

navigation = st.navigation(
    [
        st.Page("app_pages/vendors.py", title="Vendors and documents", icon=":material/business:", default=True),
        st.Page("app_pages/answers.py", title="Answers", icon=":material/fact_check:"),
        st.Page("app_pages/questionnaires.py", title="Questionnaires", icon=":material/quiz:"),
        st.Page("app_pages/scorecard.py", title="Scorecard", icon=":material/scoreboard:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("app_pages/audit_log.py", title="Audit log", icon=":material/history:"),
    ]
)
navigation.run()
