"""Merging one vendor's documents: agreeing answers pool their evidence, disagreeing ones are flagged.

When documents disagree the merged value is the worse one for the customer (clause-flags.md, general
advice 4), the status is `conflict`, and a `cross_document_conflict` flag quotes each side."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from .answers import unique
from .assurance import combine_fields
from .keys import answer_key, is_question_id
from .model import ANSWER_KEYS, Answer, DocumentExtraction, Flag, FlagCode, Method, Status, answer_order


@dataclass(frozen=True)
class MergedExtraction:
    answers: dict[str, Answer]
    flags: tuple[Flag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "answers": {key: self.answers[key].to_json(with_file=True) for key in answer_order(self.answers)},
            "flags": [flag.to_json(with_file=True) for flag in self.flags],
        }


def _status(answers: list[Answer]) -> Status:
    """A conflict or a call for review in any document stays visible in the merged answer."""
    for status in (Status.CONFLICT, Status.NEEDS_REVIEW):
        if any(answer.status == status for answer in answers):
            return status
    return Status.ANSWERED


def _union(key: str, answers: list[Answer]) -> Answer:
    """List answers (retention periods, sub-processors, transfer mechanisms) add up across documents."""
    items: list[Any] = []
    for answer in answers:
        for item in answer.value or []:
            if item not in items:
                items.append(item)
    evidence = [item for answer in answers for item in answer.evidence]
    rules = ", ".join(dict.fromkeys(answer.rule for answer in answers if answer.rule))
    return Answer(
        key,
        items,
        _status(answers),
        max(answer.confidence for answer in answers),
        answers[0].method,
        unique(evidence),
        rule=rules,
    )


def _scalar(key: str, answers: list[Answer]) -> tuple[Answer, Flag | None]:
    rule = answer_key(key)
    comparable, risk = rule.comparable, rule.risk
    stated = [answer for answer in answers if comparable(answer.value) is not None]
    if not stated:
        return replace(answers[0], evidence=unique([item for answer in answers for item in answer.evidence])), None
    values = {comparable(answer.value) for answer in stated}
    evidence = unique([item for answer in stated for item in answer.evidence])
    worst = max(stated, key=lambda answer: risk(comparable(answer.value)))
    if len(values) == 1:
        return Answer(
            key,
            worst.value,
            _status(stated),
            max(answer.confidence for answer in stated),
            worst.method,
            evidence,
            rule=worst.rule,
        ), None
    sides = "; ".join(f"{answer.evidence[0].file}: {comparable(answer.value)}" for answer in stated if answer.evidence)
    message = f"The vendor's documents disagree on {key.replace('_', ' ')} ({sides}); the worse value is kept."
    flag = Flag(FlagCode.CROSS_DOCUMENT_CONFLICT, "high", key, message, evidence)
    return Answer(
        key,
        worst.value,
        Status.CONFLICT,
        min(answer.confidence for answer in stated),
        worst.method,
        evidence,
        message,
        worst.rule,
    ), flag


def merge_extractions(extractions: list[DocumentExtraction]) -> MergedExtraction:
    answers: dict[str, Answer] = {}
    flags: list[Flag] = [flag for extraction in extractions for flag in extraction.flags]
    for key in ANSWER_KEYS:
        found = [
            extraction.answers[key] for extraction in extractions if extraction.answers[key].status != Status.NOT_FOUND
        ]
        if not found:
            answers[key] = Answer.not_found(key)
        elif answer_key(key).merge.kind == "worst":
            answers[key], conflict = _scalar(key, found)
            flags.extend([conflict] if conflict else [])
        elif answer_key(key).merge.kind == "fields":
            answers[key], conflict = _fields(key, found)
            flags.extend([conflict] if conflict else [])
        else:
            answers[key] = _union(key, found)
    questions = list(
        dict.fromkeys(key for extraction in extractions for key in extraction.answers if is_question_id(key))
    )
    for key in questions:
        found = [
            extraction.answers[key]
            for extraction in extractions
            if key in extraction.answers and extraction.answers[key].status != Status.NOT_FOUND
        ]
        if found:
            answers[key], conflict = _question(key, found)
            flags.extend([conflict] if conflict else [])
    return MergedExtraction(answers, tuple(flags))


def _disagreement(key: str, answers: list[Answer], shown: list[Any], evidence: tuple) -> Flag:
    sides = "; ".join(f"{answer.evidence[0].file}: {value}" for answer, value in zip(answers, shown) if answer.evidence)
    message = f"The vendor's documents disagree on {key.replace('_', ' ')} ({sides}); the worse value is kept."
    return Flag(FlagCode.CROSS_DOCUMENT_CONFLICT, "high", key, message, evidence)


def _fields(key: str, answers: list[Answer]) -> tuple[Answer, Flag | None]:
    """Object answers of stated fields (encryption at rest, in transit, …): what any document states adds up; a
    field stated present in one and absent in another keeps absent and makes a conflict."""
    value = combine_fields([answer.value or {} for answer in answers])
    evidence = unique([item for answer in answers for item in answer.evidence])
    rules = ", ".join(dict.fromkeys(answer.rule for answer in answers if answer.rule))
    split = [
        field
        for field, stated in value.items()
        if stated is False and any((answer.value or {}).get(field) is True for answer in answers)
    ]
    if not split:
        return Answer(
            key, value, _status(answers), max(a.confidence for a in answers), answers[0].method, evidence, rule=rules
        ), None
    shown = [{field: (answer.value or {}).get(field) for field in split} for answer in answers]
    flag = _disagreement(key, answers, shown, evidence)
    return Answer(
        key,
        value,
        Status.CONFLICT,
        min(a.confidence for a in answers),
        answers[0].method,
        evidence,
        flag.message,
        rules,
    ), flag


def _in_words(value: Any) -> bool:
    """A narrative answer (free text, or a list of entities in the vendor's words), not a typed one: yes/no, enum
    values, dates and durations never hold a space."""
    return isinstance(value, list) or (isinstance(value, str) and " " in value.strip())


def _question(key: str, answers: list[Answer]) -> tuple[Answer, Flag | None]:
    """A bank question answered in several returned questionnaires: agreeing answers pool their evidence; answers
    that differ keep the latest form's and are a conflict for a reviewer (the bank orders no value as worse). An
    answer only loosely matched to the question (needs_review) yields to answers given to the question itself;
    the document it came from keeps it."""
    if any(answer.status == Status.ANSWERED for answer in answers):
        answers = [answer for answer in answers if answer.status != Status.NEEDS_REVIEW]
    values = [answer.value for answer in answers]
    evidence = unique([item for answer in answers for item in answer.evidence])
    latest = answers[-1]
    if all(value == values[0] for value in values):
        return replace(latest, status=_status(answers), evidence=evidence), None
    if all(_in_words(value) for value in values):  # two wordings of a narrative answer: the latest stands
        note = "Answered in other words in an earlier questionnaire; every wording is quoted."
        return replace(latest, status=_status(answers), evidence=evidence, note=note), None
    flag = _disagreement(key, answers, values, evidence)
    return replace(latest, status=Status.CONFLICT, evidence=evidence, note=flag.message), flag


def fingerprint(item: Answer | Flag) -> str:
    """What a reviewer saw, as a hash: an acceptance holds only while the answer or flag is unchanged."""
    canonical = json.dumps(item.to_json(with_file=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Review:
    """A reviewer's standing decision on one answer: `accept` the answer as read, or `override` its value."""

    key: str
    action: str  # accept · override
    value: Any
    reason: str
    by: str
    on: str  # the UTC date of the decision, for the note
    contested: str  # fingerprint of the answer the reviewer decided on


def apply_reviews(answers: dict[str, Answer], reviews: list[Review]) -> dict[str, Answer]:
    """Reviewer decisions over the merged answers (method `reviewer` outranks extraction and forms).

    An override keeps the evidence that was contested, so the card still shows what the documents say; an
    acceptance lapses as soon as new evidence changes the answer, which then returns to the queue."""
    reviewed = dict(answers)
    for review in reviews:
        answer = reviewed.get(review.key)
        if answer is None:
            continue
        if review.action == "override":
            if not is_question_id(review.key) and (problem := answer_key(review.key).problem(review.value)):
                raise ValueError(f"The override of {review.key} is {review.value!r}; {problem}")
            note = f"Set by {review.by} on {review.on}: {review.reason}"
            reviewed[review.key] = Answer(
                review.key, review.value, Status.ANSWERED, 1.0, Method.REVIEWER, answer.evidence, note, "reviewer"
            )
        elif review.action == "accept" and review.contested == fingerprint(answer):
            note = f"Accepted by {review.by} on {review.on}" + (f": {review.reason}" if review.reason else "")
            reviewed[review.key] = replace(answer, status=Status.ANSWERED, note=note)
    return reviewed
