"""Answers to score, read from what `aivet extract --json` printed: checked key by key, so a wrong file
is refused with the field that is wrong, never scored in part."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extraction import ANSWER_KEYS, Answer, Evidence, Method, Status, answer_key


class AnswersError(ValueError):
    """Answers that cannot be scored; the message names the field."""


def answers_from_json(data: dict[str, Any], source: str = "answers") -> dict[str, Answer]:
    """The answers of one vendor: the `merged` answers of an extract run, or a bare {key: answer} object."""
    merged = data.get("merged", data) if isinstance(data, dict) else None
    answers = merged.get("answers") if isinstance(merged, dict) else None
    if not isinstance(answers, dict):
        raise AnswersError(f"{source}: expected the JSON of `aivet extract --json` (with merged.answers).")
    parsed = {}
    for key, answer in answers.items():
        where = f"{source}: answers.{key}"
        if key not in ANSWER_KEYS:
            raise AnswersError(f"{where} is not an answer key; the keys are {list(ANSWER_KEYS)}.")
        if not isinstance(answer, dict) or not {"value", "status", "confidence", "evidence"} <= set(answer):
            raise AnswersError(f"{where} must have value, status, confidence and evidence.")
        if answer["status"] not in [status.value for status in Status]:
            raise AnswersError(f"{where}.status is {answer['status']!r}; use one of {[s.value for s in Status]}.")
        if answer.get("method", "rule") not in [method.value for method in Method]:
            raise AnswersError(f"{where}.method is {answer['method']!r}; use one of {[m.value for m in Method]}.")
        if problem := answer_key(key).problem(answer["value"]):
            raise AnswersError(f"{where}.value is {answer['value']!r}; {problem}.")
        if (
            not isinstance(answer["confidence"], (int, float))
            or isinstance(answer["confidence"], bool)
            or not 0 <= answer["confidence"] <= 1
        ):
            raise AnswersError(f"{where}.confidence must be a number from 0 to 1.")
        try:
            evidence = tuple(
                Evidence(
                    item.get("sha256", ""),
                    int(item["page"]),
                    int(item["start"]),
                    int(item["end"]),
                    str(item["quote"]),
                    str(item.get("file", "")),
                )
                for item in answer["evidence"]
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise AnswersError(f"{where}.evidence items need page, start, end and quote.") from None
        parsed[key] = Answer(
            key,
            answer["value"],
            Status(answer["status"]),
            float(answer["confidence"]),
            Method(answer.get("method", "rule")),
            evidence,
            answer.get("note", ""),
            str(answer.get("rule", "")),
        )
    return parsed


def answers_from_file(path: Path) -> dict[str, Answer]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnswersError(f"{path} could not be read as JSON: {error}") from None
    return answers_from_json(data, str(path))
