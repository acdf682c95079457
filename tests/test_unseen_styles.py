"""Answers from layouts the development documents do not have: providers described in paragraphs under category
headings, a page that announces its sub-processors in its opening sentence, providers named in a privacy policy's
prose, heading sizes that nest, and retention periods that are not about customer content."""

import pytest

from documents import read_document
from extraction import Status, extract_document
from extraction.passages import Passages
from tests.builders import outlined_docx_bytes, outlined_pdf_bytes, piped_table_pdf_bytes, structured_docx_bytes

PROVIDERS_IN_PARAGRAPHS = [
    ("h1", "Sub-processors"),
    ("p", 'Kestrelworks GmbH ("Kestrelworks") uses the third-party services below to run its platform.'),
    ("h2", "Infrastructure"),
    ("p", "Amazon Web Services runs all customer databases in the Frankfurt region, Germany. AWS also keeps backups."),
    ("p", "Nordlicht Hosting GmbH hosts our monitoring servers in Nuremberg, Germany."),
    ("h2", "Communication"),
    ("p", "Support tickets are handled in Help Scout, a US company. Internal chat happens in Slack."),
    ("h2", "Payments"),
    ("p", "Card payments are processed by Stripe Payments Europe Ltd. in Ireland."),
]
EXPECTED = {
    ("AWS", "Germany"),
    ("Nordlicht Hosting", "Germany"),
    ("Help Scout", "United States"),
    ("Slack", None),
    ("Stripe Payments Europe", "Ireland"),
}


def read(outline, rendering, limits):
    if rendering == "docx":
        return read_document(outlined_docx_bytes(outline), "page.docx", limits)
    return read_document(outlined_pdf_bytes(outline, columns=2 if rendering == "pdf-2col" else 1), "page.pdf", limits)


def subprocessors(document):
    answer = extract_document(document).answers["subprocessors"]
    assert answer.status == Status.ANSWERED, answer
    return {(row["name"], row["country"]) for row in answer.value}


@pytest.mark.parametrize("rendering", ["pdf", "pdf-2col", "docx"])
def test_providers_described_in_paragraphs_under_category_headings(limits, rendering):
    document = read(PROVIDERS_IN_PARAGRAPHS, rendering, limits)
    assert subprocessors(document) == EXPECTED  # the vendor that names itself is not its own sub-processor


def test_pdf_heading_sizes_nest_as_the_document_ranks_them(limits):
    passages = Passages(read(PROVIDERS_IN_PARAGRAPHS, "pdf", limits))
    hosting = next(passage for passage in passages if "Frankfurt" in passages.text(passage))
    assert passages.heading_path(hosting) == ("Sub-processors", "Infrastructure")


@pytest.mark.parametrize("rendering", ["pdf", "docx"])
def test_an_opening_sentence_that_announces_the_sub_processors_opens_the_list(limits, rendering):
    outline = [
        ("h1", "Who processes your data"),
        ("p", "Kestrelworks engages the sub-processors described below, each under a written agreement."),
        ("p", "Amazon Web Services hosts the platform in Ireland."),
        ("p", "Transactional e-mail is sent through Postmark. Support runs on Zendesk."),
        ("h1", "Contact"),
        ("p", "Write to privacy@kestrelworks.example with any question."),
    ]
    assert subprocessors(read(outline, rendering, limits)) == {
        ("AWS", "Ireland"),
        ("Postmark", None),
        ("Zendesk", None),
    }


def test_providers_named_in_passing_are_no_sub_processor_list(limits):
    outline = [
        ("h1", "Company news"),
        ("p", "Our team met Amazon Web Services and Zendesk at a conference in Berlin last spring."),
        ("p", "We also wrote about Slack in our blog."),
    ]
    answer = extract_document(read(outline, "pdf", limits)).answers["subprocessors"]
    assert answer.status == Status.NOT_FOUND


def test_a_privacy_policy_section_on_service_providers_names_them(limits):
    outline = [
        ("h1", "Privacy Policy"),
        ("p", 'This policy explains how Quillstack Inc. ("Quillstack", "we") handles personal information.'),
        ("h2", "Service providers"),
        (
            "p",
            "We rely on third-party service providers to run the Service. Our servers are hosted by Google Cloud in"
            " Belgium. Payments are handled by Paddle.com Market Limited, and we send e-mail with Mailgun"
            " Technologies, Inc.",
        ),
        ("h2", "Retention"),
        ("p", "Log files are deleted after 90 days. Invoices are kept for ten years for tax purposes."),
        ("p", "Uploaded documents are deleted 30 days after you remove them."),
    ]
    answers = extract_document(read(outline, "pdf", limits)).answers
    assert {row["name"] for row in answers["subprocessors"].value} == {"Google Cloud", "Paddle", "Mailgun"}
    # Logs and records kept by law are not customer content: the uploaded documents' 30 days are the answer.
    assert {item["period_days"] for item in answers["retention"].value} == {90, 3650, 30}
    assert answers["retention_days"].value == 30


def retention(outline, limits, rendering="pdf"):
    answers = extract_document(read(outline, rendering, limits)).answers
    return {item["period_days"] for item in answers["retention"].value}, answers["retention_days"].value


@pytest.mark.parametrize("rendering", ["pdf", "docx"])
def test_an_answer_is_read_with_its_question(limits, rendering):
    outline = [
        ("h1", "Security questionnaire"),
        ("p", "Q: How long is chat history retained?"),
        ("p", "A: 45 days after the last message by default."),
        ("p", "Q: Where is data hosted?"),
        ("p", "A: In Frankfurt, Germany."),
    ]
    assert retention(outline, limits, rendering) == ({45}, 45)


def test_periods_under_a_retention_heading_need_no_cue_of_their_own(limits):
    outline = [
        ("h1", "Privacy policy"),
        ("h2", "How long we keep it"),
        ("li", "Account details: while your account is open, and for 2 years after it is closed."),
        ("li", "Billing records: 7 years, as required by tax law."),
        ("li", "Technical logs: 90 days."),
        ("li", "Drafts you write: 30 days after you delete them."),
    ]
    periods, longest = retention(outline, limits)
    assert {730, 2555, 90, 30} <= periods
    assert longest == 30  # account data, records kept by law and logs are not customer content


def test_a_period_the_customer_may_choose_is_not_the_default(limits):
    outline = [
        ("h1", "Recordings"),
        ("p", "Recordings are deleted after 90 days by default."),
        ("p", "Admins can change the recording retention period to 7, 30, 180 or 365 days."),
        ("p", "Feedback you choose to share with us is kept for up to 1 year."),
    ]
    periods, longest = retention(outline, limits)
    assert {90, 365} <= periods and longest == 90


def test_deletion_when_the_account_is_closed_is_deletion_on_termination(limits):
    outline = [
        ("h1", "Privacy policy"),
        ("h2", "Retention"),
        ("p", "Content and prospect data are kept while your account is open."),
        ("p", "When you close your account, we delete this data within 60 days."),
    ]
    answers = extract_document(read(outline, "pdf", limits)).answers
    assert answers["deletion_on_termination_days"].value == {"value": 60, "obligation": "delete"}
    assert answers["retention_days"].value is None  # a deadline after closure is no default retention


def test_a_dpa_deletion_clause_that_names_deletion_as_a_noun(limits):
    outline = [
        ("h1", "10. Return and deletion"),
        ("p", "10.2 Deletion shall take place within sixty (60) days following the end of the Services."),
    ]
    answer = extract_document(read(outline, "pdf", limits)).answers["deletion_on_termination_days"]
    assert answer.value["value"] == 60


@pytest.mark.parametrize("rendering", ["pdf", "docx"])
def test_a_comparison_table_by_plan_is_read_in_the_business_column(limits, rendering):
    table = [
        ("h1", "Enterprise data usage"),
        ("p", "| | Free | Enterprise |"),
        ("p", "| Prompts used to train our models | Yes | Never |"),
        ("p", "| SSO | No | Yes |"),
    ]
    if rendering == "docx":
        from tests.builders import docx_bytes

        document = read_document(
            docx_bytes(
                [["Enterprise data usage"]],
                table=[
                    ["", "Free", "Enterprise"],
                    ["Prompts used to train our models", "Yes", "Never"],
                    ["SSO", "No", "Yes"],
                ],
            ),
            "usage.docx",
            limits,
        )
    else:
        document = read(table, rendering, limits)
    answer = extract_document(document).answers["training_use"]
    assert answer.value["label"] == "never"


def clauses(paragraphs, limits):
    outline = [("h1", "Data Processing Agreement")] + [("p", text) for text in paragraphs]
    return extract_document(read(outline, "pdf", limits)).answers


def test_an_objection_window_after_the_notice_is_not_the_notice_period(limits):
    answers = clauses(
        [
            "7.2 Quillmate shall inform Customer of any intended addition of a Sub-processor at least thirty (30) days"
            " before the new Sub-processor begins to process Customer Personal Data.",
            "7.3 Customer may object to the new Sub-processor on reasonable data protection grounds by notifying"
            " Quillmate within fourteen (14) days of receiving the notice.",
        ],
        limits,
    )
    assert answers["subprocessor_change_notice_days"].value == {"value": 30, "objection_window_days": 14}


CLAUSES = {
    "audits replaced by documents or allowed only when an authority requires them are limited": (
        [
            "8.2 Customer agrees that the documents in clause 8.1 satisfy its audit and inspection rights.",
            "Quillmate will permit an on-site audit only where a competent supervisory authority requires it.",
        ],
        "audit_rights",
        "limited",
    ),
    "an audit the controller may carry out is an audit right": (
        [
            "9.2 The Controller may carry out, or have carried out by an independent auditor bound by"
            " confidentiality, an audit of the Processor, including on-site inspections, once per calendar year."
        ],
        "audit_rights",
        "yes",
    ),
    "a mechanism named only as absent is not relied on": (
        [
            "9.2 Where data is transferred to a country that is not covered by an adequacy decision, the transfer is"
            " governed by the Standard Contractual Clauses."
        ],
        "transfer_mechanism",
        ["SCC"],
    ),
    "audit words run together by PDF text are still read": (
        [
            "7.2. Should the Customer show that the documents provided do not sufficientlydemonstrate compliance,"
            " the Provider will allow for and contribute to an auditconducted by the Customer."
        ],
        "audit_rights",
        "limited",
    ),
}


@pytest.mark.parametrize("paragraphs, key, expected", CLAUSES.values(), ids=CLAUSES.keys())
def test_clause_values_read_as_claims(limits, paragraphs, key, expected):
    assert clauses(paragraphs, limits)[key].value == expected


def test_breach_hours_from_a_questionnaire_answer_and_not_from_an_audit_notice(limits):
    answers = clauses(
        [
            "Q: Within what time do you notify customers of a personal data breach?",
            "A: Within 48 hours of confirming a personal data breach affecting the customer's data.",
            "Q: Can customers audit you?",
            "A: Yes. Customers may conduct one audit per year on 30 days' written notice, and further audits after a"
            " security incident.",
        ],
        limits,
    )
    assert answers["breach_notification_hours"].value == 48


def test_a_list_item_that_introduces_sub_items_names_the_providers_below_it(limits):
    outline = [
        ("h1", "Data flow"),
        (
            "li",
            "Relevant code is sent to AI subprocessors. We support AI subprocessors from the following model vendors:",
        ),
        ("li", "OpenAI (default)"),
        ("li", "Amazon Bedrock (default)"),
        ("li", "AI subprocessors return results to us."),
    ]
    assert subprocessors(read(outline, "docx", limits)) == {("OpenAI", None), ("AWS", None)}


def test_a_period_after_unless_a_setting_is_that_settings_and_a_purpose_limit_keeps_nothing(limits):
    outline = [
        ("h1", "Retention"),
        (
            "p",
            "3.3 The Provider shall not retain, use or disclose Personal Data for any purpose other than the Services.",
        ),
        (
            "p",
            "The Content is deleted within 48 hours after expiration, unless the transfer is set to Recoverable, in"
            " which case it is deleted one (1) year after expiration.",
        ),
    ]
    periods, longest = retention(outline, limits)
    assert periods == {2, 365} and longest == 2


def test_zero_retention_sold_as_an_add_on_is_not_the_default(limits):
    outline = [("h1", "Data retention"), ("p", "With the Vault add-on, prompts are not stored at all.")]
    answers = extract_document(read(outline, "pdf", limits)).answers
    assert [item["period_days"] for item in answers["retention"].value] == [0]
    assert answers["retention_days"].status == Status.NOT_FOUND  # a paid option says nothing of the default


UNKNOWN_PROVIDERS = [
    ["Brightpath Hosting AB", "Hosting", "Stockholm, Sweden"],
    ["Calyx Mail", "Email", "Ireland"],
    ["Dunmore Support Ltd", "Support", "UK"],
    ["Fennel Analytics", "Analytics", "Germany"],
]
UNKNOWN_EXPECTED = {
    ("Brightpath Hosting", "Sweden"),
    ("Calyx Mail", "Ireland"),
    ("Dunmore Support", "United Kingdom"),
    ("Fennel Analytics", "Germany"),
}


@pytest.mark.parametrize("rendering", ["pdf", "docx"])
def test_a_table_without_header_under_a_sub_processor_heading_names_unknown_providers(limits, rendering):
    """Half the names carry no legal form and no gazetteer knows them: the heading and the country column say the
    first column holds the providers."""
    if rendering == "docx":
        data = structured_docx_bytes("Current subprocessors", "Last updated 3 March 2026.", [], UNKNOWN_PROVIDERS)
        document = read_document(data, "list.docx", limits)
    else:
        data = piped_table_pdf_bytes("Current subprocessors", "Last updated 3 March 2026.", UNKNOWN_PROVIDERS)
        document = read_document(data, "list.pdf", limits)
    assert subprocessors(document) == UNKNOWN_EXPECTED


def test_the_same_table_under_an_unrelated_heading_names_no_provider(limits):
    data = piped_table_pdf_bytes("Office locations", "Where our teams sit.", UNKNOWN_PROVIDERS)
    answer = extract_document(read_document(data, "offices.pdf", limits)).answers["subprocessors"]
    assert answer.status == Status.NOT_FOUND


@pytest.mark.parametrize("rendering", ["pdf", "docx"])
def test_providers_in_one_sentence_each_take_the_place_named_after_them(limits, rendering):
    outline = [
        ("h1", "Our subprocessors"),
        (
            "p",
            "Hosting is provided by Brightpath Hosting AB in Sweden, transactional email is sent through Calyx Mail "
            "(Ireland), support tickets are handled in Dunmore Support (United Kingdom), and we use Fennel Analytics "
            "GmbH in Germany for product analytics.",
        ),
    ]
    assert subprocessors(read(outline, rendering, limits)) == UNKNOWN_EXPECTED


def test_a_city_placed_in_its_country_is_no_provider(limits):
    outline = [
        ("h1", "Our subprocessors"),
        ("p", "All customer data is hosted by Brightpath Hosting AB in Stockholm (Sweden) and Frankfurt (Germany)."),
    ]
    assert subprocessors(read(outline, "pdf", limits)) == {("Brightpath Hosting", "Sweden, Germany")}


def test_a_location_cell_that_names_a_country_and_its_region_gives_the_country(limits):
    table = [["Vendor", "Purpose", "Location"], ["Calyx Mail Ltd", "Email", "Dublin, Ireland (EU)"]]
    data = piped_table_pdf_bytes("Subprocessors", "Our subprocessors.", table + UNKNOWN_PROVIDERS[:1])
    assert subprocessors(read_document(data, "list.pdf", limits)) == {
        ("Calyx Mail", "Ireland"),
        ("Brightpath Hosting", "Sweden"),
    }


def test_a_discourse_word_before_a_company_is_not_part_of_its_name(limits):
    outline = [
        ("h1", "Subprocessors"),
        (
            "p",
            "Hosting is provided by Brightpath Hosting AB in Sweden. Finally, Calyx Mail Ltd in Ireland sends e-mail.",
        ),
    ]
    assert subprocessors(read(outline, "pdf", limits)) == {("Brightpath Hosting", "Sweden"), ("Calyx Mail", "Ireland")}
