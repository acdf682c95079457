"""The LLM: whether one is configured, its settings for administrators (who may set, test or switch it off
here; the key is never shown back), and the tokens and estimated cost each vendor's documents have spent."""

import pandas as pd
import streamlit as st

from app_pages.common import REFUSED, actor, attempt, plain, workspace
from workflows import LLMChange, change_llm_settings, llm_overview

st.title("LLM usage and cost")
overview = llm_overview(workspace(), actor())
if not overview.enabled:
    st.info(
        "No LLM is configured: every answer comes from the local engine. An administrator switches one on on this "
        "page, or with AIVET_LLM_MODEL and OPENAI_API_KEY / OPENAI_BASE_URL (or the Azure OpenAI settings); see the "
        "README."
    )
if overview.settings is not None:
    st.subheader("Settings")
    st.caption(
        "Settings changed here are kept only in this server's memory, over the environment's, until it restarts. "
        "The API key is never shown back, logged, stored in the database or exported. Test the connection with "
        "the fields filled in, or empty to test the settings in use."
    )
    st.dataframe(
        pd.DataFrame([{"setting": name, "value": plain(value)} for name, value in overview.settings.items()]),
        hide_index=True,
        width="stretch",
    )
    if "llm_result" in st.session_state:
        ok, message = st.session_state.pop("llm_result")
        (st.success if ok else st.error)(plain(message))
    with st.form("llm_settings"):
        provider = st.radio("Provider", ["openai-compatible", "azure"], horizontal=True, key="llm_provider")
        base_url = st.text_input("Base URL (OpenAI-compatible; empty for api.openai.com)", key="llm_base_url")
        model = st.text_input("Model (for Azure OpenAI: the deployment)", key="llm_model")
        api_key = st.text_input("API key (empty keeps the key in use)", type="password", key="llm_api_key")
        azure_endpoint = st.text_input("Azure OpenAI endpoint", key="llm_azure_endpoint")
        api_version = st.text_input("Azure OpenAI API version", key="llm_api_version")
        columns = st.columns(4)
        labels = {"save": "Save", "test": "Test the connection", "off": "Switch off", "environment": "Use environment"}
        pressed = [name for (name, label), column in zip(labels.items(), columns) if column.form_submit_button(label)]
    if pressed:
        change = LLMChange(pressed[0], provider, base_url, model, api_key, azure_endpoint, api_version)
        result = attempt(change_llm_settings, workspace(), actor(), change)
        del st.session_state["llm_api_key"]  # the key typed in is not kept in the session
        if result is not REFUSED:
            st.session_state["llm_result"] = (result.ok, result.message)
            st.rerun()
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
