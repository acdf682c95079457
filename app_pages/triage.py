"""Procurement's morning list: every vendor with its tier, score, decision, what is open and the next step."""

import pandas as pd
import streamlit as st

from app_pages.common import actor, workspace
from workflows import triage

st.title("Triage")
me = actor()
items = triage(workspace(), me)
if not items:
    st.info("No vendors yet. Add one on the Vendors page.")
    st.stop()

table = pd.DataFrame(
    [
        {
            "vendor": item.row.vendor.name,
            "tier": item.row.status.tier if item.row.status else "",
            "score": item.row.status.score if item.row.status else None,
            "decision": (item.row.status.decision.replace("_", " ") if item.row.status else ""),
            "signed off": item.row.sign_off.decision.replace("_", " ") if item.row.sign_off else "",
            "knock-outs": ", ".join(item.row.status.knockouts) if item.row.status else "",
            "pending knock-outs": ", ".join(item.row.status.pending_knockouts) if item.row.status else "",
            "open reviews": item.row.status.open_reviews if item.row.status else 0,
            "missing answers": item.row.status.missing if item.row.status else 0,
            "questionnaire": item.questionnaire,
            "owner": item.row.vendor.owner,
            "next review": item.row.vendor.next_review_on,
            "last activity": item.row.last_activity,
            "next step": item.next_step,
        }
        for item in items
    ]
)
left, middle, right = st.columns([2, 2, 3])
search = left.text_input("Search vendors", placeholder="name or owner")
mine = left.toggle("Only vendors I own")
steps = middle.multiselect("Next step", sorted(table["next step"].unique()))
tiers = right.multiselect("Tier", sorted(tier for tier in table["tier"].unique() if tier))
shown = table
if search:
    wanted = search.casefold()
    shown = shown[
        shown["vendor"].str.casefold().str.contains(wanted, regex=False)
        | shown["owner"].str.casefold().str.contains(wanted, regex=False)
    ]
if mine:
    shown = shown[shown["owner"] == me.name]
if steps:
    shown = shown[shown["next step"].isin(steps)]
if tiers:
    shown = shown[shown["tier"].isin(tiers)]
st.caption(f"{len(shown)} of {len(table)} vendors · click a column header to sort")
st.dataframe(
    shown, hide_index=True, width="stretch", column_config={"score": st.column_config.NumberColumn(format="%.1f")}
)
