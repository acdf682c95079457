"""Training use and clause values read as claims: who does what to which data, negation, conditions, plan scope."""

import pytest

from extraction import Status
from tests.test_extraction import answers, value


def training_label(text: str):
    answer = answers(text)["training_use"]
    return answer.value["label"] if answer.status != Status.NOT_FOUND else "not_found"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Acme may not train models on Customer Content.", "never"),
        ("Acme is prohibited from using Customer Content to train its models.", "never"),
        ("Acme shall not use Customer Data to train, fine-tune or improve any artificial intelligence model.", "never"),
        ("By default, we use your conversations to improve our models. You can turn this off in Settings.", "opt_out"),
        ("You can opt out of having your content used for model training in your privacy settings.", "opt_out"),
        ("We will not use Customer Data to train models unless you opt in.", "opt_in"),
        (
            "Inputs and outputs are not used for training. If you enable the data sharing setting, we may use your inputs "
            "to train our models.",
            "opt_in",
        ),
        ("Customer Content is used to train and improve our models.", "yes"),
        # Data that is not the customer's content does not decide.
        ("We may use de-identified data to train our models.", "not_found"),
        (
            "We use Feedback you choose to submit to improve our models; we do not use your other content for training.",
            "never",
        ),
        # Plans: a consumer plan does not set the business position; a premium plan's promise does not set the default.
        (
            "For free users, we use conversations to train our models; business customer data is never used for training.",
            "never",
        ),
        (
            "Conversation data may be used to train our models unless the customer opts out. On the Enterprise plan "
            "customer data is never used for training.",
            "opt_out",
        ),
    ],
)
def test_training_use_is_read_from_the_claims(text, label):
    assert training_label(text) == label


def test_a_plan_scoped_claim_names_its_scope():
    answer = answers(
        "For free users, we use conversations to train our models; business customer data is never used for training."
    )["training_use"]
    assert answer.value == {"label": "never", "scope": "business"}


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        (
            "Acme will give Customer ten business days' prior notice of any new Sub-processor.",
            "subprocessor_change_notice_days",
            10,
        ),
        (
            "Customer may object to a new Sub-processor within ten (10) business days of the notice.",
            "subprocessor_change_notice_days",
            None,
        ),  # an objection window, not a notice period
        (
            "Customer may audit Acme's compliance with this DPA only to the extent required by applicable law.",
            "audit_rights",
            "limited",
        ),
        (
            "Instead of an on-site audit, Acme will provide Customer with a summary of its most recent SOC 2 audit report.",
            "audit_rights",
            "limited",
        ),
        (
            "Customer may, upon thirty days' written notice, conduct an audit of Acme's processing facilities.",
            "audit_rights",
            "yes",
        ),
        (
            "After the end of the Main Contract, Acme shall delete all data of the Controller within fourteen (14) "
            "days, unless there is a statutory obligation to retain it.",
            "deletion_on_termination_days",
            14,
        ),  # the contract has a name of its own
    ],
)
def test_clause_values(text, key, expected):
    found = value(text, key=key)
    if isinstance(found, dict):
        found = found["value"]
    assert found == expected


def test_a_deletion_deadline_in_a_lead_in_governs_its_listed_steps():
    text = (
        "Within thirty (30) days of termination of the Agreement, Acme will:\n\n(a) delete all Customer Data in "
        "its possession; and\n\n(b) certify the deletion to Customer in writing."
    )
    assert value(text, key="deletion_on_termination_days") == {"value": 30, "obligation": "delete"}


def test_training_of_people_is_no_training_position():
    text = (
        "Security measures include, but are not limited to, periodic security awareness training for all "
        "employees and an onboarding training for new staff."
    )
    assert training_label(text) == "not_found"


def test_a_backup_window_that_outlasts_the_deletion_deadline_is_retention():
    outlasting = (
        "Upon termination or a deletion request, Customer Data is deleted from active systems within 30 days "
        "and from backups within 180 days."
    )
    one_deadline = (
        "Acme shall delete all remaining Customer Data, including copies in backups, within thirty (30) "
        "days after termination."
    )
    assert value(outlasting, key="retention_days") == 180
    assert value(one_deadline, key="retention_days") == "not_found"


def test_an_audit_only_when_documents_fall_short_is_limited():
    text = (
        "Should the Customer show that the documents and information provided do not sufficiently demonstrate "
        "the Provider's compliance, the Provider will allow for and contribute to an audit conducted by the Customer."
    )
    assert value(text, key="audit_rights") == "limited"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Prompts and responses are retained for 30 days to monitor abuse, after which they are deleted.", 30),
        ("Uploaded files are automatically deleted 24 hours after processing.", 1),
        ("Audio recordings are stored for up to 3 years.", 1095),
        ("Input data will be removed after 7 days.", 7),
        ("Chat history is kept for 90 days unless you delete it sooner.", 90),
        ("Data is retained for as long as your account is active.", None),  # open-ended: stated, no number
    ],
)
def test_retention_periods_of_customer_content(text, days):
    assert value(text, key="retention_days") == days


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("None of our AI model providers is permitted to use Customer Data to train or improve its models.", "never"),
        (
            "Acme will not use your tickets to train AI models. If we ever want to use customer content for training, "
            "we will ask for explicit opt-in consent first.",
            "never",
        ),
        ("If we decide to train models on customer content in the future, we will ask you to opt in.", "not_found"),
    ],
)
def test_a_negated_subject_and_an_imagined_use(text, label):
    """'None of … may' negates like 'not'; a use the vendor only imagines states no position today."""
    assert training_label(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "Feature usage events and latency metrics (no ticket content) are kept for 2 years.",
        "Support requests you send us are kept for 3 years after the ticket is closed.",
        "Rated conversations are kept for up to five years.",
        'Tickets follow any automatic deletion rule you set (for example, "delete closed tickets after 2 years").',
    ],
)
def test_periods_that_are_not_customer_content_by_default_set_no_retention_days(text):
    assert value("Prompts are kept for 30 days. " + text, key="retention_days") == 30


def test_a_transfer_without_an_adequacy_decision_relies_on_the_clauses_it_names():
    text = (
        "Transfers to Sub-processors in third countries without an adequacy decision are made under the Standard "
        "Contractual Clauses (Module 3). Microsoft processes data under its EU Data Boundary, and its Binding "
        "Corporate Rules do not apply to this processing."
    )
    assert value(text, key="transfer_mechanism") == ["SCC"]
