"""Sign in: with the identity provider when one is configured, otherwise with a local account."""

import streamlit as st

from aivet.access import Forbidden
from app_pages.common import SIGNED_IN, oidc_configured, sign_out, workspace
from workflows import sign_in

st.title("Sign in to aivet")
if oidc_configured():
    if st.user.get("is_logged_in"):
        # The identity provider signed them in, but no account has their e-mail (the sentence above says so):
        # signing out ends that identity, so they can try another account once one is made for them.
        st.button("Sign out", icon=":material/logout:", on_click=sign_out)
    else:
        st.button("Sign in with your company account", icon=":material/login:", on_click=st.login)
else:
    with st.form("sign_in"):
        username = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        if st.form_submit_button("Sign in"):
            try:
                st.session_state[SIGNED_IN] = sign_in(workspace(), username, password)
                st.rerun()
            except Forbidden as refused:
                st.error(str(refused))
    st.caption("No account? An administrator creates one with `aivet user add`.")
