"""A shortlist side by side on one profile: chart, table, and the criteria that decide between them."""

from functools import partial

import pandas as pd
import streamlit as st

from app_pages.charts import comparison_chart
from app_pages.common import actor, plain, scoring_setup, workspace
from scoring.export import comparison_pdf, comparison_xlsx
from workflows import compare_vendors, list_vendors

st.title("Compare vendors")
actor()
ws = workspace()
vendors = {vendor.id: vendor.name for vendor in list_vendors(ws)}
chosen = st.multiselect(
    "Shortlist (2 to 5 vendors)",
    list(vendors),
    format_func=vendors.get,
    max_selections=5,
    default=list(vendors)[:3] if len(vendors) >= 2 else [],
)
intake, profile_id = scoring_setup()
if len(chosen) < 2:
    st.info("Pick at least two vendors to compare.")
    st.stop()
comparison = compare_vendors(ws, chosen, intake, profile_id)

summary = pd.DataFrame(
    [
        {
            "vendor": name,
            "score": round(card.score, 1),
            "decision": card.decision.replace("_", " "),
            "knock-outs": knockouts,
        }
        for name, card, knockouts in zip(comparison.vendors, comparison.scorecards, comparison.knockouts)
    ]
)
st.dataframe(summary, hide_index=True, width="stretch")

chart = comparison_chart(comparison)
if chart is not None:
    st.altair_chart(chart, width="stretch")

st.subheader("What decides")
deciding = [row for row in comparison.rows if row.spread > 0]
for row in deciding[:5]:
    best = max((value, name) for name, value in zip(comparison.vendors, row.scores) if value is not None)
    worst = min((value, name) for name, value in zip(comparison.vendors, row.scores) if value is not None)
    st.markdown(
        f"- **{row.id} {row.name}** (weight {row.weight:.1f}): {plain(best[1])} {best[0]:.0f} vs "
        f"{plain(worst[1])} {worst[0]:.0f} — worth {row.spread:.1f} points of the total"
    )
if not deciding:
    st.caption("The vendors score the same on every criterion.")

table = pd.DataFrame(
    [
        {
            "criterion": f"{row.id} {row.name}",
            "weight": round(row.weight, 1),
            **dict(zip(comparison.vendors, row.scores)),
        }
        for row in comparison.rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("What is missing, per criterion")  # every criterion, with the questions still to ask each vendor
missing = pd.DataFrame(
    [
        {
            "criterion": f"{criterion.id} {criterion.name}",
            **{
                name: len(card.missing_by_criterion().get(criterion.id, []))
                for name, card in zip(comparison.vendors, comparison.scorecards)
            },
        }
        for criterion in comparison.scorecards[0].criteria
    ]
)
st.dataframe(missing, hide_index=True, width="stretch")
for name, card in zip(comparison.vendors, comparison.scorecards):
    with st.expander(f"Questions to ask {name} ({len(card.missing)})"):
        for criterion_id, items in card.missing_by_criterion().items():
            for item in items:
                st.markdown(f"- {criterion_id} · {item.get('question') or item['key']}: {item['ask']}")
for name, card in zip(comparison.vendors, comparison.scorecards):
    for item in card.expired:
        st.warning(f"{plain(name)}: {item['criterion']} · {plain(item['key'])} is expired — {plain(item['reason'])}")
left, right = st.columns(2)
left.download_button("Download XLSX", partial(comparison_xlsx, comparison), "comparison.xlsx", icon=":material/table:")
right.download_button(
    "Download PDF", partial(comparison_pdf, comparison), "comparison.pdf", icon=":material/picture_as_pdf:"
)
