"""What every page shares: the workspace (opened once per process), who is signed in, the vendor choice."""

import streamlit as st

from aivet.access import Actor, Forbidden
from aivet.settings import Settings
from scoring import DEFAULT_PROFILE, Intake, available_profiles
from scoring.intake import CHOICES as INTAKE_CHOICES
from scoring.intake import YES_NO as INTAKE_YES_NO
from workflows import InvalidInput, Workspace, list_vendors, oidc_actor, open_workspace, refresh_extractions

SIGNED_IN = "signed_in_actor"


@st.cache_resource(show_spinner=False)
def workspace() -> Workspace:
    return open_workspace(Settings.from_env())


def client_address() -> str:
    """Where a request comes from (for rate limits), or "unknown" where Streamlit cannot tell."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


def oidc_configured() -> bool:
    """Whether secrets.toml has an [auth] section: then people sign in with the identity provider."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def signed_in() -> Actor | None:
    """Who this browser session belongs to: a local sign-in kept in the session, or the identity provider's
    user matched to an account by e-mail. None: nobody, and no page but sign-in is shown."""
    actor = st.session_state.get(SIGNED_IN)
    if actor is None and oidc_configured() and getattr(st.user, "is_logged_in", False):
        try:
            actor = st.session_state[SIGNED_IN] = oidc_actor(workspace(), str(st.user.get("email") or ""))
        except Forbidden as refused:
            st.error(str(refused))
    return actor


def sign_out() -> None:
    """Forget this session's sign-in and, with the identity provider, its identity cookie and session too.

    A button's callback, never followed by st.rerun(): a rerun clears the messages not yet sent to the browser,
    and so dropped st.logout()'s redirect now and then (the person stayed signed in at the provider)."""
    st.session_state.pop(SIGNED_IN, None)
    if st.user.get("is_logged_in"):
        st.logout()


def actor() -> Actor:
    """The signed-in actor; a page run without one shows nothing."""
    current = signed_in()
    if current is None:
        st.warning("Sign in to see vendor data.")
        st.stop()
    return current


REFUSED = object()  # what `attempt` returns when the call was refused


def attempt(action, *args, **kwargs):
    """Run a workflow call; a refusal (bad input, or a role that may not) is shown as its sentence and gives
    REFUSED."""
    try:
        return action(*args, **kwargs)
    except (InvalidInput, Forbidden) as problem:
        st.error(str(problem))
        return REFUSED


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


def highlighted_window(text: str, start: int, end: int, context: int = 500) -> str:
    """The highlighted quote with some page text either side, so the quote is in view without scrolling."""
    left, right = max(0, start - context), min(len(text), end + context)
    shown = highlighted(text[left:right], start - left, end - left)
    return ("… " if left else "") + shown + (" …" if right < len(text) else "")


def vendor_picker(ws: Workspace) -> int:
    """The vendor select box every vendor page shares; the choice follows the user from page to page.

    The choice lives under its own key and the box is only a view of it (set before the box is drawn, copied
    back on change): a box whose `index` changed with the choice was a new widget each run and lost every
    second change."""
    vendors = list_vendors(ws)
    if not vendors:
        st.info("No vendors yet. Add one on the Vendors page.")
        st.stop()
    ids = [vendor.id for vendor in vendors]
    names = {vendor.id: vendor.name for vendor in vendors}
    if st.session_state.get("vendor_id") not in ids:
        st.session_state["vendor_id"] = ids[0]
    st.session_state["vendor_choice"] = st.session_state["vendor_id"]
    st.selectbox(
        "Vendor",
        ids,
        key="vendor_choice",
        format_func=names.get,
        on_change=lambda: st.session_state.update(vendor_id=st.session_state["vendor_choice"]),
    )
    vendor_id = st.session_state["vendor_id"]
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


def intake_inputs(prefix: str, disabled: bool = False) -> dict:
    """The intake's questions as inputs (intake.yaml's choices and yes/no questions), keyed under `prefix`."""
    default = Intake()
    return {
        name: st.selectbox(
            name.replace("_", " "),
            choices,
            index=choices.index(getattr(default, name)),
            key=f"{prefix}_{name}",
            disabled=disabled,
        )
        for name, choices in INTAKE_CHOICES.items()
    } | {
        name: st.checkbox(
            name.replace("_", " "), value=getattr(default, name), key=f"{prefix}_{name}", disabled=disabled
        )
        for name in INTAKE_YES_NO
    }


def scoring_setup() -> tuple[Intake | None, str]:
    """The profile, and an intake to try instead of the vendor's own (None: the vendor's intake scores)."""
    profiles = available_profiles()
    profile = st.selectbox("Procurement profile", profiles, index=profiles.index(DEFAULT_PROFILE), key="profile_id")
    with st.expander("Try another intake (changes the tier)", icon=":material/assignment:"):
        given = st.toggle("Score with this intake instead of the vendor's own", key="intake_given")
        answers = intake_inputs("intake", disabled=not given)
    return (Intake.from_mapping(answers) if given else None), profile
