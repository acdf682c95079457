"""One reading of a typed answer, whatever brought it back (PDF field, spreadsheet cell, link form):
the value in the shape of its answer type, or why the text is not a valid answer."""

from __future__ import annotations

import datetime
import re
from typing import Any

from extraction import Answer, Evidence, Method, Status, find_durations, no_number_promise

from .bank import Question

YES, NO = {"yes", "y", "true", "1", "ja", "oui"}, {"no", "n", "false", "0", "nein", "non"}
NO_PERIOD = re.compile(r"\b(indefinite(ly)?|as long as necessary|until deleted|not specified|no fixed period)\b", re.I)
URL = re.compile(r"(https?://)?[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?", re.IGNORECASE)
DATE_FORMS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


def _enum_key(value: str) -> str:
    return re.sub(r"[\s_\-]+", "_", value.strip().lower())


def _date(text: str) -> str | None:
    """ISO date (or YYYY-MM, which the bank allows) from ISO or day.month.year text."""
    for form in DATE_FORMS:
        try:
            return datetime.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            pass
    return text if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text) else None


def typed_answer(question: Question, text: str) -> tuple[Any, str | None, str]:
    """(value, why the text is not a valid answer or None, qualifier) for a non-empty answer.

    Shapes: yes_no "yes"/"no" (a qualifier after it is kept apart: "yes, Enterprise only"); enum the listed
    value (case, spaces, hyphens and underscores ignored); duration {text, days, hours, business} (hours round up to whole days), days and
    hours None for "indefinite" or "without undue delay"; list_of_entities the non-empty lines; date the ISO
    string; url a link; free_text the text."""
    text = text.strip()
    kind = question.answer_type
    if kind == "yes_no":
        first, _, rest = re.sub(r"^\W+", "", text).partition(" ")
        word = re.sub(r"\W+$", "", first).lower()
        if word in YES | NO:
            return ("yes" if word in YES else "no"), None, rest.strip(" ,;:-–")
        return None, "is not yes or no", ""
    if kind == "enum":
        value = next((value for value in question.values if _enum_key(value) == _enum_key(text)), None)
        return (
            (value, None, "")
            if value
            else (None, f"is not one of the listed values ({', '.join(question.values)})", "")
        )
    if kind == "duration":
        found = find_durations(text)
        if found:
            return (
                {"text": text, "days": found[0].calendar_days, "hours": found[0].hours, "business": found[0].business},
                None,
                "",
            )
        if NO_PERIOD.search(text) or no_number_promise(text):
            return {"text": text, "days": None, "hours": None, "business": False}, None, ""
        return None, "is not a duration: give a number and a unit, e.g. 30 days", ""
    if kind == "list_of_entities":
        return [line.strip() for line in text.splitlines() if line.strip()], None, ""
    if kind == "date":
        day = _date(text)
        return (day, None, "") if day else (None, "is not a date (YYYY-MM-DD)", "")
    if kind == "url" and not URL.fullmatch(text):
        return None, "is not a link (https://…)", ""
    return text, None, ""


def form_answer(
    question: Question, text: str, confidence: float, evidence: tuple[Evidence, ...], notes: tuple[str, ...] = ()
) -> tuple[Answer, str | None]:
    """An answer read from a form field, a cell or a link, typed; the reason when the text is not a valid answer.

    A wrong type is kept as `needs_review` with the text as written, so a reviewer sees what the vendor said."""
    value, why, qualifier = typed_answer(question, text)
    notes = tuple(note for note in ((f"Qualifier: {qualifier}" if qualifier else ""), *notes) if note)
    if why:
        return Answer(
            question.id, text, Status.NEEDS_REVIEW, confidence, Method.FORM, evidence, "; ".join((why, *notes))
        ), why
    return Answer(question.id, value, Status.ANSWERED, confidence, Method.FORM, evidence, "; ".join(notes)), None


class AnswerText:
    """Returned answers as a small text, one line per answer, so each answer's Evidence has a real span."""

    def __init__(self, sha256: str, file: str):
        self.sha256, self.file, self.lines, self.length = sha256, file, [], 0

    def add(self, page: int, line: str) -> Evidence:
        start = self.length + (1 if self.lines else 0)
        self.lines.append(line)
        self.length = start + len(line)
        return Evidence(self.sha256, page, start, self.length, line, self.file)

    def text(self) -> str:
        return "\n".join(self.lines)


class LinkAnswersError(ValueError):
    """Answers posted through a link that cannot be kept; the message says what to change."""


def checked_link_answers(answers: Any, asked: list[str], max_chars: int) -> dict[str, dict[str, Any]]:
    """What a link may keep: {question id: {"value": text, a list of texts or null}} for asked questions only,
    each answer at most `max_chars` long. The vendor's page posts this shape; anything else is refused whole."""
    if not isinstance(answers, dict):
        raise LinkAnswersError("The answers must map question ids to answers.")
    if unknown := sorted(set(answers) - set(asked)):
        raise LinkAnswersError(f"Answers for questions this questionnaire does not ask: {unknown}.")
    checked = {}
    for question_id, answer in answers.items():
        value = answer.get("value") if isinstance(answer, dict) and set(answer) <= {"value"} else answer
        texts = value if isinstance(value, list) else [value]
        if not isinstance(answer, dict) or not all(text is None or isinstance(text, str) for text in texts):
            raise LinkAnswersError(f"The answer to {question_id} must be text.")
        if (length := sum(len(text or "") for text in texts)) > max_chars:
            raise LinkAnswersError(
                f"The answer to {question_id} is {length:,} characters long; shorten it to {max_chars:,} or fewer, "
                "or attach a document instead."
            )
        checked[question_id] = {"value": value}
    return checked
