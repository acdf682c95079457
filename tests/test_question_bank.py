"""The shipped question bank loads, maps the answer keys, selects by intake, and rejects broken banks."""

from importlib.resources import files
from pathlib import Path

import pytest

from extraction.model import ANSWER_KEYS
from questionnaires.bank import BankError, intake_flags, load_bank
from scoring.intake import Intake

SHIPPED_TEXT = (files("questionnaires") / "bank" / "ai-vendor-due-diligence.yaml").read_text(encoding="utf-8")
NON_AI = Intake(critical_function="no", genai=False, gpai_based=False, personal_data="none", non_eea="no")
DORA_GENAI = Intake(critical_function="yes", genai=True, gpai_based=True)


def test_the_shipped_bank_loads_with_110_unique_questions():
    bank = load_bank()
    assert (bank.id, bank.version) == ("ai-vendor-due-diligence", "1.1.0")
    assert len(bank.questions) == 110
    assert len({question.id for question in bank.questions}) == 110
    assert len(bank.sections) == 12
    assert all(question.values for question in bank.questions if question.answer_type == "enum")
    assert bank.question("RET-01").section_title == "Data retention and deletion"
    with pytest.raises(KeyError, match="no question 'XXX-99'"):
        bank.question("XXX-99")


def test_every_answer_key_but_retention_fills_exactly_one_question():
    bank = load_bank()
    for key in ANSWER_KEYS:
        asking = [question.id for question in bank.questions if question.answer_key == key]
        assert len(asking) == (0 if key == "retention" else 1), key
    assert bank.for_answer_key("training_use").id == "TRN-01"
    assert bank.for_answer_key("deletion_on_termination_days").id == "RET-04"
    assert bank.for_answer_key("retention") is None  # read from every document; RET-01 carries retention_days


def test_select_follows_the_intake():
    bank = load_bank()
    plain = bank.select(intake_flags(NON_AI))
    assert plain and not [question for question in plain if question.section == "LLM"]
    assert not [question for question in plain if question.applies_when == ("dora_cif",)]
    assert not [question for question in plain if "always" not in question.applies_when]
    rich = bank.select(intake_flags(DORA_GENAI))
    assert set(plain) < set(rich)
    assert {"LLM", "DORA"} <= {question.section for question in rich}
    assert "DORA-04" in {question.id for question in rich}


def test_select_only_narrows_to_the_given_ids():
    bank = load_bank()
    assert [question.id for question in bank.select(intake_flags(DORA_GENAI), only={"RET-01", "DORA-04"})] == [
        "RET-01",
        "DORA-04",
    ]
    assert bank.select(intake_flags(NON_AI), only={"DORA-04"}) == []  # asked only of DORA-critical services
    with pytest.raises(KeyError):
        bank.select(intake_flags(NON_AI), only={"NOPE-01"})


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert SHIPPED_TEXT.count(old) >= 1, old
    path = tmp_path / "bank.yaml"
    path.write_text(SHIPPED_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


# (old text, new text, the text on the line the mistake is reported at, the field and what is wrong with it)
@pytest.mark.parametrize(
    "old, new, on, message",
    [
        (
            "  - id: GOV-02\n",
            "  - id: GOV-01  # again\n",
            "GOV-01  # again",
            "questions[1].id is 'GOV-01', which questions[0] (GOV-01) already has",
        ),
        (
            "    answer_type: duration\n    answer_key: retention_days\n",
            "    answer_type: period\n    answer_key: retention_days\n",
            "answer_type: period",
            "questions[22].answer_type is 'period'; use one of yes_no, duration",
        ),
        (
            "    answer_key: training_use\n    values: [never, only_with_explicit_opt_in, on_by_default_opt_out_available, "
            "yes_without_opt_out]\n",
            "    answer_key: training_use\n",
            "  - id: TRN-01",
            "questions[30].values is missing; an enum question must list its values",
        ),
        (
            "    applies_when: [genai]\n",
            "    applies_when: [genai, crypto]\n",
            "applies_when: [genai, crypto]",
            "questions[24].applies_when has unknown flags ['crypto']",
        ),
        (
            "    answer_key: audit_rights\n",
            "    answer_key: audit_right\n",
            "answer_key: audit_right\n",
            "questions[85].answer_key is 'audit_right', which is not an answer key",
        ),
        (
            "    answer_key: audit_rights\n",
            "    answer_key: training_use\n",
            "answer_key: training_use\n    values: [unrestricted",
            "questions[85].answer_key is 'training_use', which the answer-key registry "
            "(extraction/knowledge/answer_keys.yaml) fills from question TRN-01",
        ),
        (
            "  - id: GOV-02\n",
            "  - id: GOV-2\n",
            "id: GOV-2\n",
            "questions[1].id is 'GOV-2'; use a section prefix and two digits",
        ),
        (
            "    section: company_governance\n",
            "    section: governance\n",
            "section: governance",
            "questions[0].section is 'governance'; use one of company_governance",
        ),
        (
            "    applies_when: [genai]\n",
            "    applies_when: [genai]\n    colour: red\n",
            "colour: red",
            "questions[24].colour is not a field here; use one of id, section",
        ),
        (
            "  - id: GOV-02\n    section: company_governance\n    priority: core\n",
            "  - id: GOV-02\n    section: company_governance\n    priority: [core]\n",
            "priority: [core]",
            "questions[1].priority is a list; it must be text",
        ),
        ('  title: "AI vendor', '  colour: red\n  title: "AI vendor', "colour: red", "meta.colour is not a field here"),
    ],
)
def test_a_broken_bank_is_refused_with_the_file_line_and_field(tmp_path, old, new, on, message):
    path = _broken(tmp_path, old, new)
    text = path.read_text(encoding="utf-8")
    with pytest.raises(BankError) as error:
        load_bank(path)
    line = text[: text.index(on)].count("\n") + 1
    assert str(error.value).startswith(f"{path}, line {line}: {message}"), (line, str(error.value))


def test_an_unreadable_bank_names_the_file(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text("meta: [unclosed", encoding="utf-8")
    with pytest.raises(BankError, match=f"{path}, line 1: this is not valid YAML"):
        load_bank(path)
    with pytest.raises(BankError, match="could not be read"):
        load_bank(tmp_path / "missing.yaml")
