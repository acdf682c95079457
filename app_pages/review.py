"""Legal's review queue: each contested answer, clause flag and knock-out with its highlighted quote, why it is
here and what it changes in the score; accept it, override it with a reason, or ask the vendor."""

import json

import streamlit as st

from app_pages.common import REFUSED, actor, attempt, highlighted_window, plain, vendor_picker, workspace
from workflows import decide, locate_quote, review_queue, vendor_answers

ACTION_LABELS = {"accept": "Accept as read", "override": "Override the value", "ask": "Ask the vendor"}

st.title("Review queue")
ws = workspace()
me = actor()
vendor_id = vendor_picker(ws)
queue = review_queue(ws, vendor_id)
answers = vendor_answers(ws, vendor_id)
st.caption(
    f"{len(queue.open)} open of {len(queue.items)} · score now {queue.card.score:.1f}, "
    f"decision {queue.card.decision.replace('_', ' ')}"
)
if not queue.items:
    st.success("Nothing to review for this vendor.", icon=":material/task_alt:")

for entry in sorted(queue.items, key=lambda entry: not entry.open):
    state = "open" if entry.open else f"{entry.decision.action} by {entry.decision.decided_by}"
    with st.expander(f"{plain(entry.title)} · {state}", expanded=entry.open and entry is queue.open[0]):
        st.markdown(f"**Why it is here:** {plain(entry.why)}")
        st.markdown(f"**What it changes:** {plain(entry.effect)}")
        for number, evidence in enumerate(entry.evidence[:3], start=1):
            place = locate_quote(ws, answers, evidence)
            st.markdown(f"**{number}. {plain(place.filename)}, page {place.page}**")
            with st.container(border=True):
                st.markdown(highlighted_window(place.page_text, place.start, place.end))
        if entry.decision is not None and entry.decision.reason:
            st.caption(f"Reason given: {plain(entry.decision.reason)}")
        if not me.can("answer.review"):
            st.caption("Only legal reviewers decide here.")
            continue
        with st.form(f"decide-{entry.item}"):
            actions = ["accept", "override", "ask"] if entry.key else ["accept", "ask"]
            action = st.radio("Decision", actions, format_func=ACTION_LABELS.get, horizontal=True)
            value = (
                st.text_input("New value (JSON, or a plain word or number)", value=json.dumps(entry.value))
                if entry.key
                else ""
            )
            reason = st.text_area("Reason (needed to override) or the question for the vendor", max_chars=2000)
            if st.form_submit_button("Record decision", type="primary"):
                outcome = attempt(decide, ws, me, vendor_id, entry.item, action, entry.seen, reason, value)
                if outcome is not REFUSED:
                    st.rerun()
