"""A vendor's extracted answers: value, status and confidence, and each quote highlighted on its page."""

import pandas as pd
import streamlit as st

from app_pages.common import actor, highlighted, plain, stale_notice, vendor_picker, workspace
from extraction import ANSWER_KEYS, describe, pages_of
from workflows import locate_quote, vendor_answers

st.title("Answers")
actor()
ws = workspace()
vendor_id = vendor_picker(ws)
answers = vendor_answers(ws, vendor_id)
stale_notice(ws, vendor_id, answers.stale)
if not answers.documents and not answers.links:
    st.info("This vendor has no read documents or submitted questionnaires yet. Upload documents on the Vendors page.")
    st.stop()

views = {"All documents (merged)": answers.merged.answers}
views |= {f"{record.filename} (document {record.id})": extraction.answers for record, extraction in answers.documents}
views |= {link.file: link.answers for link in answers.links}
view = st.selectbox("Answers from", list(views))
shown = views[view]
st.dataframe(
    pd.DataFrame(
        [
            {
                "question": key,
                "answer": describe(shown[key]),
                "status": str(shown[key].status),
                "confidence": shown[key].confidence,
                "pages": pages_of(shown[key]),
                "rule": shown[key].rule or str(shown[key].method),
            }
            for key in ANSWER_KEYS
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f")
    },
)

for flag in answers.merged.flags:
    where = "; ".join(f"{item.file} p. {item.page}" for item in flag.evidence[:3])
    st.warning(f"**{flag.code}** — {plain(flag.message)} ({plain(where)})", icon=":material/flag:")

key = st.selectbox("Show the evidence for", [key for key in ANSWER_KEYS if shown[key].evidence])
if key:
    answer = shown[key]
    if answer.note:
        st.caption(plain(answer.note))
    for number, evidence in enumerate(answer.evidence[:20], start=1):
        place = locate_quote(ws, answers, evidence)
        st.markdown(f"**{number}. {plain(place.filename)}, page {place.page}** — “{plain(evidence.quote)}”")
        with st.container(height=260):
            st.markdown(highlighted(place.page_text, place.start, place.end))
    if len(answer.evidence) > 20:
        st.caption(f"{len(answer.evidence) - 20} more passages support this answer.")
