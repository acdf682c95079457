"""The question bank: versioned YAML that every questionnaire format is issued from.

Loading validates the whole file, so a broken bank fails at once with a sentence naming the
question and field, rather than later as a blank cell in a vendor's spreadsheet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from extraction import ANSWER_KEYS

SHIPPED = "ai-vendor-due-diligence.yaml"
ID_PATTERN = re.compile(r"[A-Z]{2,5}-\d{2}")
# The intake flags (scoring.intake.Intake.flags) that the bank's applies_when vocabulary uses.
INTAKE_FLAGS = ("personal_data", "genai", "gpai_based", "high_risk_use", "dora_cif", "customer_facing", "non_eea")


class BankError(ValueError):
    """A question bank that cannot be used; the message names the question and field."""


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
        return [question for question in self.questions
                if active.intersection(question.applies_when) and (only is None or question.id in only)]


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
        text = path.read_text(encoding="utf-8") if path else (files("questionnaires") / "bank" / SHIPPED).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as error:
        raise BankError(f"The question bank {name} could not be read: {error}") from None
    if not isinstance(data, dict):
        raise BankError(f"The question bank {name} must be a mapping with meta, sections and questions.")
    return parse_bank(data, name)


def parse_bank(data: dict[str, Any], name: str = "bank") -> Bank:
    """Build and validate a Bank from the YAML's mapping."""
    meta = data.get("meta") or {}
    for field in ("id", "version", "title", "answer_types", "applies_when_vocabulary", "priority_vocabulary"):
        if not meta.get(field):
            raise BankError(f"The question bank {name} has no meta.{field}.")
    answer_types, vocabulary, priorities = (set(meta[field]) for field in
                                            ("answer_types", "applies_when_vocabulary", "priority_vocabulary"))
    sections: dict[str, tuple[str, str]] = {}  # section key -> (id, title)
    for section in data.get("sections") or []:
        if not all(section.get(field) for field in ("id", "key", "title")):
            raise BankError(f"The question bank {name} has a section without id, key or title: {section!r}.")
        sections[section["key"]] = (section["id"], section["title"])
    questions: list[Question] = []
    seen_ids: set[str] = set()
    seen_keys: dict[str, str] = {}
    for number, raw in enumerate(data.get("questions") or [], start=1):
        questions.append(_question(raw, number, sections, answer_types, vocabulary, priorities))
        question = questions[-1]
        if question.id in seen_ids:
            raise BankError(f"Question {question.id}: field 'id' is used twice; ids must be unique.")
        seen_ids.add(question.id)
        if question.answer_key:
            if question.answer_key in seen_keys:
                raise BankError(f"Question {question.id}: field 'answer_key' {question.answer_key!r} is already "
                                f"used by {seen_keys[question.answer_key]}; each key fills one question.")
            seen_keys[question.answer_key] = question.id
    if not questions:
        raise BankError(f"The question bank {name} has no questions.")
    return Bank(str(meta["id"]), str(meta["version"]), str(meta["title"]),
                tuple(sections.values()), tuple(questions))


def _question(raw: Any, number: int, sections: dict[str, tuple[str, str]], answer_types: set[str],
              vocabulary: set[str], priorities: set[str]) -> Question:
    if not isinstance(raw, dict):
        raise BankError(f"Question number {number} is not a mapping of fields.")
    id = raw.get("id")
    if not isinstance(id, str) or not ID_PATTERN.fullmatch(id):
        raise BankError(f"Question number {number}: field 'id' is {id!r}; use a section prefix and two digits, like SEC-01.")

    def fail(field: str, problem: str) -> BankError:
        return BankError(f"Question {id}: field '{field}' {problem}.")

    for field in ("section", "text", "answer_type", "priority", "applies_when", "good_answer", "red_flag"):
        if not raw.get(field):
            raise fail(field, "is missing")
    if raw["section"] not in sections:
        raise fail("section", f"is {raw['section']!r}, not a section of the bank ({sorted(sections)})")
    section_id, section_title = sections[raw["section"]]
    if id.split("-")[0] != section_id:
        raise fail("id", f"does not start with its section's id {section_id}")
    if raw["answer_type"] not in answer_types:
        raise fail("answer_type", f"is {raw['answer_type']!r}; use one of {sorted(answer_types)}")
    values = tuple(str(value) for value in raw.get("values") or ())
    if raw["answer_type"] == "enum" and not values:
        raise fail("values", "is missing; an enum question must list its values")
    if raw["priority"] not in priorities:
        raise fail("priority", f"is {raw['priority']!r}; use one of {sorted(priorities)}")
    applies_when = tuple(raw["applies_when"]) if isinstance(raw["applies_when"], list) else (raw["applies_when"],)
    if unknown := [flag for flag in applies_when if flag not in vocabulary]:
        raise fail("applies_when", f"has unknown flags {unknown}; use {sorted(vocabulary)}")
    answer_key = raw.get("answer_key")
    if answer_key is not None and answer_key not in ANSWER_KEYS:
        raise fail("answer_key", f"is {answer_key!r}; use one of {list(ANSWER_KEYS)}")
    key_values = raw.get("answer_key_values") or {}
    if unknown := [value for value in key_values if value not in values]:
        raise fail("answer_key_values", f"names {unknown}, which are not among the question's values")
    if answer_key and raw["answer_type"] == "enum" and set(key_values) != set(values):
        raise fail("answer_key_values", "must say what every value means for the answer key")
    return Question(
        id=id, section=section_id, section_title=section_title, text=" ".join(str(raw["text"]).split()),
        answer_type=raw["answer_type"], values=values, priority=raw["priority"], applies_when=applies_when,
        aliases=tuple(str(alias) for alias in raw.get("aliases") or ()), answer_key=answer_key,
        good_answer=" ".join(str(raw["good_answer"]).split()), red_flag=" ".join(str(raw["red_flag"]).split()),
        answer_key_values=dict(key_values))
