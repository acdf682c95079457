"""One vendor's scorecard: total and decision, knock-outs first, criteria as bars, every point with its quote."""

from functools import partial

import pandas as pd
import streamlit as st

from app_pages.charts import scorecard_chart
from app_pages.common import actor, plain, scoring_setup, stale_notice, vendor_picker, workspace
from scoring.export import scorecard_pdf, scorecard_xlsx
from workflows import InvalidInput, record_scorecard, recorded_scorecards, vendor_scorecard

DECISION_ICONS = {
    "approve": ":material/check_circle:",
    "approve_with_conditions": ":material/rule:",
    "escalate": ":material/report:",
    "reject": ":material/block:",
}

st.title("Scorecard")
ws = workspace()
vendor_id = vendor_picker(ws)
intake, profile_id = scoring_setup()
scored = vendor_scorecard(ws, vendor_id, intake, profile_id)
stale_notice(ws, vendor_id, scored.stale)
card = scored.card
vendor = st.session_state["vendor_name"]

left, middle, right = st.columns(3)
left.metric("Score", f"{card.score:.1f} / 100")
middle.metric("Decision", card.decision.replace("_", " "))
right.metric("Tier", card.tier)
st.caption(f"Profile {card.profile_id} {card.profile_version} · answers {card.answers_hash[:12]}")
for note in card.notes:
    st.info(plain(note), icon=":material/info:")
for hit in card.knockouts:
    with st.container(border=True):
        st.error(
            f"**Knock-out {hit.id}** ({hit.type}) — {plain(hit.title)}. {plain(hit.message)}", icon=":material/block:"
        )
        st.caption(f"Basis: {plain(hit.basis)}")
        for item in hit.evidence[:5]:
            st.markdown(f"> {plain(item.quote)}  \n— {plain(item.file)}, page {item.page}")

applying = [criterion for criterion in card.criteria if criterion.applies]
chart = scorecard_chart(card)
if chart is not None:
    st.altair_chart(chart, width="stretch")

for criterion in applying:
    with st.expander(f"{criterion.id} {criterion.name} — {criterion.score:.0f} (weight {criterion.weight:.1f})"):
        for key in criterion.keys:
            st.markdown(f"**{key.key}** · {key.points:g} of {key.max:g} points · {key.status} — {plain(key.reason)}")
            for item in key.evidence[:5]:
                st.markdown(f"> {plain(item.quote)}  \n— {plain(item.file)}, page {item.page}")

if card.missing:
    st.subheader("Questions to ask the vendor")
    for item in card.missing:
        st.markdown(f"- {plain(item['ask'])}")

name = f"scorecard-{vendor_id}-{card.profile_id}"
left, right = st.columns(2)
left.download_button("Download XLSX", partial(scorecard_xlsx, card, vendor), f"{name}.xlsx", icon=":material/table:")
right.download_button(
    "Download PDF", partial(scorecard_pdf, card, vendor), f"{name}.pdf", icon=":material/picture_as_pdf:"
)

st.subheader("Recorded scorecards")
if st.button("Record this scorecard for sign-off", icon=":material/verified:"):
    try:
        record = record_scorecard(ws, vendor_id, scored, actor())
        st.success(
            f"Recorded scorecard {record.id}: {record.score} ({record.decision}), answers {record.answers_hash[:12]}."
        )
    except InvalidInput as problem:
        st.error(str(problem))
history = recorded_scorecards(ws, vendor_id)
if history:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "recorded": item.recorded_at,
                    "by": item.recorded_by,
                    "profile": f"{item.profile_id} {item.profile_version}",
                    "tier": item.tier,
                    "score": item.score,
                    "decision": item.decision,
                    "answers": item.answers_hash[:12],
                }
                for item in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("None yet. Recording keeps the scorecard with the profile version and the answers it was computed from.")
