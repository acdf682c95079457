"""aivet's staff app: sign-in, the pages each role works on, navigation; every page lives in app_pages/.

Nobody sees vendor data before signing in. Vendors never come here: their questionnaire links open
vendor_app.py, a separate app with one page."""

import streamlit as st

from aivet.access import Actor, Role
from app_pages.common import sign_out, signed_in

st.set_page_config(page_title="aivet — AI vendor due diligence", page_icon=":material/fact_check:", layout="wide")

# Each role lands on the page it works on every morning.
HOME = {Role.PROCUREMENT: "triage", Role.LEGAL: "review", Role.SECURITY: "scorecard", Role.ADMIN: "triage"}


def staff_navigation(actor: Actor):
    """The pages, with the actor's own page first, and who is signed in (with sign-out) in the sidebar."""
    pages = {
        "triage": st.Page("app_pages/triage.py", title="Triage", icon=":material/checklist:"),
        "vendors": st.Page("app_pages/vendors.py", title="Vendors and documents", icon=":material/business:"),
        "answers": st.Page("app_pages/answers.py", title="Answers", icon=":material/fact_check:"),
        "review": st.Page("app_pages/review.py", title="Review queue", icon=":material/gavel:"),
        "questionnaires": st.Page("app_pages/questionnaires.py", title="Questionnaires", icon=":material/quiz:"),
        "scorecard": st.Page("app_pages/scorecard.py", title="Scorecard and sign-off", icon=":material/scoreboard:"),
        "compare": st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        "audit": st.Page("app_pages/audit_log.py", title="Audit log", icon=":material/history:"),
        "llm": st.Page("app_pages/llm.py", title="LLM usage and cost", icon=":material/smart_toy:"),
    }
    home = pages[HOME[actor.role]]
    with st.sidebar:
        st.caption(f"Signed in as **{actor.name}** ({actor.role})")
        st.button("Sign out", icon=":material/logout:", on_click=sign_out)
    return st.navigation([home] + [page for page in pages.values() if page is not home])


signed = signed_in()
if signed is None:
    st.navigation([st.Page("app_pages/sign_in.py", title="Sign in", icon=":material/login:")]).run()
else:
    staff_navigation(signed).run()
