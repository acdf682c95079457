"""Issue the questionnaire (PDF, spreadsheet or link; all questions or only the gaps) and track what came back."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from aivet.settings import Settings
from app_pages.common import REFUSED, actor, attempt, plain, scoring_setup, vendor_picker, workspace
from workflows import issue_to_vendor, revoke_link, tracking

CHANNELS = {"pdf": "Fillable PDF", "xlsx": "Spreadsheet (XLSX)", "link": "Link (no account needed)"}

st.title("Questionnaires")
ws = workspace()
me = actor()
vendor_id = vendor_picker(ws)
intake, _ = scoring_setup()

with st.form("issue"):
    channel = st.radio("Send as", list(CHANNELS), format_func=CHANNELS.get, horizontal=True)
    due = st.date_input("Due date", value=date.today() + timedelta(days=14), min_value=date.today())
    our_company = st.text_input("Our company (on the cover page)", value="Our company")
    only_gaps = st.toggle("Only what the vendor's documents left open (not found, conflicting or uncertain)")
    issue = st.form_submit_button("Issue questionnaire", type="primary")
issued = attempt(issue_to_vendor, ws, vendor_id, channel, due, intake, me, only_gaps, our_company) if issue else REFUSED
if issued is not REFUSED:
    record = issued.issued.record
    st.success(f"Questionnaire {record.id} issued: {len(record.question_ids)} questions, due {due.isoformat()}.")
    if issued.data is not None:
        st.download_button(f"Download {issued.filename}", issued.data, issued.filename, icon=":material/download:")
    else:
        st.code(f"{Settings.from_env().public_url}/?token={issued.issued.token}", language=None)
        st.caption("Send this link to the vendor now: it is shown only once and stored only as a hash.")

st.subheader("Tracking")
rows = tracking(ws)
for row in rows:
    if row.reminder:
        st.warning(plain(row.reminder), icon=":material/notifications:")
if rows:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": row.record.id,
                    "vendor": row.vendor,
                    "sent as": row.record.channel,
                    "questions": len(row.record.question_ids),
                    "gaps only": bool(row.record.gaps),
                    "due": row.record.due_date,
                    "status": row.status.replace("_", " "),
                    "answered": len(row.record.answers),
                    "issued by": row.record.issued_by,
                }
                for row in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    links = [
        row
        for row in rows
        if row.record.token_sha256 and row.record.revoked_at is None and row.record.submitted_at is None
    ]
    if links:
        chosen = st.selectbox(
            "Revoke a link",
            [row.record.id for row in links],
            format_func=lambda item: f"Questionnaire {item}",
            index=None,
        )
        if (
            chosen is not None
            and st.button("Revoke link", icon=":material/link_off:")
            and attempt(revoke_link, ws, chosen, me) is not REFUSED
        ):
            st.rerun()
else:
    st.caption("Nothing issued yet.")
