"""The answer-key registry is the one contract: every reader of answers agrees with it."""

import pytest

from extraction import ANSWER_KEYS, Answer, DocumentExtraction, Evidence, Status, answer_key, merge_extractions
from extraction.keys import registry
from extraction.summary import READINGS, describe_value
from questionnaires.bank import load_bank
from scoring import AnswersError, answers_from_json
from tests.conftest import REPO

SAMPLES = {
    "retention": [{"data_category": "prompts", "period_days": 30, "condition": None}],
    "retention_days": 30,
    "training_use": {"label": "opt_out", "scope": "business"},
    "subprocessors": [{"name": "Amazon Web Services", "country": "Ireland", "purpose": "hosting"}],
    "subprocessor_change_notice_days": {"value": 30, "objection_window_days": 14},
    "transfer_mechanism": ["SCC", "DPF"],
    "breach_notification_hours": 72,
    "audit_rights": "limited",
    "deletion_on_termination_days": {"value": 90, "obligation": "delete or return"},
    "certifications": [{"name": "SOC 2 Type II", "date": "2026-03-31", "date_kind": "period_end"}],
    "encryption": {"at_rest": True, "in_transit": True, "customer_managed_keys": False},
    "sso_mfa": {"sso": True, "mfa": None, "protocols": ["SAML"]},
    "penetration_testing": {"performed": True, "frequency": "annual", "third_party": True, "ai_in_scope": None},
    "data_residency": {"regions": ["Germany", "France"], "eu_only_option": True},
    "ai_act_role": ["provider"],
    "model_evaluation": {"bias": True, "robustness": None, "red_teaming": True},
    "llm_security": {"prompt_injection": True, "output_handling": None},
}


def test_the_contract_keys_are_the_registry_keys_in_order():
    assert tuple(SAMPLES) == ANSWER_KEYS
    assert tuple(registry().keys) == ANSWER_KEYS


@pytest.mark.parametrize("key", ANSWER_KEYS)
def test_every_key_reads_in_one_line_and_accepts_its_own_shape(key):
    assert answer_key(key).summary in READINGS
    assert answer_key(key).problem(SAMPLES[key]) is None
    assert describe_value(key, SAMPLES[key]) not in ("", "—")


@pytest.mark.parametrize(
    "key, wrong",
    [
        ("retention_days", "thirty"),
        ("training_use", {"label": "maybe"}),
        ("subprocessors", [{"country": "DE"}]),
        ("transfer_mechanism", ["Art. 49 derogation"]),
        ("audit_rights", "sometimes"),
        ("deletion_on_termination_days", {"value": 30}),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_in_an_answer_file_naming_the_key(key, wrong):
    data = {"merged": {"answers": {key: {"value": wrong, "status": "answered", "confidence": 0.9, "evidence": []}}}}
    with pytest.raises(AnswersError, match=rf"answers\.{key}\.value"):
        answers_from_json(data)


def test_each_key_with_a_question_is_filled_by_exactly_that_bank_question():
    bank = load_bank()
    for key in ANSWER_KEYS:
        question = answer_key(key).question
        filled_by = [item.id for item in bank.questions if item.answer_key == key]
        assert filled_by == ([question] if question else []), key


@pytest.mark.parametrize(
    "key, better, worse",
    [
        ("training_use", {"label": "never", "scope": None}, {"label": "opt_out", "scope": None}),
        (
            "subprocessor_change_notice_days",
            {"value": 30, "objection_window_days": None},
            {"value": 10, "objection_window_days": None},
        ),
        ("breach_notification_hours", 24, 72),
        ("audit_rights", "yes", "limited"),
    ],
)
def test_disagreeing_documents_merge_to_the_value_the_registry_calls_worse(key, better, worse):
    def document(name, value):
        evidence = (Evidence(name * 64, 1, 0, 4, "text", f"{name}.pdf"),)
        answers = {item: Answer.not_found(item) for item in ANSWER_KEYS}
        answers[key] = Answer(key, value, Status.ANSWERED, 0.9, evidence=evidence)
        return DocumentExtraction(f"{name}.pdf", name * 64, 1, answers)

    merged = merge_extractions([document("a", better), document("b", worse)])
    assert merged.answers[key].value == worse
    assert merged.answers[key].status == Status.CONFLICT
    assert [flag.key for flag in merged.flags] == [key]


def test_a_bank_question_claiming_a_key_the_registry_gives_another_question_is_refused_with_its_line():
    from aivet import typed_yaml
    from questionnaires.bank import SHIPPED, BankError, parse_bank

    text = (REPO / "questionnaires" / "bank" / SHIPPED).read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.strip() == "answer_key: audit_rights")
    broken = text.replace("answer_key: audit_rights", "answer_key: breach_notification_hours")
    data, lines = typed_yaml.load(broken, SHIPPED, BankError)
    with pytest.raises(BankError, match=rf"line {line}: .*answer_key is 'breach_notification_hours'.*question INC-01"):
        parse_bank(data, SHIPPED, lines)


def test_an_answers_file_mistake_is_named_with_its_file_line_and_field(tmp_path):
    import json

    from scoring import answers_from_file

    answer = {"value": "sometimes", "status": "answered", "confidence": 0.9, "evidence": []}
    path = tmp_path / "vendor.json"
    path.write_text(json.dumps({"documents": [], "merged": {"answers": {"audit_rights": answer}}}, indent=2))
    line = next(number for number, row in enumerate(path.read_text().splitlines(), 1) if '"value"' in row)
    with pytest.raises(
        AnswersError, match=rf"vendor.json, line {line}: merged.answers.audit_rights.value is 'sometimes'"
    ):
        answers_from_file(path)
    answer = {**answer, "value": "limited", "reviewed": True}
    path.write_text(json.dumps({"merged": {"answers": {"audit_rights": answer}}}, indent=2))
    with pytest.raises(AnswersError, match=r"merged.answers.audit_rights.reviewed"):
        answers_from_file(path)


def _question_answers(*answers: tuple[str, Status]) -> list[DocumentExtraction]:
    documents = []
    for number, (value, status) in enumerate(answers):
        evidence = (Evidence(str(number) * 64, 1, 0, 5, str(value)[:5], f"form-{number}.xlsx"),)
        documents.append(
            DocumentExtraction(
                f"form-{number}.xlsx",
                str(number) * 64,
                1,
                {key: Answer.not_found(key) for key in ANSWER_KEYS}
                | {"SEC-03": Answer("SEC-03", value, status, 1.0, evidence=evidence)},
            )
        )
    return documents


@pytest.mark.parametrize(
    ("answers", "value", "status"),
    [
        # a typed answer that differs is a conflict for a reviewer
        ((("yes", Status.ANSWERED), ("no", Status.ANSWERED)), "no", Status.CONFLICT),
        # a loose match to our question yields to an answer given to the question itself
        ((("no", Status.NEEDS_REVIEW), ("yes", Status.ANSWERED)), "yes", Status.ANSWERED),
        # two wordings of a narrative answer: the latest stands, both quoted
        (
            (("We test yearly.", Status.ANSWERED), ("External tests every year.", Status.ANSWERED)),
            "External tests every year.",
            Status.ANSWERED,
        ),
        # alone, a loose match still waits for a person
        ((("no", Status.NEEDS_REVIEW),), "no", Status.NEEDS_REVIEW),
    ],
)
def test_a_bank_question_answered_twice_merges_by_how_sure_and_how_typed_each_answer_is(answers, value, status):
    merged = merge_extractions(_question_answers(*answers)).answers["SEC-03"]
    assert (merged.value, merged.status) == (value, status)
    if status != Status.NEEDS_REVIEW and len(answers) > 1 and answers[0][1] == Status.ANSWERED:
        assert len(merged.evidence) == 2
