"""What every page shares: the workspace (opened once per process) and who is acting."""

import streamlit as st

from aivet.settings import Settings
from scoring import DEFAULT_PROFILE, Intake, available_profiles
from scoring.intake import CHOICES as INTAKE_CHOICES
from scoring.intake import YES_NO as INTAKE_YES_NO
from workflows import Workspace, list_vendors, open_workspace, refresh_extractions


@st.cache_resource(show_spinner=False)
def workspace() -> Workspace:
    return open_workspace(Settings.from_env())


def client_address() -> str:
    """Where a request comes from (for rate limits), or "unknown" where Streamlit cannot tell."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


def actor() -> str:
    user = st.user
    if getattr(user, "is_logged_in", False):
        return str(user.get("email") or user.get("name") or "signed-in user")
    return Settings.from_env().actor


# Markdown syntax, and the ":", "." and "@" that make a bare URL, www. name or e-mail address a live link.
MARKDOWN_SPECIALS = str.maketrans({ch: f"\\{ch}" for ch in "\\`*_[]<>#|~$:.@"})


def plain(text: str) -> str:
    """Text from a vendor (a file name, say) shown in a label as written, never as Markdown or a live link."""
    return str(text).translate(MARKDOWN_SPECIALS)


def highlighted(text: str, start: int, end: int) -> str:
    """Page text as escaped Markdown, line breaks kept, with text[start:end] on a highlight."""

    def lines(part: str) -> str:
        return "  \n".join(plain(line) for line in part.split("\n"))

    quote = " ".join(plain(line) for line in text[start:end].split("\n") if line.strip())
    return f"{lines(text[:start])}:orange-background[{quote}]{lines(text[end:])}"


def vendor_picker(ws: Workspace) -> int:
    """The vendor select box every vendor page shares; the choice follows the user from page to page."""
    vendors = list_vendors(ws)
    if not vendors:
        st.info("No vendors yet. Add one on the Vendors page.")
        st.stop()
    ids = [vendor.id for vendor in vendors]
    names = {vendor.id: vendor.name for vendor in vendors}
    chosen = st.session_state.get("vendor_id")
    vendor_id = st.selectbox("Vendor", ids, index=ids.index(chosen) if chosen in ids else 0, format_func=names.get)
    st.session_state["vendor_id"] = vendor_id
    st.session_state["vendor_name"] = names[vendor_id]
    return vendor_id


def stale_notice(ws: Workspace, vendor_id: int, stale: int) -> None:
    """Answers shown are as extracted; documents read by an older engine are extracted again on request."""
    if not stale:
        return
    st.info(
        f"{stale} document(s) of this vendor were read by an older version of the extractor, or not extracted "
        "yet; the answers below do not include what a new extraction would find.",
        icon=":material/update:",
    )
    if st.button("Extract them again", icon=":material/refresh:", key="refresh-extractions"):
        refresh_extractions(ws, vendor_id, actor())
        st.rerun()


def scoring_setup() -> tuple[Intake, str]:
    """The profile and our intake for this use of the vendor(s), kept for the session; without an intake
    tier T2 is assumed, as the CLI does."""
    profiles = available_profiles()
    profile = st.selectbox("Procurement profile", profiles, index=profiles.index(DEFAULT_PROFILE), key="profile_id")
    with st.expander("Our intake (sets the tier)", icon=":material/assignment:"):
        given = st.toggle("Use this intake instead of the default (tier T2)", key="intake_given")
        answers = {
            name: st.selectbox(
                name.replace("_", " "),
                choices,
                index=choices.index(getattr(Intake(), name)),
                key=f"intake_{name}",
                disabled=not given,
            )
            for name, choices in INTAKE_CHOICES.items()
        } | {
            name: st.checkbox(
                name.replace("_", " "), value=getattr(Intake(), name), key=f"intake_{name}", disabled=not given
            )
            for name in INTAKE_YES_NO
        }
    return (Intake.from_mapping(answers) if given else Intake.default()), profile
