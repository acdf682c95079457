"""Assurance and AI-risk claims: certifications (with the report period or certificate date), encryption, single
sign-on and MFA, penetration tests, data residency, the AI Act role, model evaluation and LLM security.

Each key is read clause by clause with the patterns of knowledge/assurance.yaml. Only the vendor's own, positive
claim counts: a clause that denies or defers it ("we are not yet SOC 2 certified", "working towards ISO 42001"),
one about someone else (a sub-processor's certificate, what a customer may not do) and passages under a
sub-processor heading state nothing, so a silent document leaves the key not_found."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .answers import answered
from .lexicon import any_of, knowledge, pattern
from .matching import question_of
from .model import Answer, Evidence
from .normalise import countries_in
from .passages import Passage, Passages

ASSURANCE_KEYS = (  # the keys this module answers, in the contract's order
    "certifications",
    "encryption",
    "sso_mfa",
    "penetration_testing",
    "data_residency",
    "ai_act_role",
    "model_evaluation",
    "llm_security",
)
_CONFIDENCE = 0.8
_AFTER_WINDOW = 60  # characters after a claim in which "is in progress" defers it
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    re.compile(r"\b(?P<year>20\d\d)-(?P<num>0[1-9]|1[0-2])-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)? " + _MONTH + r",? (?P<year>20\d\d)\b", re.I),
    re.compile(r"\b" + _MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)?,? (?P<year>20\d\d)\b", re.I),
    re.compile(r"\b" + _MONTH + r",? (?P<year>20\d\d)\b", re.I),
    re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<num>0?[1-9]|1[0-2])[./](?P<year>20\d\d)\b"),
]


@cache
def _rules() -> dict[str, Any]:
    return knowledge("assurance")


@cache
def _regex(name: str) -> re.Pattern[str]:
    """A joined pattern of one list in the knowledge file, by dotted name ("negation.before")."""
    node: Any = _rules()
    for part in name.split("."):
        node = node[part]
    return any_of(node) if isinstance(node, list) else pattern(node)


# --- clauses and who speaks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    start: int
    end: int


def clauses(text: str, start: int, end: int) -> list[Clause]:
    """The clauses of text[start:end], as spans of the text."""
    cuts = [start]
    cuts += [match.end() for match in pattern(_rules()["clause_break"]).finditer(text, start, end)]
    cuts.append(end)
    return [Clause(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def negated(text: str, clause: Clause, start: int, end: int) -> bool:
    """Does the clause deny or defer the claim at [start, end): a negation before it, or "is in progress" after."""
    if _regex("negation.before").search(text, clause.start, start):
        return True
    after_end = min(clause.end, end + _AFTER_WINDOW)
    cut = re.search(r",|\band\b|\bor\b", text[end:after_end])
    return bool(_regex("negation.after").search(text, end, end + cut.start() if cut else after_end))


def someone_else(text: str, clause: Clause, key: str | None = None) -> bool:
    """Is the clause about another company's claim: the key's own list where it has one, else the shared list."""
    name = f"{key}.someone_else" if key and "someone_else" in _rules()[key] else "someone_else"
    return bool(_regex(name).search(text, clause.start, clause.end))


def _others_section(passages: Passages, passage: Passage) -> bool:
    heading = _regex("others_headings")
    return any(heading.search(title) for title in passages.heading_path(passage))


def _own_passages(passages: Passages, key: str, excluded: frozenset[int]) -> Iterator[Passage]:
    """The passages that may carry the vendor's own claim about `key`."""
    for index in passages.containing(_rules()[key]["triggers"]):
        passage = passages.items[index]
        if index in excluded or _others_section(passages, passage):
            continue
        yield passage


def _context(passages: Passages, passage: Passage) -> str:
    """The passage's question (a questionnaire row or a Q/A pair) and headings: what it answers."""
    question = question_of(passages, passage.index)
    parts = list(passages.heading_path(passage))
    if question is not None:
        parts.append(passages.text(question))
    return " \n ".join(parts)


# --- dates --------------------------------------------------------------------------------------------------------------


def dates_in(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(ISO date, start, end) of each date written in text[start:end]; a month and year is its last day."""
    end = len(text) if end is None else end
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for regex in _DATES:
        for match in regex.finditer(text, start, end):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            parts = match.groupdict()
            month = int(parts["num"]) if parts.get("num") else _MONTHS[parts["month"].lower().rstrip(".")]
            year = int(parts["year"])
            if parts.get("day"):
                day = int(parts["day"])
            else:  # "March 2025": the period runs to the month's end
                day = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
            try:
                iso = datetime.date(year, month, day).isoformat()
            except ValueError:
                continue
            taken.append((match.start(), match.end()))
            found.append((iso, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def _dated(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """(date, kind) said of a certificate or report in text[start:end]: a validity end, the end of the period a
    report covers (the later date of "from … to …"), or the date of issue; kind "stated" when the words say
    nothing about which."""
    found = dates_in(text, start, end)
    if not found:
        return None, None
    kinds = _rules()["certifications"]["date_kinds"]
    for kind in ("valid_until", "period_end"):
        regex = pattern(kinds[kind])
        for iso, date_start, _ in reversed(found):
            before = text[max(start, date_start - 40) : date_start]
            if regex.search(before):
                return iso, kind
    iso, date_start, _ = found[-1]
    if pattern(kinds["issued"]).search(text[max(start, date_start - 60) : date_start]):
        return iso, "issued"
    return iso, "stated"


# --- the readers: one value per key from a text span, shared by documents and questionnaire answers --------------------


def _certifications(
    text: str, clause: Clause, whole: tuple[int, int], context: str, form: bool
) -> list[dict[str, Any]]:
    names = _rules()["certifications"]["names"]
    mentions: list[tuple[int, int, str]] = []
    for name, source in names.items():
        for match in pattern(source).finditer(text, clause.start, clause.end):
            if not any(a <= match.start() < b for a, b, _ in mentions):
                mentions.append((match.start(), match.end(), name))
    mentions.sort()
    if not mentions or someone_else(text, clause):
        return []
    held = _regex("certifications.held")
    if not form and not (held.search(text, clause.start, clause.end) or held.search(context)):
        return []
    items = []
    for number, (start, end, name) in enumerate(mentions):
        previous_end = mentions[number - 1][1] if number else clause.start
        if negated(text, Clause(previous_end, clause.end), start, end):
            continue
        if number + 1 < len(mentions):
            following = mentions[number + 1][0]
        else:  # the last one: its date may follow in the next clauses ("…; the report covers 1 Jan to 31 Dec")
            later = any_of(list(names.values())).search(text, clause.end, whole[1])
            following = later.start() if later else whole[1]
        date, kind = _dated(text, end, following)
        items.append({"name": name, "date": date, "date_kind": kind})
    return items


def _fields(key: str, text: str, clause: Clause) -> dict[str, bool]:
    """The fields of `key` the clause claims (not denied, not deferred, not someone else's)."""
    if someone_else(text, clause):
        return {}
    claimed = {}
    for field, sources in _rules()[key]["fields"].items():
        for match in any_of(sources).finditer(text, clause.start, clause.end):
            if not negated(text, clause, match.start(), match.end()):
                claimed[field] = True
                break
    return claimed


def _residency(text: str, clause: Clause, form: bool) -> dict[str, Any] | None:
    rules = _rules()["data_residency"]
    where = any_of(rules["where"]).search(text, clause.start, clause.end)
    if (where is None and not form) or someone_else(text, clause, "data_residency"):
        return None
    if where is not None and negated(text, clause, where.start(), where.end()):
        return None
    regions = countries_in(text[clause.start : clause.end])
    eu_only = any_of(rules["eu_only"]).search(text, clause.start, clause.end)
    if eu_only is not None and negated(text, clause, eu_only.start(), eu_only.end()):
        eu_only = None
    if not regions and eu_only is None:
        return None
    return {"regions": regions, "eu_only_option": True if eu_only else None}


def _roles(text: str, clause: Clause, context: str, form: bool) -> list[str]:
    rules = _rules()["ai_act_role"]
    if not form and not (pattern(rules["context"]).search(text, clause.start, clause.end) or _regex_in(rules, context)):
        return []
    subject = pattern(rules["subject"]).search(text, clause.start, clause.end)
    if subject is None and not form:
        return []
    start = subject.end() if subject else clause.start
    roles = []
    window = Clause(start, clause.end)
    for role, sources in rules["fields"].items():
        match = any_of(sources).search(text, window.start, window.end)
        if match and not negated(text, clause, match.start(), match.end()):
            roles.append(role)
    if "gpai_provider" in roles and "provider" in roles:
        provider = any_of(rules["fields"]["provider"]).search(text, window.start, window.end)
        gpai = any_of(rules["fields"]["gpai_provider"]).search(text, window.start, window.end)
        if provider and gpai and gpai.start() <= provider.start() < gpai.end():
            roles.remove("provider")  # "provider of general-purpose AI models" is one role
    return roles


def _regex_in(rules: dict[str, Any], context: str) -> bool:
    return bool(context and pattern(rules["context"]).search(context))


def _pentest(text: str, clause: Clause, whole: tuple[int, int]) -> dict[str, Any] | None:
    if not _fields("penetration_testing", text, clause):
        return None
    rules = _rules()["penetration_testing"]
    span = text[whole[0] : whole[1]]
    third_party = True if pattern(rules["third_party"]).search(span) else None
    if third_party is None and pattern(rules["internal_only"]).search(span):
        third_party = False
    frequency = next((name for name, source in rules["frequency"].items() if pattern(source).search(span)), None)
    ai_in_scope = True if pattern(rules["ai_in_scope"]).search(span) else None
    return {"performed": True, "frequency": frequency, "third_party": third_party, "ai_in_scope": ai_in_scope}


def _sso(text: str, clause: Clause) -> dict[str, Any] | None:
    claimed = _fields("sso_mfa", text, clause)
    if not claimed:
        return None
    protocols = [
        name
        for name, source in _rules()["sso_mfa"]["protocols"].items()
        if pattern(source).search(text, clause.start, clause.end)
    ]
    return {"sso": claimed.get("sso"), "mfa": claimed.get("mfa"), "protocols": protocols if claimed.get("sso") else []}


def _read(key: str, text: str, clause: Clause, whole: tuple[int, int], context: str, form: bool) -> Any:
    """What one clause says for `key`: a value part, or None/[] when it says nothing."""
    if key == "certifications":
        return _certifications(text, clause, whole, context, form)
    if key == "data_residency":
        return _residency(text, clause, form)
    if key == "ai_act_role":
        return _roles(text, clause, context, form)
    if key == "penetration_testing":
        return _pentest(text, clause, whole)
    if key == "sso_mfa":
        return _sso(text, clause)
    claimed = _fields(key, text, clause)
    return {field: claimed.get(field) for field in _rules()[key]["fields"]} if claimed else None


def _combine(key: str, parts: list[Any]) -> Any:
    """The clauses' parts as one value: lists add up, fields are true when any clause states them."""
    if key in ("certifications", "ai_act_role"):
        items: list[Any] = []
        for part in parts:
            items += [item for item in part if item not in items]
        if key == "certifications":  # an undated mention adds nothing beside a dated one of the same name
            dated = {item["name"] for item in items if item["date"]}
            items = [item for item in items if item["date"] or item["name"] not in dated]
        return items
    return combine_fields(parts)


def combine_fields(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Objects of stated fields as one: a list field adds up; any other field keeps the first stated value, and
    False (stated as absent) wins over True, the worse reading for us."""
    value: dict[str, Any] = {}
    for part in parts:
        for field, stated in part.items():
            if isinstance(stated, list):
                value[field] = list(dict.fromkeys([*(value.get(field) or []), *stated]))
            elif value.get(field) is None or stated is False:
                value[field] = stated if stated is not None else value.get(field)
    return value


def declines(text: str) -> bool:
    """Does a questionnaire answer decline its question ("No", "Not applicable", "We do not disclose this")?"""
    return _regex("declined").match(text) is not None


def value_from_text(key: str, text: str, asks: str | None = None) -> Any:
    """The value a questionnaire answer's text gives for `key` (its question asks for it, so no cue is needed);
    None when it claims nothing. `asks` is the field the question asks about, stated by any answer that does not
    decline ("No", "None", "Not applicable", a plan)."""
    parts = []
    for clause in clauses(text, 0, len(text)):
        part = _read(key, text, clause, (0, len(text)), "", True)
        if part:
            parts.append(part)
    value = _combine(key, parts) if parts else None
    if asks and not declines(text):
        value = value or dict.fromkeys(_rules()[key]["fields"])
        value[asks] = True if value.get(asks) is None else value[asks]
    return value


def extract_assurance(passages: Passages, excluded: frozenset[int]) -> list[Answer]:
    """The eight assurance keys of one document, each not_found when the document claims nothing about it."""
    text = passages.document.text
    answers = []
    for key in ASSURANCE_KEYS:
        parts: list[Any] = []
        evidence: list[Evidence] = []
        for passage in _own_passages(passages, key, excluded):
            context = _context(passages, passage)
            found = False
            for clause in clauses(text, passage.start, passage.end):
                part = _read(key, text, clause, (passage.start, passage.end), context, False)
                if part:
                    parts.append(part)
                    found = True
            if found:
                evidence.append(passages.passage_evidence(passage))
        if not parts:
            answers.append(Answer.not_found(key))
            continue
        value = _combine(key, parts)
        answers.append(answered(key, value, evidence, _CONFIDENCE, rule=f"assurance.{key}"))
    return answers
