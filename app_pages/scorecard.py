"""One vendor's scorecard: total and decision, knock-outs first, criteria as bars, every point with its quote."""

from functools import partial

import pandas as pd
import streamlit as st

from app_pages.charts import scorecard_chart
from app_pages.common import REFUSED, actor, attempt, plain, scoring_setup, stale_notice, vendor_picker, workspace
from scoring.export import scorecard_pdf, scorecard_xlsx
from workflows import (
    SIGN_OFF_DECISIONS,
    Condition,
    record_scorecard,
    recorded_scorecards,
    replay_scorecard,
    sign_off,
    sign_offs,
    vendor_scorecard,
)

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
        pending = " — pending legal review, not final" if hit.pending else ""
        st.error(
            f"**Knock-out {hit.id}** ({hit.type}{pending}) — {plain(hit.title)}. {plain(hit.message)}",
            icon=":material/pending:" if hit.pending else ":material/block:",
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
        st.caption(plain(criterion.explanation()))
        for key in criterion.keys:
            st.markdown(f"**{key.key}** · {key.points:g} of {key.max:g} points · {key.status} — {plain(key.reason)}")
            for item in key.evidence[:5]:
                st.markdown(f"> {plain(item.quote)}  \n— {plain(item.file)}, page {item.page}")

if card.expired:
    st.subheader("Expired evidence: ask for the current report")
    for item in card.expired:
        st.markdown(f"- {item['criterion']} · {plain(item['key'])}: {plain(item['reason'])}")

if card.missing:
    st.subheader("Questions to ask the vendor, by criterion")
    names = {criterion.id: criterion.name for criterion in card.criteria}
    for criterion_id, items in card.missing_by_criterion().items():
        if items:
            st.markdown(f"**{criterion_id} {plain(names.get(criterion_id, ''))}** ({len(items)})")
            for item in items:
                question = f"{item['question']}: " if item.get("question") else ""
                st.markdown(f"- {question}{plain(item['ask'])}")

name = f"scorecard-{vendor_id}-{card.profile_id}"
left, right = st.columns(2)
left.download_button("Download XLSX", partial(scorecard_xlsx, card, vendor), f"{name}.xlsx", icon=":material/table:")
right.download_button(
    "Download PDF", partial(scorecard_pdf, card, vendor), f"{name}.pdf", icon=":material/picture_as_pdf:"
)

st.subheader("Recorded scorecards and sign-off")
me = actor()
if me.can("scorecard.record") and st.button("Record this scorecard for sign-off", icon=":material/verified:"):
    record = attempt(record_scorecard, ws, vendor_id, scored, me)
    if record is not REFUSED:
        st.success(
            f"Recorded scorecard {record.id}: {record.score} ({record.decision}), answers {record.answers_hash[:12]}."
        )
history = recorded_scorecards(ws, vendor_id)
signed = {item.scorecard_id: item for item in sign_offs(ws, vendor_id)}
for item in signed.values():
    conditions = "; ".join(f"{c['text']} ({c['owner']}, by {c['due']})" for c in item.conditions)
    st.success(
        f"Scorecard {item.scorecard_id} signed off by **{plain(item.signed_by)}** on {item.signed_at:%Y-%m-%d}: "
        f"{item.decision.replace('_', ' ')}" + (f" — conditions: {plain(conditions)}" if conditions else ""),
        icon=":material/verified_user:",
    )
unsigned = [item for item in history if item.id not in signed]
if unsigned and me.can("scorecard.sign_off"):
    newest = unsigned[0]
    with st.form("sign_off"):
        st.markdown(
            f"**Sign off scorecard {newest.id}** ({newest.score}, computed {newest.decision.replace('_', ' ')})"
        )
        decision = st.radio("Decision", SIGN_OFF_DECISIONS, format_func=lambda d: d.replace("_", " "), horizontal=True)
        conditions = st.data_editor(
            pd.DataFrame(
                {
                    "condition": pd.Series(dtype=str),
                    "owner": pd.Series(dtype=str),
                    "due": pd.Series(dtype="datetime64[ns]"),
                }
            ),
            num_rows="dynamic",
            column_config={"due": st.column_config.DateColumn("due")},
            key="conditions",
        )
        acceptance = st.text_area("Risk acceptance (needed to approve despite a policy knock-out)", max_chars=4000)
        if st.form_submit_button("Sign off", type="primary"):
            given = [
                Condition(str(row["condition"]), str(row["owner"] or ""), pd.Timestamp(row["due"]).date())
                for _, row in conditions.dropna(subset=["condition"]).iterrows()
                if pd.notna(row["due"])
            ]
            if attempt(sign_off, ws, me, newest.id, decision, given, acceptance) is not REFUSED:
                st.rerun()
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
                    "signed off": signed[item.id].decision.replace("_", " ") if item.id in signed else "",
                    "recomputes": replay_scorecard(ws, item.id) or "exactly",
                }
                for item in history
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("None yet. Recording keeps the scorecard with the profile version and the answers it was computed from.")
