"""Pick or create a vendor, upload its files, watch each being read, and inspect the result."""

import streamlit as st

from aivet.access import Forbidden
from app_pages.common import REFUSED, actor, attempt, intake_inputs, plain, vendor_picker, workspace
from scoring import Intake
from workflows import (
    DocumentStatus,
    InvalidInput,
    create_vendor,
    ingest_file,
    list_vendors,
    load_document,
    reread_document,
    vendor_documents,
)

STATUS_ICONS = {
    DocumentStatus.READ: ":material/check_circle:",
    DocumentStatus.REJECTED: ":material/block:",
    DocumentStatus.STORED: ":material/hourglass_empty:",
}

st.title("Vendors and documents")
ws = workspace()
me = actor()
vendors = list_vendors(ws)

if me.can("vendor.create"):
    with (
        st.expander("Add a vendor", expanded=not vendors, icon=":material/add_business:"),
        st.form("new_vendor", clear_on_submit=True),
    ):
        name = st.text_input("Vendor name", max_chars=200, placeholder="e.g. Example AI Ltd")
        owner = st.text_input("Owner", value=me.name, max_chars=200)
        next_review = st.date_input("Next review", value=None)
        st.caption("Our intake for this use of the vendor: it sets the tier and the questions to ask.")
        answers = intake_inputs("new_vendor_intake")
        if st.form_submit_button("Create vendor"):
            vendor = attempt(create_vendor, ws, name, me, Intake.from_mapping(answers), owner, next_review)
            if vendor is not REFUSED:
                st.session_state["vendor_id"] = vendor.id
                st.rerun()

if not vendors:
    st.info(
        "No vendors yet. Add the first vendor above, then upload its documents."
        if me.can("vendor.create")
        else "No vendors yet."
    )
    st.stop()

vendor_id = vendor_picker(ws)

uploads = st.file_uploader(
    "Upload the vendor's documents (PDF, DOCX, XLSX, CSV, HTML, TXT, Markdown)",
    accept_multiple_files=True,
    key=f"uploads-{vendor_id}",
)
seen = st.session_state.setdefault("ingested_upload_ids", set())
for upload in uploads or []:
    if upload.file_id in seen:
        continue
    with st.status(f"Reading {plain(upload.name)}…", expanded=False) as progress:
        try:
            outcome = ingest_file(ws, vendor_id, upload.name, upload.getvalue(), me)
        except (InvalidInput, Forbidden) as problem:
            progress.update(label=f"{plain(upload.name)}: {problem}", state="error")
            continue
        seen.add(upload.file_id)
        record = outcome.record
        name = plain(record.filename)
        if outcome.duplicate:
            progress.update(
                label=f"{name}: already uploaded for this vendor; kept the existing copy.", state="complete"
            )
        elif record.status == DocumentStatus.READ:
            progress.update(label=f"{name}: read, {record.page_count} page(s); answers extracted.", state="complete")
        else:
            progress.update(label=f"{name}: rejected — {record.reason}.", state="error", expanded=True)
            st.write(record.message)

st.subheader("Documents")
records = vendor_documents(ws, vendor_id)
if not records:
    st.caption("No documents for this vendor yet.")
for record in records:
    summary = f"{plain(record.filename)} — {record.status}"
    summary += f", {record.page_count} page(s), {record.kind}" if record.status == DocumentStatus.READ else ""
    summary += f": {record.reason}" if record.status == DocumentStatus.REJECTED else ""
    with st.expander(summary, icon=STATUS_ICONS.get(record.status)):
        st.caption(f"sha256 {record.sha256} · {record.size_bytes:,} bytes · uploaded by {record.uploaded_by}")
        if record.status == DocumentStatus.REJECTED:
            st.error(record.message)
        for warning in record.warnings:
            st.warning(warning)
        if record.status == DocumentStatus.READ:
            document = load_document(ws, record.id)
            page = (
                st.number_input("Page", 1, len(document.pages), 1, key=f"page-{record.id}")
                if len(document.pages) > 1
                else 1
            )
            label = document.pages[page - 1].label
            st.caption(
                f"Page {page} of {len(document.pages)}" + (f" · {label}" if label and label != str(page) else "")
            )
            with st.container(height=420):
                st.text(document.page_text(page) or "(this page has no text)")
        elif (
            record.file_stored
            and st.button("Read again", key=f"reread-{record.id}")
            and attempt(reread_document, ws, record.id, me) is not REFUSED
        ):
            st.rerun()
