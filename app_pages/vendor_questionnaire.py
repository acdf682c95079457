"""The page a vendor opens from a questionnaire link: no account, only its own questions; drafts are kept,
files attach to the vendor's record, and submitting locks the answers."""

import hashlib
from datetime import date

import streamlit as st

from app_pages.common import client_address, plain, workspace
from questionnaires.bank import load_bank
from workflows import InvalidInput, LinkRefused, attach_file, current_link, open_link, save_answers

ws = workspace()
token = st.query_params.get("token", "")
opened = f"opened-{hashlib.sha256(token.encode()).hexdigest()}"  # this session opened this link already
try:
    record = current_link(ws, token) if opened in st.session_state else open_link(ws, token, client_address())
except LinkRefused as refused:
    st.error(str(refused))
    st.stop()
st.session_state[opened] = True
bank = load_bank()
asked = set(record.question_ids)
questions = [question for question in bank.questions if question.id in asked]  # a question the bank dropped is left out
locked = record.submitted_at is not None

st.title("Due-diligence questionnaire")
st.caption(
    f"Please answer by {record.due_date.isoformat()}. Your answers are saved as a draft until you submit; "
    "they are used to assess your service under the GDPR, DORA and the EU AI Act."
)
if locked:
    st.success("Thank you: your answers were submitted and are locked.")


def widget(question, saved):
    """One input per answer type, filled with the saved draft."""
    label, key, value = f"{question.id} — {question.text}", f"answer-{question.id}", saved.get("value")
    kind = question.answer_type
    if kind == "yes_no":
        return st.radio(
            label,
            ["yes", "no"],
            index=["yes", "no"].index(value) if value in ("yes", "no") else None,
            key=key,
            horizontal=True,
            disabled=locked,
        )
    if kind == "enum":
        return st.selectbox(
            label,
            question.values,
            index=question.values.index(value) if value in question.values else None,
            key=key,
            disabled=locked,
        )
    if kind == "date":
        return st.date_input(label, value=date.fromisoformat(value) if value else None, key=key, disabled=locked)
    if kind in ("free_text", "list_of_entities"):
        help_text = "One entry a line: name, country, purpose." if kind == "list_of_entities" else None
        return st.text_area(label, value=value or "", key=key, help=help_text, disabled=locked)
    return st.text_input(
        label, value=value or "", key=key, disabled=locked, placeholder="e.g. 30 days" if kind == "duration" else None
    )


with st.form("questionnaire"):
    entered = {}
    for section in dict.fromkeys(question.section_title for question in questions):
        st.subheader(section)
        for question in [item for item in questions if item.section_title == section]:
            if record.gaps.get(question.id):
                st.caption(f"Your documents left this open: “{plain(record.gaps[question.id])}”")
            value = widget(question, record.answers.get(question.id, {}))
            entered[question.id] = {"value": value.isoformat() if isinstance(value, date) else value}
    draft, submit = st.columns(2)
    save = draft.form_submit_button("Save draft", disabled=locked)
    send = submit.form_submit_button("Submit answers", type="primary", disabled=locked)
if save or send:
    answers = {question_id: answer for question_id, answer in entered.items() if answer["value"] not in (None, "")}
    try:
        save_answers(ws, token, answers, submit=send)
        st.rerun()
    except (InvalidInput, LinkRefused) as problem:
        st.error(str(problem))

if not locked:
    upload = st.file_uploader(
        "Attach supporting documents (DPA, SOC 2 report, sub-processor list…)", key="vendor-upload"
    )
    if upload is not None and st.session_state.get("attached") != upload.file_id:
        try:
            outcome = attach_file(ws, token, upload.name, upload.getvalue())
            st.session_state["attached"] = upload.file_id
            st.success(f"Attached {plain(outcome.record.filename)}.")
        except (InvalidInput, LinkRefused) as problem:
            st.error(str(problem))
