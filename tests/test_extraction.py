"""The local extractor on documents written here: each rule, its negations and scopes, and silence."""

import hashlib

import pytest

from documents import Document
from extraction import ANSWER_KEYS, Status, extract_document, merge_extractions
from extraction.durations import find_durations
from extraction.passages import Passages


def doc(*pages: str, name: str = "vendor.md", kind: str = "markdown") -> Document:
    """A Document as a reader would give it, one text per page."""
    digest = hashlib.sha256("\f".join(pages).encode() + name.encode()).hexdigest()
    return Document.from_pages(digest, kind, name, [(str(number), text, False) for number, text in enumerate(pages, 1)])


def answers(*pages: str, name: str = "vendor.md"):
    return extract_document(doc(*pages, name=name)).answers


def value(*pages: str, key: str):
    answer = answers(*pages)[key]
    return answer.value if answer.status != Status.NOT_FOUND else "not_found"


@pytest.mark.parametrize(
    ("text", "amount", "unit", "days", "business", "minimum"),
    [
        ("within thirty (30) days of termination", 30, "day", 30, False, False),
        ("kept for up to 30 days", 30, "day", 30, False, False),
        ("retained for one year", 1, "year", 365, False, False),
        ("notify within 72 hours", 72, "hour", None, False, False),
        ("object within ten (10) business days", 10, "day", 10, True, False),
        ("deleted within 3 months", 3, "month", 90, False, False),
        ("retained for 24 months", 24, "month", 730, False, False),
        ("logs are kept for at least 2 months", 2, "month", 60, False, True),
        ("a 30-day window", 30, "day", 30, False, False),
        ("within forty-eight hours", 48, "hour", None, False, False),
    ],
)
def test_durations_are_normalised_to_days_or_hours(text, amount, unit, days, business, minimum):
    [duration] = find_durations(text)
    assert (duration.amount, duration.unit, duration.days, duration.business, duration.minimum) == (
        amount,
        unit,
        days,
        business,
        minimum,
    )
    assert text[duration.start : duration.end].lower().rstrip("s").endswith(unit)


def test_durations_without_a_number_are_not_durations():
    assert find_durations("We will notify you without undue delay and keep data as long as necessary.") == []


# --- passages ---------------------------------------------------------------------------------------------------


def test_a_sentence_that_runs_over_a_page_break_stays_one_passage():
    document = doc("1. Retention\nCustomer Data is retained for thirty (30) days and then", "deleted from all systems.")
    passages = Passages(document)
    [joined] = [p for p in passages if "retained" in passages.text(p)]
    assert passages.text(joined).endswith("deleted from all systems.")
    assert document.page_at(joined.start) == 1 and document.page_at(joined.end - 1) == 2


def test_table_rows_list_items_and_sentences_are_separate_passages():
    passages = Passages(
        doc("Intro sentence one. Intro sentence two.\n\n- first item\n- second item\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    )
    kinds = [(p.kind, passages.text(p)) for p in passages]
    assert kinds == [
        ("sentence", "Intro sentence one."),
        ("sentence", "Intro sentence two."),
        ("list_item", "- first item"),
        ("list_item", "- second item"),
        ("table_row", "| a | b |"),
        ("table_row", "| 1 | 2 |"),
    ]


def test_abbreviations_do_not_end_a_sentence():
    passages = Passages(doc("Amazon Web Services, Inc. hosts the data in the U.S. for us. Next sentence."))
    assert [passages.text(p) for p in passages] == [
        "Amazon Web Services, Inc. hosts the data in the U.S. for us.",
        "Next sentence.",
    ]


# --- silence -----------------------------------------------------------------------------------------------------


def test_a_document_with_no_relevant_text_gives_nine_not_found_answers():
    result = answers("Our company was founded in 2015 and makes project-management software for teams.")
    assert set(result) == set(ANSWER_KEYS)
    assert all(
        answer.status == Status.NOT_FOUND and answer.value is None and not answer.evidence for answer in result.values()
    )


# --- retention ---------------------------------------------------------------------------------------------------


def test_retention_lists_every_period_and_takes_the_longest_for_customer_content():
    result = answers(
        "Prompts and outputs are retained for 30 days for abuse monitoring. "
        "Deleted content remains in backups for up to 35 days. "
        "Usage data (telemetry) is retained for 24 months. "
        "Security logs are retained for one year. "
        "Within ninety (90) days of termination of the Agreement we delete all Customer Data."
    )
    periods = {(item["period_days"], item["data_category"]) for item in result["retention"].value}
    assert {days for days, _ in periods} == {30, 35, 730, 365, 90}
    assert result["retention_days"].value == 35
    assert result["retention_days"].evidence[0].quote == "Deleted content remains in backups for up to 35 days."


def test_zero_retention_is_zero_and_open_ended_retention_is_null_with_evidence():
    assert value("Prompts are discarded once a response is returned and are not retained.", key="retention_days") == 0
    open_ended = answers("We retain your personal data for as long as reasonably necessary for these purposes.")
    assert open_ended["retention_days"].status == Status.ANSWERED
    assert open_ended["retention_days"].value is None and open_ended["retention_days"].evidence


def test_retention_periods_that_are_not_retention_are_ignored():
    result = answers("We will give thirty (30) days' notice before we store data with a new sub-processor.")
    assert result["retention_days"].status == Status.NOT_FOUND


# --- training use ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("We do not use Customer Data to train our models.", "never"),
        ("Your prompts and outputs are never used to train, retrain or improve any model.", "never"),
        ("Prompts and suggestions are used only to provide the service.", "never"),
        (
            "We may use your content to train and improve our models. You can opt out in the data controls settings.",
            "opt_out",
        ),
        (
            "By default we do not train on your conversations unless you opt in to share them for model improvement.",
            "opt_in",
        ),
        ("We may use your inputs and outputs to train our models.", "yes"),
        ("You grant us a perpetual, worldwide, irrevocable licence to use your content.", "unclear"),
    ],
)
def test_training_use_reads_polarity(text, label):
    assert value(text, key="training_use")["label"] == label


def test_training_use_keeps_the_scope_it_was_stated_for():
    result = value("For Enterprise customers, we do not use Customer Data to train our models.", key="training_use")
    assert result == {"label": "never", "scope": "enterprise"}


def test_a_question_heading_is_answered_by_the_no_below_it():
    result = answers("### Will my data be used to train any model?\n\nNo.")["training_use"]
    assert result.value["label"] == "never"
    assert result.evidence[0].quote == "### Will my data be used to train any model? No."[4:]


def test_a_question_alone_states_nothing():
    assert value("Will my data be used to train any model?", key="training_use") == "not_found"


def test_models_trained_by_third_parties_say_nothing_about_customer_data():
    assert value("You may use models trained by third parties on our platform.", key="training_use") == "not_found"


def test_contradicting_training_statements_are_a_conflict_with_both_quotes():
    result = answers(
        "We never use Customer Data to train our models. We may use your inputs and outputs to train our models."
    )["training_use"]
    assert result.status == Status.CONFLICT
    assert len(result.evidence) == 2


# --- sub-processors ----------------------------------------------------------------------------------------------

SUBPROCESSOR_TABLE = """## Sub-processors

| Name | Purpose | Location of processing | Corporate location |
|---|---|---|---|
| Amazon Web Services, Inc. | Cloud hosting | Germany, Ireland | United States |
| OpenAI, L.L.C. | Model inference | USA | United States |
| Moveworks | Support ticket analysis | US | United States |
"""


def test_subprocessors_come_from_a_table_with_processing_location_not_corporate_location():
    rows = value(SUBPROCESSOR_TABLE, key="subprocessors")
    assert [(row["name"], row["country"], row["purpose"]) for row in rows] == [
        ("AWS", "Germany, Ireland", "Cloud hosting"),
        ("OpenAI", "United States", "Model inference"),
        ("Moveworks", "United States", "Support ticket analysis"),
    ]
    assert rows[0]["listed_as"] == "Amazon Web Services, Inc."


def test_subprocessors_from_cells_a_spreadsheet_reader_joins():
    text = "Sub-processor | Service | Country\nGoogle LLC | Hosting | Belgium\nAnthropic PBC | AI inference | United States"
    rows = value(text, key="subprocessors")
    assert [row["country"] for row in rows] == ["Belgium", "United States"]
    assert rows[1]["name"] == "Anthropic"


def test_subprocessors_from_a_bullet_list_under_a_subprocessor_heading():
    text = "## Our AI sub-processors\n\n- Anthropic (United States): model inference\n- Mistral AI, France – text generation"
    rows = value(text, key="subprocessors")
    assert [(row["name"], row["country"]) for row in rows] == [("Anthropic", "United States"), ("Mistral AI", "France")]


def test_a_table_that_is_not_a_subprocessor_list_is_not_read_as_one():
    text = "| Date | Change |\n|---|---|\n| 2024-01-01 | Added Anthropic as a provider |"
    assert value(text, key="subprocessors") == "not_found"


# --- clause values -----------------------------------------------------------------------------------------------


def test_change_notice_is_kept_apart_from_the_objection_window():
    result = value(
        "We will give thirty (30) days' prior written notice before adding a new sub-processor. "
        "Customer may object to a new sub-processor within ten (10) business days.",
        key="subprocessor_change_notice_days",
    )
    assert result == {"value": 30, "objection_window_days": 10}


def test_an_objection_window_alone_is_not_a_notice_period():
    result = value(
        "If you subscribe, we notify you of new sub-processors. "
        "You may object within ten (10) business days of our notice.",
        key="subprocessor_change_notice_days",
    )
    assert result["value"] is None and result["objection_window_days"] == 10


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("We will notify Customer of a Personal Data Breach without undue delay and in any event within 72 hours.", 72),
        ("The Processor shall notify the Controller of any Security Incident within two (2) days.", 48),
        ("We will notify you of a personal data breach without undue delay.", None),
    ],
)
def test_breach_notification_hours(text, hours):
    result = answers(text)["breach_notification_hours"]
    assert result.status == Status.ANSWERED and result.value == hours and result.evidence


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Customer may conduct an on-site audit of the processing once per year at its own cost.", "yes"),
        (
            "Our SOC 2 Type II report shall satisfy Customer's audit rights; on-site audits take place only where "
            "required by Data Protection Laws.",
            "limited",
        ),
        ("Customer shall have no right to audit the Processor.", "no"),
    ],
)
def test_audit_rights(text, level):
    assert value(text, key="audit_rights") == level


def test_deletion_on_termination_with_a_deadline_and_without_one():
    assert value(
        "Within three (3) months of termination, we will delete or return all Customer Data.",
        key="deletion_on_termination_days",
    ) == {"value": 90, "obligation": "delete or return"}
    assert value("Upon termination we will return or destroy Customer Data.", key="deletion_on_termination_days") == {
        "value": None,
        "obligation": "return or destroy",
    }


def test_a_deletion_deadline_on_request_is_not_one_on_termination():
    assert (
        value(
            "We delete data within 30 days of a written request, and upon termination of the Agreement.",
            key="deletion_on_termination_days",
        )["value"]
        is None
    )


def test_transfer_mechanisms_that_are_relied_on_but_not_those_disclaimed():
    text = (
        "Transfers out of the EEA are governed by the Standard Contractual Clauses and the UK Addendum. "
        "We are certified under the EU-U.S. Data Privacy Framework. "
        "We do not rely on Binding Corporate Rules."
    )
    assert value(text, key="transfer_mechanism") == ["SCC", "UK Addendum", "DPF"]


def test_differing_values_in_one_document_are_a_conflict_quoting_both():
    result = answers(
        "We notify you of a personal data breach within 24 hours.",
        "We notify you of a personal data breach within 72 hours.",
    )["breach_notification_hours"]
    assert result.status == Status.CONFLICT
    assert {item.page for item in result.evidence} == {1, 2}


# --- merging a vendor's documents ----------------------------------------------------------------------------------


def test_merging_flags_a_questionnaire_that_contradicts_the_terms():
    questionnaire = extract_document(
        doc(
            "Q7. Do you use customer data to train models? No, customer data is never used to train our models.",
            name="questionnaire.md",
        )
    )
    terms = extract_document(doc("We may use your content to improve our models and train new ones.", name="terms.md"))
    merged = merge_extractions([questionnaire, terms])
    answer = merged.answers["training_use"]
    assert answer.status == Status.CONFLICT and answer.value["label"] == "yes"
    [flag] = [flag for flag in merged.flags if flag.code == "cross_document_conflict"]
    assert flag.key == "training_use"
    assert {item.file for item in flag.evidence} == {"questionnaire.md", "terms.md"}


def test_merging_pools_agreeing_answers_and_adds_up_lists():
    first = extract_document(doc(SUBPROCESSOR_TABLE, name="list.md"))
    second = extract_document(doc("We will notify Customer of a personal data breach within 48 hours.", name="dpa.md"))
    third = extract_document(doc("Personal data breaches are notified within 48 hours.", name="faq.md"))
    merged = merge_extractions([first, second, third])
    assert merged.answers["breach_notification_hours"].value == 48
    assert merged.answers["breach_notification_hours"].status == Status.ANSWERED
    assert len(merged.answers["breach_notification_hours"].evidence) == 2
    assert len(merged.answers["subprocessors"].value) == 3
    assert not [flag for flag in merged.flags if flag.code == "cross_document_conflict"]
    assert merged.answers["audit_rights"].status == Status.NOT_FOUND


def test_the_json_of_an_extraction_has_the_contract_shape_and_round_trips():
    result = extract_document(doc(SUBPROCESSOR_TABLE))
    data = result.to_json()
    assert set(data) == {"file", "sha256", "pages", "answers", "flags"}
    assert list(data["answers"]) == list(ANSWER_KEYS)
    for answer in data["answers"].values():
        assert set(answer) >= {"value", "status", "confidence", "method", "evidence"}
        assert all(set(item) == {"page", "start", "end", "quote"} for item in answer["evidence"])
    assert type(result).from_json(data) == result


def test_a_pdf_table_row_wrapped_over_two_lines_is_one_row():
    text = (
        "Sub-processor | Purpose | Location\n"
        "Google Cloud Platform (GCP) | Cloud Hosted Infrastructure, AI Inference and AI\n"
        "Services | United States, Belgium\n"
        "OpenAI | AI inference | United States\n"
    )
    rows = extract_document(doc(text, name="list.pdf", kind="pdf")).answers["subprocessors"].value
    assert [(row["name"], row["country"]) for row in rows] == [
        ("Google Cloud", "United States, Belgium"),
        ("OpenAI", "United States"),
    ]


def test_a_spreadsheet_row_with_empty_trailing_cells_does_not_swallow_the_next_row():
    text = "Sub-processor | Purpose | Location\nAnthropic | AI inference\nOpenAI | AI inference | United States\n"
    rows = value(text, key="subprocessors")
    assert [(row["name"], row["country"]) for row in rows] == [("Anthropic", None), ("OpenAI", "United States")]


def test_trigger_words_never_hide_a_passage_a_cue_matches():
    """Triggers are a fast pre-filter; on real text they must find every passage the cue patterns find."""
    from extraction.lexicon import any_of, lexicon
    from tests.conftest import REPO

    for path in sorted((REPO / "data" / "demo").rglob("*.*")):
        if path.suffix == ".md" and path.name == "README.md":
            continue
        passages = Passages(doc(path.read_text(encoding="utf-8"), name=path.name))
        for key, entry in lexicon()["keys"].items():
            cue = any_of(entry["cues"])
            by_cue = {p.index for p in passages if cue.search(passages.document.text, p.start, p.end)}
            assert by_cue <= set(passages.containing(entry["triggers"])), (path.name, key)


def test_a_number_in_brackets_after_a_line_break_is_not_a_list_item():
    document = doc("4.2 Customer Content is retained for ninety\n    (90) days from the date of submission.")
    assert value(document.text, key="retention_days") == 90


def test_a_no_training_promise_with_an_exception_needs_review():
    result = answers("We do not use Customer Data to train our models, except Feedback you choose to submit.")
    training = result["training_use"]
    assert training.status == Status.NEEDS_REVIEW and training.value["label"] == "never"
    assert "except Feedback" in training.note
    plain = answers("We do not use Customer Data to train models, except as necessary to provide the Services.")
    assert plain["training_use"].status == Status.ANSWERED


def test_notice_of_new_third_parties_on_a_subprocessor_page_is_the_change_notice():
    text = (
        "# Sub-processors\n\n## Changes to this list\n\nWe announce new third parties on this page at least "
        "fifteen (15) days before they start processing customer data."
    )
    assert value(text, key="subprocessor_change_notice_days")["value"] == 15


@pytest.mark.parametrize(
    ("row", "level"),
    [
        (
            "| E.1 | May the customer perform an on-site audit? | No | We satisfy audit requests by providing our most "
            "recent SOC 2 Type II report. |",
            "limited",
        ),
        ("| E.1 | Do customers have a right to audit? | No | |", "no"),
        (
            "| A.2 | Is the organisation ISO/IEC 27001 certified? | No | Certification audit planned for 2027. |",
            "not_found",
        ),
    ],
)
def test_a_bare_no_answers_an_audit_question_only_and_reports_offered_instead_are_limited(row, level):
    text = "# Security questionnaire\n\n| Ref | Question | Answer | Comment |\n|---|---|---|---|\n" + row
    assert value(text, key="audit_rights") == level
