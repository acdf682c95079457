"""What every page shares: the workspace (opened once per process) and who is acting."""

import streamlit as st

from aivet.settings import Settings
from store.workspace import Workspace


@st.cache_resource(show_spinner=False)
def workspace() -> Workspace:
    return Workspace.open(Settings.from_env())


def actor() -> str:
    user = st.user
    if getattr(user, "is_logged_in", False):
        return str(user.get("email") or user.get("name") or "signed-in user")
    return Settings.from_env().actor


MARKDOWN_SPECIALS = str.maketrans({ch: f"\\{ch}" for ch in "\\`*_[]<>#|~$"})


def plain(text: str) -> str:
    """Text from a vendor (a file name, say) shown in a label as written, never as Markdown."""
    return str(text).translate(MARKDOWN_SPECIALS)
