"""Every criterion scored: each bank question in its criterion, assurance keys from documents (silence and
denials stay not_found), and evidence with an age."""

from __future__ import annotations

import datetime

import pytest

import scoring
from documents import Document
from extraction import Answer, Evidence, Status, extract_document
from questionnaires.bank import load_bank
from scoring import Intake

# scoring-criteria.md section 4: the criterion of each question (sections map whole, but for the exceptions).
EXCEPTIONS = {"GOV-02": "C1", "GOV-05": "C1", "GOV-07": "C1", "GOV-03": "C6", "GOV-04": "C6", "RET-08": "C2"}
EXCEPTIONS |= {"AIA-09": "C5", "AIA-14": "C5", "GOV-01": "C10", "GOV-06": "C10", "GOV-08": "C10"}
SECTIONS = {"AIA": "C1", "TRN": "C2", "RET": "C3", "SUB": "C4", "PRV": "C5", "SEC": "C6", "MOD": "C7", "LLM": "C8"}
SECTIONS |= {"INC": "C9", "DORA": "C10", "BCX": "C10"}
AS_OF = datetime.date(2026, 12, 7)


@pytest.mark.parametrize("profile_id", scoring.available_profiles())
def test_every_bank_question_scores_in_its_criterion(profile_id):
    profile = scoring.load_profile(profile_id)
    where = {rule.key: criterion.id for criterion in profile.criteria for rule in criterion.keys}
    for question in load_bank().questions:
        expected = EXCEPTIONS.get(question.id) or SECTIONS[question.section]
        scored_as = question.answer_key or question.id
        assert where.get(scored_as) == expected, f"{question.id} ({scored_as}) in {where.get(scored_as)}"
    assert all(criterion.keys for criterion in profile.criteria)


def _document(text: str, name: str = "security-whitepaper.md") -> Document:
    return Document.from_pages("0" * 64, "markdown", name, [("1", text, False)])


NEW_KEYS = ("certifications", "encryption", "sso_mfa", "penetration_testing", "data_residency", "ai_act_role")
NEW_KEYS += ("model_evaluation", "llm_security")


def test_a_security_page_answers_the_assurance_keys_with_evidence():
    text = (
        "We are SOC 2 Type II certified; our latest report covers the period 1 January 2025 to 31 December 2025. "
        "All customer data is encrypted at rest with AES-256 and in transit using TLS 1.2. "
        "The service supports single sign-on via SAML 2.0 and enforces multi-factor authentication. "
        "An independent third-party firm performs penetration tests annually. "
        "Under the EU AI Act we act as the provider of the system."
    )
    extraction = extract_document(_document(text))
    answers = extraction.answers
    assert answers["certifications"].value == [
        {"name": "SOC 2 Type II", "date": "2025-12-31", "date_kind": "period_end"}
    ]
    assert answers["encryption"].value == {"at_rest": True, "in_transit": True, "customer_managed_keys": None}
    assert answers["sso_mfa"].value["sso"] is True and answers["sso_mfa"].value["mfa"] is True
    assert answers["penetration_testing"].value["third_party"] is True
    assert answers["ai_act_role"].value == ["provider"]
    for key in ("certifications", "encryption", "sso_mfa", "penetration_testing", "ai_act_role"):
        answer = answers[key]
        assert answer.rule == f"assurance.{key}" and answer.evidence
        for item in answer.evidence:
            assert item.quote in " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Connections to our service are secured with HTTPS.", "encryption", {"in_transit": True}),
        ("Backups are always encrypted.", "encryption", {"at_rest": True}),
        ("Databases are stored on encrypted disks.", "encryption", {"at_rest": True}),
        ("Our servers are hosted in Frankfurt, Germany, by Hetzner.", "data_residency", {"regions": ["Germany"]}),
        ("We host all data in data centres in the European Union.", "data_residency", {"regions": ["EU"]}),
        ("You can choose between the EU and US region.", "data_residency", {"eu_only_option": True}),
    ],
)
def test_what_is_kept_encrypted_and_where_it_is_hosted_are_read_in_other_words(text, key, value):
    answer = extract_document(_document(text)).answers[key]
    assert answer.status == Status.ANSWERED and {field: answer.value[field] for field in value} == value


@pytest.mark.parametrize(
    "text",
    [
        "Backups are not encrypted, and we do not use TLS for internal traffic.",
        "Our sub-processors are located in the United States.",
        "Our data centres are ISO 27001 certified.",
        "We are not yet SOC 2 certified.",
        "We are working towards ISO 42001 and plan to obtain SOC 2 Type II next year.",
        "Our hosting provider Amazon Web Services is ISO 27001 certified.",
        "You may not perform penetration tests without our prior written consent.",
        "Customer is the deployer under the AI Act.",
        "This agreement is governed by the laws of Ireland.",
    ],
)
def test_denials_plans_others_claims_and_silence_are_not_found(text):
    answers = extract_document(_document(text)).answers
    assert {key: answers[key].status for key in NEW_KEYS} == dict.fromkeys(NEW_KEYS, Status.NOT_FOUND)


def _answer(key, value, file="soc2-report.pdf"):
    return Answer(key, value, Status.ANSWERED, 0.9, evidence=(Evidence("", 1, 0, 6, "clause", file),))


def test_a_soc2_period_that_ended_over_twelve_months_ago_is_expired_and_asks_for_the_current_report():
    profile = scoring.load_profile()
    old = [{"name": "SOC 2 Type II", "date": "2025-06-30", "date_kind": "period_end"}]
    card = scoring.score({"certifications": _answer("certifications", old)}, Intake.default(), profile, AS_OF)
    key = next(item for criterion in card.criteria for item in criterion.keys if item.key == "certifications")
    assert key.status == "expired" and key.points == 0 and "current report" in key.reason
    assert [item["key"] for item in card.expired] == ["certifications"] and card.as_of == "2026-12-07"
    fresh = [{"name": "SOC 2 Type II", "date": "2026-06-30", "date_kind": "period_end"}]
    card = scoring.score({"certifications": _answer("certifications", fresh)}, Intake.default(), profile, AS_OF)
    key = next(item for criterion in card.criteria for item in criterion.keys if item.key == "certifications")
    assert key.status == "scored" and key.raw == 4 and card.expired == ()


def test_an_old_assurance_report_date_answered_in_a_questionnaire_is_expired():
    profile = scoring.load_profile()
    answers = {"GOV-04": _answer("GOV-04", "2025-01-31", "returned-questionnaire.xlsx")}
    card = scoring.score(answers, Intake.default(), profile, AS_OF)
    assert [item["key"] for item in card.expired] == ["GOV-04"]


def test_questions_that_do_not_apply_to_the_intake_are_left_out():
    profile = scoring.load_profile()
    card = scoring.score({}, Intake.default(), profile, AS_OF)  # T2, not a critical function
    keys = {item.key for criterion in card.criteria for item in criterion.keys}
    assert "DORA-07" not in keys and "BCX-01" not in keys  # dora_cif only
    asked = {item["question"] for item in card.missing}
    assert "SEC-01" in asked and all(item["criterion"] for item in card.missing)
    assert all(criterion.explanation().startswith(criterion.id) for criterion in card.criteria)


@pytest.mark.parametrize(
    ("question_id", "text", "key", "stated"),
    [
        (
            "LLM-01",
            "Retrieved text is tagged as untrusted data and kept apart from instructions.",
            "llm_security",
            {"prompt_injection": True},
        ),
        ("LLM-01", "None at present; we rely on the model provider.", "llm_security", None),
        ("MOD-03", "We compare error rates by age band and sex on every release.", "model_evaluation", {"bias": True}),
        ("MOD-03", "Not applicable: the model makes no decisions about people.", "model_evaluation", None),
    ],
)
def test_a_returned_answer_states_what_its_question_asks_unless_it_declines(question_id, text, key, stated):
    from questionnaires.returned import answer_keys

    bank = load_bank()
    answer = Answer(question_id, text, Status.ANSWERED, 1.0, evidence=(Evidence("", 1, 0, 6, "cell", "q.xlsx"),))
    filled = answer_keys({question_id: answer}, bank)[key]
    if stated is None:
        assert filled.status == Status.NEEDS_REVIEW and filled.value is None
    else:
        assert filled.status == Status.ANSWERED and {field: filled.value[field] for field in stated} == stated


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("We do not run retrieval over customer data; each tenant has its own index.", False),
        ("We do not train on customer data, so customer inputs cannot poison the model.", False),
        ("We do not disclose this.", True),
        ("Not applicable.", True),
    ],
)
def test_a_narrative_answer_that_starts_with_a_negation_is_an_answer_not_a_refusal(text, declined):
    card = scoring.score(
        {"LLM-06": _answer("LLM-06", text, "questionnaire.xlsx")}, Intake.default(), scoring.load_profile(), AS_OF
    )
    key = next(item for criterion in card.criteria for item in criterion.keys if item.key == "LLM-06")
    assert key.reason.startswith("declined") == declined and (key.raw == 0) == declined
