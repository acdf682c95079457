"""Answers to score, read from what `aivet extract --json` printed: the file is checked against its model and
the answer-key registry, so a wrong file is refused with the file, line and field that are wrong, never scored
in part."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated, Any

import filetype
from pydantic import Field, StrictFloat, StrictInt, StrictStr, model_validator

from aivet import typed_yaml
from aivet.typed_yaml import Frozen, Invalid
from extraction import ANSWER_KEYS, Answer, Method, Status, answer_key, is_question_id

KINDS = {"pdf": "a PDF document", "docx": "a Word document", "xlsx": "an Excel workbook", "zip": "a ZIP archive"}


class AnswersError(ValueError):
    """Answers that cannot be scored; the message names the file, line and field."""


class EvidenceEntry(Frozen):
    page: Annotated[StrictInt, Field(ge=1)]
    start: Annotated[StrictInt, Field(ge=0)]
    end: Annotated[StrictInt, Field(ge=0)]
    quote: StrictStr
    file: StrictStr = ""
    sha256: StrictStr = ""


class AnswerEntry(Frozen):
    value: Any
    status: Status
    confidence: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1)]
    method: Method = Method.RULE
    evidence: tuple[EvidenceEntry, ...]
    note: StrictStr = ""
    rule: StrictStr = ""


class AnswerSet(Frozen):
    """One vendor's answers by key; the flags that came with them are not scored."""

    answers: dict[StrictStr, AnswerEntry]
    flags: tuple[Any, ...] = ()

    @model_validator(mode="after")
    def _keys_and_values_fit_the_registry(self) -> AnswerSet:
        for key, entry in self.answers.items():
            if is_question_id(key):  # a bank question answered in a returned questionnaire, typed by its form
                continue
            if key not in ANSWER_KEYS:
                raise Invalid(
                    f"is not an answer key or a question id; the keys are {', '.join(ANSWER_KEYS)}",
                    at=("answers", key),
                )
            if problem := answer_key(key).problem(entry.value):
                raise Invalid(f"is {entry.value!r}; {problem}", at=("answers", key, "value"))
        return self


class ExtractRun(Frozen):
    """The whole JSON of `aivet extract --json`: the per-document part is not scored, the merged answers are."""

    documents: tuple[Any, ...] = ()
    merged: AnswerSet


def answers_from_json(data: Any, source: str = "answers", lines: dict | None = None) -> dict[str, Answer]:
    """The answers of one vendor: the `merged` answers of an extract run, or a bare {"answers": ...} object."""
    model = ExtractRun if isinstance(data, dict) and "merged" in data else AnswerSet
    checked = typed_yaml.validate(model, data, source, AnswersError, lines)
    answers = checked.merged.answers if isinstance(checked, ExtractRun) else checked.answers
    return {key: Answer.from_json(key, entry.model_dump()) for key, entry in answers.items()}


def answers_from_file(path: Path) -> dict[str, Answer]:
    """The answers in a file `aivet extract --json` wrote; any other file is refused with what to do instead."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AnswersError(f"{path} could not be read ({error.strerror or error}); check the path.") from None
    try:
        text = raw.decode("utf-8")
        json.loads(text)  # JSON first: the line-keeping YAML reader below would also take YAML
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnswersError(_not_answers(path, raw, error)) from None
    data, lines = typed_yaml.load(text, str(path), AnswersError)
    return answers_from_json(data, str(path), lines)


def _not_answers(path: Path, data: bytes, error: UnicodeDecodeError | json.JSONDecodeError) -> str:
    """What to do with a file that is not JSON: a broken answers file is corrected, a vendor's document (the usual
    mistake) is extracted first. Its kind is told from its first bytes; the file is never opened as a document."""
    guessed = filetype.guess(data[:8192])
    if guessed:
        kind = KINDS.get(guessed.extension, f"a file of type {guessed.mime}")
    elif isinstance(error, UnicodeDecodeError):
        kind = "binary data"
    elif error.doc.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return (
            f"{path} could not be read as JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
            "correct it there, or write it again with `aivet extract --json`."
        )
    else:
        kind = "a text document"
    answers = shlex.quote(str(path.with_name(f"{path.stem}-answers.json")))
    return (
        f"{path} is {kind}, not the answers JSON that aivet scores; run "
        f"`aivet extract --json {shlex.quote(str(path))} > {answers}` first, then give {answers} instead."
    )
