"""Sub-processors from tables, from lists under a sub-processor heading, and from prose that names several."""

from __future__ import annotations

import re

from .answers import answered
from .lexicon import lexicon
from .model import Answer, Evidence
from .normalise import canonical_company, company_at_start, countries_in, find_companies
from .passages import Passages
from .tables import Table, clean_cell

_CUE = re.compile(r"\bsub-?\s?processors?\b|\bsub-?\s?contractors?\b", re.I)
_LIST_INTRO = re.compile(
    r"\bsub-?\s?(?:processors?|contractors?)\b|\b(?:third|3rd)[-\s]part(?:y|ies)\b|\bpartners\b|\bservice\s+providers\b"
    r"|\bproviders\s+we\s+use\b|\bvendors\s+we\s+use\b", re.I)
# The head of a "Name – purpose" / "Name: purpose" / "Name (Country)" entry: a short capitalised name.
_ENTRY_HEAD = re.compile(
    r"^(?P<name>[A-Z][\w.&'’+-]*(?:\s+(?:[A-Z0-9&][\w.&'’+-]*|of|and|for|de|la|du|von)){0,4})"
    r"(?=\s*(?:[:–—(]|\s-\s))")
MAX_LISTED = 2  # a name listed more often than this is the vendor writing about itself, not a provider
VENDOR_MENTIONS = 10  # ... as is a name the document repeats this often
_LIST_MARKER = re.compile(r"^\s*(?:>\s*)?(?:[-*•●○▪◦‣·]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s+")
_CUE_STEMS = ["subprocessor", "sub-processor", "sub processor", "subcontractor", "sub-contractor", "sub contractor"]
_PURPOSE_SPLIT = re.compile(r"\s*(?:[:–—]|\s-\s|\bfor\b)\s*")
_GENERIC = re.compile(r"^(?:name|n/a|none|tbd|varies|-+|the|we|our|you|your|this|these|all|note|other)$", re.I)
_TERMINAL = re.compile(r"[.!?;:]\s*$")
MIN_NAMES_IN_PROSE = 2


def _entry(name: str, country: str | None, purpose: str | None) -> dict:
    return {"name": canonical_company(name), "listed_as": name, "country": country, "purpose": purpose or None}


def _from_tables(passages: Passages, tables: list[Table], excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    headers = lexicon()["subprocessor_tables"]
    rows: list[dict] = []
    evidence: list[Evidence] = []
    for table in tables:
        name_column = table.column(headers["name_headers"])
        country_column = table.column(headers["country_headers"], headers["ignored_country_headers"])
        purpose_column = table.column(headers["purpose_headers"])
        if name_column is None or (country_column is None and purpose_column is None):
            continue
        names = [row.cell(name_column) for row in table.rows if row.cell(name_column)]
        if len(names) >= 3 and len(set(names)) == 1:
            continue  # one name on every row (the vendor's own, as "processor" of each activity): no list
        for row in table.rows:
            name = row.cell(name_column)
            if not name or _GENERIC.match(name) or row.passage.index in excluded:
                continue
            countries = countries_in(row.cell(country_column)) if country_column is not None else []
            purpose = row.cell(purpose_column) if purpose_column is not None else None
            rows.append(_entry(name, ", ".join(countries) or None, purpose))
            evidence.append(passages.evidence(row.start, row.end))
    return rows, evidence


def _from_lists(passages: Passages, excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    """Entries that open with a company, below an introduction or a heading that speaks of sub-processors or of
    the third parties, partners or providers the vendor uses: list items, and lines that stand alone as an
    entry ("Amazon Web Services, Inc. Cloud hosting United States"). A list item may also open with a name the
    gazetteer does not know, when a dash, colon or bracket closes it ("Kestrel – support")."""
    found: list[tuple[dict, Evidence, int, bool]] = []  # entry, its proof, its list, whether it is trusted alone
    introduced = announced = False  # by any introduction; by one that names sub-processors
    run = 0  # which list: a passage that is no entry ends one
    for passage in passages:
        text = passages.text(passage)
        heading = (passages.heading_path(passage) or ("",))[-1]  # the section the entry sits in, not a parent's
        under_heading = bool(_LIST_INTRO.search(heading))
        named_heading = bool(_CUE.search(heading))
        entry_like = passage.kind == "list_item" or (under_heading and passage.kind == "sentence" and len(text) < 200
                                                      and not _TERMINAL.search(text))
        if not entry_like:
            run += 1
            short = passage.kind == "sentence" and len(text) < 40
            introduced = bool(_LIST_INTRO.search(text)) or (introduced and short)
            announced = bool(_CUE.search(text)) or (announced and short)
            continue
        if not (introduced or under_heading) or passage.index in excluded:
            continue
        item = _LIST_MARKER.sub("", text, count=1)
        company = company_at_start(item)
        known = company is not None or named_heading
        if company is None and (passage.kind == "list_item" and announced or named_heading) \
                and (head := _ENTRY_HEAD.match(clean_cell(item))):
            name = head.group("name")
            if not _GENERIC.match(name) and not _LIST_INTRO.search(name):
                start = item.find(name.split()[0])
                company = (start, start + len(name)) if item[start:start + len(name)] == name else None
        if company is None:
            continue
        rest = clean_cell(item[company[1]:])
        parts = [part for part in _PURPOSE_SPLIT.split(rest, maxsplit=1) if part]
        purpose = parts[-1] if parts and (len(parts) > 1 or not countries_in(parts[0])) else None
        entry = _entry(clean_cell(item[company[0]:company[1]]), ", ".join(countries_in(rest)) or None, purpose)
        found.append((entry, passages.passage_evidence(passage), run, known))
    # A name the gazetteer does not know counts in a list that also names a known provider (or under a
    # sub-processor heading): a numbered list of measures ("5. Personnel Security: …") names none.
    trusted_runs = {run for _, _, run, known in found if known}
    kept = [(entry, proof) for entry, proof, run, known in found if known or run in trusted_runs]
    return _without_vendor(passages.document.text, [entry for entry, _ in kept], [proof for _, proof in kept])


def _without_vendor(text: str, rows: list[dict], evidence: list[Evidence],
                    max_listed: int | None = MAX_LISTED) -> tuple[list[dict], list[Evidence]]:
    """The vendor is not its own sub-processor: a name that opens many entries, or that the document repeats
    throughout, is the vendor speaking of itself ("Retool will …"). Its named affiliates stay."""
    listed: dict[str, int] = {}
    for row in rows:
        listed[row["listed_as"]] = listed.get(row["listed_as"], 0) + 1
    vendor = {name for name, count in listed.items()
              if (max_listed is not None and count > max_listed) or len(re.findall(rf"\b{re.escape(name)}\b", text)) >= VENDOR_MENTIONS}
    kept = [(row, proof) for row, proof in zip(rows, evidence) if row["listed_as"] not in vendor]
    return [row for row, _ in kept], [proof for _, proof in kept]


def _headed(passages: Passages, passage) -> bool:
    """The passage's own section is headed as the sub-processors."""
    path = passages.heading_path(passage)
    return bool(path) and bool(_CUE.search(path[-1]))


def _from_prose(passages: Passages, excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    """Known providers named in sentences that say (or follow an introduction that says) they are sub-processors:
    several in one sentence, or any number in a section headed as the sub-processors."""
    rows: list[dict] = []
    evidence: list[Evidence] = []
    mentions = set(passages.containing(_CUE_STEMS))
    mentions |= {index + 1 for index in mentions if index + 1 < len(passages)}
    mentions |= {passage.index for passage in passages if passage.kind == "sentence" and _headed(passages, passage)}
    for index in sorted(mentions):
        passage = passages.items[index]
        text = passages.text(passage)
        before = passages.text(passages.items[passage.index - 1]).rstrip() if passage.index else ""
        introduced = before.endswith(":") and _CUE.search(before)
        headed = _headed(passages, passage)
        if passage.kind == "table_row" or passage.index in excluded or not (_CUE.search(text) or introduced or headed):
            continue
        companies = find_companies(text)
        if len({name for _, _, name in companies}) < (1 if headed else MIN_NAMES_IN_PROSE):
            continue
        for start, end, _ in companies:
            rows.append(_entry(text[start:end], None, None))
        evidence.append(passages.passage_evidence(passage))
    return _without_vendor(passages.document.text, rows, evidence, max_listed=None)  # prose names a provider often


def extract_subprocessors(passages: Passages, tables: list[Table], excluded: frozenset[int]) -> Answer:
    """Tables are the surest source; lists and prose are read only when the document has no table."""
    rows, evidence = _from_tables(passages, tables, excluded)
    confidence, rule = 0.9, "subprocessors.table_columns"
    if not rows:
        rows, evidence = _from_lists(passages, excluded)
        confidence, rule = 0.75, "subprocessors.entries_under_heading_or_introduction"
    if not rows:
        rows, evidence = _from_prose(passages, excluded)
        confidence, rule = 0.6, "subprocessors.providers_named_in_prose"
    if not rows:
        return Answer.not_found("subprocessors")
    unique = list({(row["name"], row["country"], row["purpose"]): row for row in rows}.values())
    return answered("subprocessors", unique, evidence, confidence, rule=rule)
