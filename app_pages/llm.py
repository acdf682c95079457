"""The LLM: whether one is configured, its settings for administrators (never the key), and the tokens and
estimated cost each vendor's documents have spent."""

import pandas as pd
import streamlit as st

from app_pages.common import actor, plain, workspace
from workflows import llm_overview

st.title("LLM usage and cost")
overview = llm_overview(workspace(), actor())
if not overview.enabled:
    st.info(
        "No LLM is configured: every answer comes from the local engine. An administrator switches one on with "
        "AIVET_LLM_MODEL and OPENAI_API_KEY / OPENAI_BASE_URL (or the Azure OpenAI settings); see the README."
    )
if overview.settings is not None:
    st.subheader("Settings")
    st.caption("Read from the server's environment. The API key is never shown, logged or stored.")
    st.dataframe(
        pd.DataFrame([{"setting": name, "value": plain(value)} for name, value in overview.settings.items()]),
        hide_index=True,
        width="stretch",
    )
st.subheader("Per vendor")
if not overview.usage:
    st.caption("No LLM call has been made yet.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "vendor": item.vendor,
                "calls": item.calls,
                "prompt tokens": item.prompt_tokens,
                "reply tokens": item.completion_tokens,
                "answers dropped": item.dropped,
                f"estimated cost ({item.currency})": item.cost,
                "budget left (tokens)": item.budget_left,
                "last call": item.last_outcome,
            }
            for item in overview.usage
        ]
    ),
    hide_index=True,
    width="stretch",
)
failing = [item.vendor for item in overview.usage if item.last_outcome.startswith("unavailable")]
if failing:
    st.warning(
        "The LLM endpoint did not answer for the last document of "
        + ", ".join(plain(name) for name in failing)
        + "; the local answers stand."
    )
