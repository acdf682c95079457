"""The answer-key registry: knowledge/answer_keys.yaml, typed once, for everyone who handles answers.

Extraction merges and summarises by it, questionnaires turn form answers into key values with it, scoring
checks answer files against it and the app lists answers in its order; none of them keeps its own list."""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, Field

from .lexicon import knowledge

PLACEHOLDER = "$"
# A question id of the bank (SEC-01): answers from returned questionnaires carry their question's id as key, beside
# the registry's keys, so a profile can score every question (DESIGN.md: "More keys come from the question bank").
QUESTION_ID = re.compile(r"[A-Z]{2,5}-\d{2}")


def is_question_id(key: str) -> bool:
    return QUESTION_ID.fullmatch(key) is not None


class Merge(BaseModel):
    """How one key's answers from several documents combine."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["union", "worst", "fields"]
    compare: str | None = None  # the field of an object value that is compared; None: the value itself
    risk: Literal["higher", "lower"] | tuple[Any, ...] | None = None  # best to worst


class FormShape(BaseModel):
    """How a questionnaire answer becomes the key's value."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: Literal["enum", "duration", "entities", "key", "read"] = Field(alias="as")
    take: Literal["days", "hours"] | None = None  # of a duration
    key: str | None = None  # for `as: key`, the key whose form value fills this one
    asks: str | None = None  # for `as: read`, the field the question itself asks about: an answer that is
    # not a refusal states it ("Which controls defend against prompt injection?" answered with controls)
    into: Any = PLACEHOLDER  # a template: each "$" is the answer

    def fill(self, answer: Any) -> Any:
        return _fill(self.into, answer)


def _fill(template: Any, answer: Any) -> Any:
    if template == PLACEHOLDER:
        return answer
    if isinstance(template, dict):
        return {name: _fill(part, answer) for name, part in template.items()}
    if isinstance(template, list):
        return [_fill(part, answer) for part in template]
    return template


class AnswerKey(BaseModel):
    """One answer key: its value's schema, merge rule, one-line reading, question and form shape."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    about: str
    value: dict[str, Any]  # JSON Schema of a non-null value
    merge: Merge
    summary: str
    question: str | None
    form: FormShape | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not a value of this key (one sentence part), or None when it is (null always is)."""
        if value is None:
            return None
        error = next(iter(_validator(self.key).iter_errors(value)), None)
        if error is None:
            return None
        where = "".join(f"[{part!r}]" for part in error.absolute_path)
        return f"{where}: {error.message}" if where else error.message

    def comparable(self, value: Any) -> Any:
        """The part of a value that merging compares (a label, a number of days)."""
        if self.merge.compare and isinstance(value, dict):
            return value.get(self.merge.compare)
        return value

    def risk(self, comparable: Any) -> float:
        """How bad a compared value is for us: higher is worse."""
        order = self.merge.risk
        if order == "higher":
            return comparable
        if order == "lower":
            return -comparable
        return order.index(comparable)


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    keys: dict[str, AnswerKey]


@cache
def registry() -> Registry:
    data = knowledge("answer_keys")
    return Registry(version=data["version"], keys={key: {"key": key, **entry} for key, entry in data["keys"].items()})


def answer_key(key: str) -> AnswerKey:
    """The registry entry of `key`; KeyError names the keys there are."""
    try:
        return registry().keys[key]
    except KeyError:
        raise KeyError(f"{key!r} is not an answer key; the keys are {list(registry().keys)}.") from None


def known_key(name: str) -> str:
    """A field that names an answer key (in a profile, a bank question): checked against the registry."""
    if name not in registry().keys:
        raise ValueError(f"is {name!r}, which is not an answer key; use one of {', '.join(registry().keys)}")
    return name


@cache
def _validator(key: str) -> Draft202012Validator:
    return Draft202012Validator(answer_key(key).value)


# The keys every document is read for, in the contract's order (DESIGN.md, "The answer keys").
ANSWER_KEYS: tuple[str, ...] = tuple(registry().keys)
