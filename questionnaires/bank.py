"""The question bank: versioned YAML that every questionnaire format is issued from.

Loading validates the whole file, so a broken bank fails at once with a sentence naming the
file, line and field, rather than later as a blank cell in a vendor's spreadsheet."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictStr, model_validator

from aivet import typed_yaml
from aivet.typed_yaml import Frozen, Invalid
from extraction import answer_key, known_key

SHIPPED = "ai-vendor-due-diligence.yaml"
ID_PATTERN = re.compile(r"[A-Z]{2,5}-\d{2}")
# The intake flags (scoring.intake.Intake.flags) that the bank's applies_when vocabulary uses.
INTAKE_FLAGS = ("personal_data", "genai", "gpai_based", "high_risk_use", "dora_cif", "customer_facing", "non_eea")


class BankError(ValueError):
    """A question bank that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class Question:
    id: str
    section: str  # the section's short id (RET), the prefix of the question id
    section_title: str
    text: str
    answer_type: str
    values: tuple[str, ...]  # the allowed answers of an enum question, empty otherwise
    priority: str
    applies_when: tuple[str, ...]
    aliases: tuple[str, ...]
    answer_key: str | None  # the DESIGN.md answer key this answer fills, if any
    good_answer: str
    red_flag: str
    # enum answer -> the answer key's value it means (TRN-01 "on_by_default_opt_out_available" -> "opt_out")
    answer_key_values: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Bank:
    id: str
    version: str
    title: str
    sections: tuple[tuple[str, str], ...]  # (section id, title) in bank order
    questions: tuple[Question, ...]

    def question(self, id: str) -> Question:
        for question in self.questions:
            if question.id == id:
                return question
        raise KeyError(f"The question bank {self.id} {self.version} has no question {id!r}.")

    def for_answer_key(self, key: str) -> Question | None:
        """The question whose answer fills `key`; None when no question asks for it (e.g. `retention`)."""
        return next((question for question in self.questions if question.answer_key == key), None)

    def select(self, flags: dict[str, bool], only: set[str] | None = None) -> list[Question]:
        """The questions that apply to an engagement: any applies_when flag true (`always` always is).

        `only` narrows to the given ids, e.g. the unanswered ones for a gap questionnaire."""
        known = {flag for question in self.questions for flag in question.applies_when} | set(INTAKE_FLAGS)
        if unknown := set(flags) - known - {"always"}:
            raise ValueError(f"Unknown engagement flags {sorted(unknown)}; use {sorted(known)}.")
        for id in only or ():
            self.question(id)  # an unknown id is a caller's mistake, not an empty questionnaire
        active = {flag for flag, on in flags.items() if on} | {"always"}
        return [
            question
            for question in self.questions
            if active.intersection(question.applies_when) and (only is None or question.id in only)
        ]


def intake_flags(intake: Any) -> dict[str, bool]:
    """The engagement flags in the bank's applies_when vocabulary, from a scoring Intake."""
    flags = intake.flags
    return {"always": True} | {name: bool(flags[name]) for name in INTAKE_FLAGS}


def load_bank(path: Path | None = None) -> Bank:
    """The validated bank at `path`, or the shipped one; cached, since banks change only by release."""
    return _load(None if path is None else Path(path).resolve())


@lru_cache(maxsize=16)
def _load(path: Path | None) -> Bank:
    name = str(path) if path else SHIPPED
    try:
        text = (path or files("questionnaires") / "bank" / SHIPPED).read_text(encoding="utf-8")
    except OSError as error:
        raise BankError(f"The question bank {name} could not be read: {error}") from None
    data, lines = typed_yaml.load(text, name, BankError)
    return parse_bank(data, name, lines)


# --- the file's shape: what an editor of the bank may write, checked field by field ----------------------------------

Text = Annotated[StrictStr, Field(min_length=1)]


class BankMeta(Frozen):
    id: Text
    title: Text
    version: Text
    source: StrictStr | None = None
    status: StrictStr | None = None
    as_of: StrictStr | None = None
    intended_users: tuple[StrictStr, ...] = ()
    regulatory_timeline: tuple[StrictStr, ...] = ()
    answer_types: Annotated[dict[StrictStr, StrictStr], Field(min_length=1)]
    answer_key_rule: StrictStr | None = None
    applies_when_rule: StrictStr | None = None
    knockout_rule: StrictStr | None = None
    applies_when_vocabulary: Annotated[dict[StrictStr, StrictStr], Field(min_length=1)]
    priority_vocabulary: Annotated[dict[StrictStr, StrictStr], Field(min_length=1)]


class SectionEntry(Frozen):
    id: Text
    key: Text
    title: Text


def _question_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise Invalid(f"is {value!r}; use a section prefix and two digits, like SEC-01")
    return value


class QuestionEntry(Frozen):
    id: Annotated[StrictStr, AfterValidator(_question_id)]
    section: Text
    priority: Text
    applies_when: Annotated[tuple[StrictStr, ...], Field(min_length=1)]
    text: Text
    answer_type: Text
    why: StrictStr | None = None
    references: tuple[StrictStr, ...] = ()
    good_answer: Text
    red_flag: Text
    aliases: tuple[StrictStr, ...] = ()
    values: tuple[StrictStr, ...] = ()
    knockout: StrictStr | None = None
    answer_key: Annotated[StrictStr, AfterValidator(known_key)] | None = None
    evidence: StrictStr | None = None
    # enum answer -> the answer key's value it means (TRN-01 "on_by_default_opt_out_available" -> "opt_out")
    answer_key_values: dict[StrictStr, Any] = {}

    @model_validator(mode="after")
    def _values_and_key_agree(self) -> QuestionEntry:
        if self.answer_type == "enum" and not self.values:
            raise Invalid("is missing; an enum question must list its values", at=("values",))
        if unknown := [value for value in self.answer_key_values if value not in self.values]:
            raise Invalid(f"names {unknown}, which are not among the question's values", at=("answer_key_values",))
        if self.answer_key and self.answer_type == "enum" and set(self.answer_key_values) != set(self.values):
            raise Invalid("must say what every value means for the answer key", at=("answer_key_values",))
        if self.answer_key and answer_key(self.answer_key).question != self.id:
            raise Invalid(
                f"is {self.answer_key!r}, which the answer-key registry (extraction/knowledge/answer_keys.yaml)"
                f" fills from question {answer_key(self.answer_key).question}; change one of them",
                at=("answer_key",),
            )
        return self


class BankFile(Frozen):
    """A question bank file as written; parse_bank turns it into a Bank."""

    meta: BankMeta
    sections: tuple[SectionEntry, ...]
    questions: Annotated[tuple[QuestionEntry, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _questions_fit_the_bank(self) -> BankFile:
        sections = {section.key: section.id for section in self.sections}
        asked_by: dict[str, str] = {}  # id -> the question that has it
        for number, question in enumerate(self.questions):
            at = ("questions", number)
            for name, value, allowed in (
                ("section", question.section, sections),
                ("answer_type", question.answer_type, self.meta.answer_types),
                ("priority", question.priority, self.meta.priority_vocabulary),
            ):
                if value not in allowed:
                    raise Invalid(f"is {value!r}; use one of {', '.join(allowed)}", at=at + (name,))
            if question.id.split("-")[0] != sections[question.section]:
                raise Invalid(
                    f"is {question.id!r}; it must start with its section's id {sections[question.section]}",
                    at=at + ("id",),
                )
            if unknown := [flag for flag in question.applies_when if flag not in self.meta.applies_when_vocabulary]:
                raise Invalid(
                    f"has unknown flags {unknown}; use {', '.join(self.meta.applies_when_vocabulary)}",
                    at=at + ("applies_when",),
                )
            # an answer key belongs to the one question the answer-key registry names (QuestionEntry checks it)
            if question.id in asked_by:
                raise Invalid(
                    f"is {question.id!r}, which {asked_by[question.id]} already has; each id belongs to one question",
                    at=at + ("id",),
                )
            asked_by[question.id] = f"questions[{number}] ({question.id})"
        return self


def parse_bank(data: Any, name: str = "bank", lines: Mapping[tuple[Any, ...], int] | None = None) -> Bank:
    """Build and validate a Bank from the YAML's data (`lines`, from typed_yaml.load, places its mistakes)."""
    file = typed_yaml.validate(BankFile, data, name, BankError, lines)
    sections = {section.key: (section.id, section.title) for section in file.sections}
    questions = tuple(
        Question(
            id=entry.id,
            section=sections[entry.section][0],
            section_title=sections[entry.section][1],
            text=" ".join(entry.text.split()),
            answer_type=entry.answer_type,
            values=entry.values,
            priority=entry.priority,
            applies_when=entry.applies_when,
            aliases=entry.aliases,
            answer_key=entry.answer_key,
            good_answer=" ".join(entry.good_answer.split()),
            red_flag=" ".join(entry.red_flag.split()),
            answer_key_values=dict(entry.answer_key_values),
        )
        for entry in file.questions
    )
    return Bank(file.meta.id, file.meta.version, file.meta.title, tuple(sections.values()), questions)
