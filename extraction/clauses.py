"""Clause values: sub-processor change notice, breach notification, audit rights, deletion on termination,
transfer mechanisms. Each reads the candidate passages of its key with patterns from lexicon.yaml."""

from __future__ import annotations

import re
from dataclasses import replace

from .answers import answered, conflicting
from .durations import find_durations, no_number_promise
from .lexicon import any_of, lexicon, pattern
from .matching import Candidate, candidates, question_of
from .model import Answer, Evidence
from .passages import Passages, answer_part

_SUBPROCESSOR = re.compile(r"\bsub-?\s?(?:processor|contractor)|\bthird[-\s]part(?:y|ies)\b|\bvendors?\b", re.I)
_SECTION_LOOKBACK = 8
_DEADLINE_WINDOW = 150  # characters before a duration in which "upon termination" governs it
_ABSENT_BEFORE = 40  # characters before a mechanism's name in which "not covered by an" says it is absent
_NOTICE_OF = re.compile(r"['’]?s?\s+(?:\w+\s+)?notice\b", re.I)  # "30 days' written notice"
_WITHIN = re.compile(r"\bwithin\W+$|\bwithin\s+\w+\W*$", re.I)
_NOTIFY = re.compile(r"\bnotif\w*|\binform\w*|\breport\w*|\balert\w*", re.I)
_TERMINATION = re.compile(
    r"terminat\w*|\bexpir\w*|\bend\s+of\s+the\s+(?:provision\s+of\s+(?:the\s+)?)?(?:[A-Z]\w*\s+)?(?:services?|agreement|contract)|\bcancel\w*",
    re.I,
)


def _near(
    regex: re.Pattern[str], text: str, span: tuple[int, int], start: int, end: int, before: int, after: int = 0
) -> bool:
    """Does `regex` match within `before`/`after` characters of [start, end), inside the passage `span`?"""
    return bool(regex.search(text, max(span[0], start - before), min(span[1], end + after)))


def _about_subprocessors(passages: Passages, passage) -> bool:
    """The passage, or its section up to the nearest heading (at most a few passages back), speaks of sub-processors."""
    text = passages.document.text
    for earlier in reversed(passages.items[max(0, passage.index - _SECTION_LOOKBACK) : passage.index + 1]):
        if _SUBPROCESSOR.search(text, earlier.start, earlier.end):
            return True
        if earlier.kind == "heading":
            return False
    return False


def _resolve(key: str, found: list[tuple[object, Evidence, float]], confidence: float, rule: str, worst=max) -> Answer:
    """One value from (value, evidence, relevance) findings; differing values make a conflict that quotes both and
    keeps the worse value for the customer (`worst`: the shorter notice, the longer breach or deletion deadline)."""
    if not found:
        return Answer.not_found(key)
    found.sort(key=lambda item: -item[2])
    primary = worst(item[0] for item in found)
    evidence = [item[1] for item in found if item[0] == primary]
    others = [item for item in found if item[0] != primary]
    if others:
        note = f"The document states different values: {sorted({str(item[0]) for item in found})}."
        return conflicting(key, primary, evidence + [item[1] for item in others], confidence, note, rule=rule)
    return answered(key, primary, evidence, confidence + 0.2 * found[0][2], rule=rule)


def extract_change_notice(passages: Passages, excluded: frozenset[int]) -> Answer:
    text = passages.document.text
    objection = pattern(lexicon()["clauses"]["objection"])
    notice = pattern(lexicon()["clauses"]["notice"])
    notices: list[tuple[object, Evidence, float]] = []
    windows: list[int] = []
    worded: list[tuple[Evidence, float]] = []
    for candidate in candidates(passages, "subprocessor_change_notice_days", excluded):
        passage = candidate.passage
        if not _about_subprocessors(passages, passage):
            continue
        evidence = passages.passage_evidence(passage)
        numbered = False
        for duration in find_durations(text, passage.start, passage.end):
            span = (passage.start, passage.end)
            near_notice = _near(notice, text, span, duration.start, duration.end, 60, 60)
            # Business days are how objection windows are counted: any "object" earlier in the sentence governs them.
            # ... and so is a reaction time after an objection was named earlier in the sentence ("may object … by
            # notifying X within fourteen (14) days of receiving the notice"), where a notice period comes before.
            objected = _near(objection, text, span, duration.start, duration.end, 80) or (
                (duration.business or _WITHIN.search(text, max(span[0], duration.start - 24), duration.start))
                and objection.search(text, span[0], duration.start + 40) is not None
            )
            if objected or (duration.business and not near_notice):
                windows.append(duration.days or 0)
            elif near_notice and (duration.days or duration.business):
                # "ten business days' prior notice" keeps its number, as the clause counts it
                notices.append((duration.amount if duration.business else duration.days, evidence, candidate.relevance))
                numbered = True
        if not numbered and notice.search(text, passage.start, passage.end):
            worded.append((evidence, candidate.relevance))
    if notices:
        base = _resolve("subprocessor_change_notice_days", notices, 0.7, "notice.days_before_a_new_subprocessor", min)
        return replace(base, value={"value": base.value, "objection_window_days": max(windows) if windows else None})
    if worded or windows:
        proof = [item[0] for item in sorted(worded, key=lambda item: -item[1])[:2]]
        if not proof:
            return Answer.not_found("subprocessor_change_notice_days")
        value = {"value": None, "objection_window_days": max(windows) if windows else None}
        return answered(
            "subprocessor_change_notice_days",
            value,
            proof,
            0.6,
            "Notice is promised without a number of days.",
            rule="notice.promised_without_days",
        )
    return Answer.not_found("subprocessor_change_notice_days")


def extract_breach_notification(passages: Passages, excluded: frozenset[int]) -> Answer:
    text = passages.document.text
    found: list[tuple[object, Evidence, float]] = []
    promises: list[tuple[Evidence, float]] = []
    for candidate in candidates(passages, "breach_notification_hours", excluded):
        passage = candidate.passage
        question = question_of(passages, passage.index)  # "Q: Within what time do you notify …?" · "A: 48 hours"
        if not _NOTIFY.search(text, passage.start, passage.end) and not (
            question and _NOTIFY.search(text, question.start, question.end)
        ):
            continue
        evidence = passages.passage_evidence(passage)
        durations = [
            item
            for item in find_durations(text, passage.start, passage.end)
            if not item.minimum and not _NOTICE_OF.match(text, item.end, passage.end)
        ]  # "on 30 days' written notice" (of an audit) in the same sentence is not the breach deadline
        for duration in durations:
            found.append((duration.hours, evidence, candidate.relevance))
        if not durations and no_number_promise(text[passage.start : passage.end]):
            promises.append((evidence, candidate.relevance))
    if found:
        return _resolve("breach_notification_hours", found, 0.65, "breach.hours_to_notify")
    if promises:
        proof = [item[0] for item in sorted(promises, key=lambda item: -item[1])[:2]]
        return answered(
            "breach_notification_hours",
            None,
            proof,
            0.6,
            "Notice is promised without a number of hours.",
            rule="breach.promised_without_hours",
        )
    return Answer.not_found("breach_notification_hours")


_AUDIT_ASKED = re.compile(r"\baudit(?!or)|\binspect")


def extract_audit_rights(passages: Passages, excluded: frozenset[int]) -> Answer:
    rules = lexicon()["clauses"]
    levels = {
        "no": any_of(rules["audit_no"]),
        "limited": any_of(rules["audit_limited"]),
        "yes": any_of(rules["audit_yes"]),
    }
    found: dict[str, list[Candidate]] = {}
    for candidate in candidates(passages, "audit_rights", excluded):
        whole = passages.lowered[candidate.passage.index]
        text = answer_part(whole)
        asked = whole[: len(whole) - len(text)]  # the question, where the passage is a question and its answer
        # "Do customers have a right to audit? | No, …": a bare "No" to an audit question, unless it goes on to
        # offer reports instead ("No | we satisfy audit requests with our SOC 2 report"), which is limited
        bare = "no" if re.match(r"no\b", text) and _AUDIT_ASKED.search(asked or text) else None
        if bare and levels["limited"].search(text):
            bare = "limited"
        level = bare or next((level for level, regex in levels.items() if regex.search(text)), None)
        if level:
            found.setdefault(level, []).append(candidate)
    # A right that reports or the law narrow is limited, even where another clause grants audits.
    level: str | None = next((item for item in ("no", "limited", "yes") if item in found), None)
    if level is None:
        return Answer.not_found("audit_rights")
    support = found[level][:3]
    evidence = [passages.passage_evidence(item.passage) for item in support]
    return answered("audit_rights", level, evidence, 0.55 + 0.3 * support[0].relevance, rule=f"audit.{level}")


def extract_deletion_on_termination(passages: Passages, excluded: frozenset[int]) -> Answer:
    text = passages.document.text
    verbs = pattern(lexicon()["clauses"]["deletion_verbs"])
    deadline_after = pattern(lexicon()["clauses"]["deadline_after"])
    deadline_before = pattern(lexicon()["clauses"]["deadline_before"])
    closure = pattern(lexicon()["clauses"]["account_closure"])
    found: list[tuple[object, Evidence, float]] = []
    obligations: list[tuple[str, Evidence, float]] = []
    for candidate in candidates(passages, "deletion_on_termination_days", excluded):
        passage = candidate.passage
        sentence = text[passage.start : passage.end]
        if sentence.rstrip().endswith(":") and not verbs.search(sentence):
            # "Within thirty (30) days of termination, X will: (a) … delete …": the lead-in and its items
            items = [item for item in passages.items[passage.index + 1 : passage.index + 5] if item.kind == "list_item"]
            if any(verbs.search(text, item.start, item.end) for item in items):
                passage = replace(passage, end=items[-1].end)
                sentence = text[passage.start : passage.end]
        if not verbs.search(sentence) or not (_TERMINATION.search(sentence) or closure.search(sentence)):
            continue
        evidence = passages.passage_evidence(passage)
        obligation = _obligation(verbs, sentence)
        obligations.append((obligation, evidence, candidate.relevance))
        for duration in find_durations(text, passage.start, passage.end):
            after = deadline_after.search(text[duration.end : passage.end])
            before = deadline_before.search(
                text[max(passage.start, duration.start - _DEADLINE_WINDOW) : duration.start]
            )
            if duration.days and not duration.business and (after or before):
                found.append((duration.days, evidence, candidate.relevance))
    if found:
        base = _resolve("deletion_on_termination_days", found, 0.65, "deletion.deadline_after_termination")
        obligation = next(item[0] for item in obligations if item[1] == base.evidence[0])
        return replace(base, value={"value": base.value, "obligation": obligation})
    if obligations:
        obligations.sort(key=lambda item: -item[2])
        value = {"value": None, "obligation": obligations[0][0]}
        return answered(
            "deletion_on_termination_days",
            value,
            [obligations[0][1]],
            0.55,
            "No deadline is stated.",
            rule="deletion.obligation_without_deadline",
        )
    return Answer.not_found("deletion_on_termination_days")


def _obligation(verbs: re.Pattern[str], sentence: str) -> str:
    """'delete', 'return or delete' …: what the vendor must do with the data, in the order the clause says it."""
    stems = {
        "delet": "delete",
        "destr": "destroy",
        "erase": "erase",
        "retur": "return",
        "deide": "deidentify",
        "de-id": "deidentify",
        "purge": "delete",
    }
    named: list[str] = []
    for match in verbs.finditer(sentence):
        word = stems.get(match.group(0).lower()[:5])
        if word and word not in named:
            named.append(word)
    return " or ".join(named)


def extract_transfer_mechanisms(passages: Passages, excluded: frozenset[int]) -> Answer:
    rules = lexicon()["clauses"]
    not_relied = pattern(rules["transfer_not_relied"])
    absent = pattern(rules["transfer_absent"])
    text = passages.document.text
    found: dict[str, Evidence] = {}
    for candidate in sorted(candidates(passages, "transfer_mechanism", excluded), key=lambda item: item.passage.index):
        passage = candidate.passage
        if not_relied.search(text, passage.start, passage.end):
            continue
        for name, source in rules["transfer_mechanisms"].items():
            if name in found:
                continue
            for mention in pattern(source, ignore_case=False).finditer(text, passage.start, passage.end):
                # "… not covered by an adequacy decision, … governed by the SCCs": the absence is the adequacy's own
                window = (max(passage.start, mention.start() - _ABSENT_BEFORE), min(passage.end, mention.end() + 12))
                if not absent.search(text, *window):
                    found[name] = passages.passage_evidence(passage)
                    break
    if not found:
        return Answer.not_found("transfer_mechanism")
    names = [name for name in rules["transfer_mechanisms"] if name in found]
    return answered(
        "transfer_mechanism", names, [found[name] for name in names], 0.75, rule="transfer.mechanism_relied_on"
    )
