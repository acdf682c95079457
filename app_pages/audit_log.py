"""Who did what, when: the audit trail newest first, filtered by vendor, user, action and date, as CSV."""

import pandas as pd
import streamlit as st

from app_pages.common import actor, workspace
from workflows import audit_csv, audit_filters, audit_trail, list_vendors

st.title("Audit log")
ws = workspace()
me = actor()
vendors = {vendor.id: vendor.name for vendor in list_vendors(ws)}
users, actions = audit_filters(ws, me)
first, second, third, fourth = st.columns(4)
vendor_id = first.selectbox("Vendor", list(vendors), format_func=vendors.get, index=None, placeholder="all vendors")
user = second.selectbox("User", users, index=None, placeholder="all users")
action = third.selectbox("Action", actions, index=None, placeholder="all actions")
days = fourth.date_input("Dates (UTC)", value=[], help="a first and a last day, both included")
since, until = (days[0], days[-1]) if days else (None, None)
lines = audit_trail(ws, me, vendor_id, user, action, since, until)
if not lines:
    st.info("Nothing has happened yet." if not users else "No event matches these filters.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "when (UTC)": line.when,
                "who": line.who,
                "action": line.action,
                "vendor": line.vendor,
                "what": line.subject,
                "change": line.change,
            }
            for line in lines
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.download_button("Export CSV", audit_csv(lines), "aivet-audit-log.csv", "text/csv", icon=":material/download:")
