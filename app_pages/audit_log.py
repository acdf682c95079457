"""Who did what, when: the audit log, newest first."""

import json

import streamlit as st

from app_pages.common import workspace
from workflows import recent_events

st.title("Audit log")
events = recent_events(workspace())
if not events:
    st.info("Nothing has happened yet.")
else:
    st.dataframe(
        [
            {
                "when": event.at,
                "who": event.actor,
                "action": event.action,
                "what": f"{event.entity} {event.entity_id}",
                "before": json.dumps(event.before) if event.before else "",
                "after": json.dumps(event.after) if event.after else "",
            }
            for event in events
        ],
        hide_index=True,
        width="stretch",
    )
