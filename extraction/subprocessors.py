"""Sub-processors from tables, from lists under a sub-processor heading, and from prose that names several."""

from __future__ import annotations

import re
from functools import cache

from .answers import answered
from .lexicon import any_of, knowledge, lexicon
from .model import Answer, Evidence
from .normalise import (
    canonical_company,
    company_at_start,
    countries_in,
    countries_of_subdivisions,
    find_companies,
    find_entities,
)
from .passages import Passage, Passages
from .tables import Table, clean_cell

_CUE = re.compile(r"\bsub-?\s?processors?\b|\bsub-?\s?contractors?\b", re.I)
_LIST_INTRO = re.compile(
    r"\bsub-?\s?(?:processors?|contractors?)\b|\b(?:third|3rd)[-\s]part(?:y|ies)\b|\bpartners\b|\bservice\s+providers\b"
    r"|\bproviders\s+we\s+use\b|\bvendors\s+we\s+use\b"
    r"|\bthe\s+following\s+(?:\w+\s+){0,2}(?:companies|vendors|suppliers|services|providers|tools|processors)\b",
    re.I,
)
# Lower-case stems every _LIST_INTRO or _CUE match contains, for a fast first pass.
_INTRO_STEMS = ["sub", "third", "3rd", "partner", "provider", "vendor", "following"]
# The head of a "Name – purpose" / "Name: purpose" / "Name (Country)" entry: a short capitalised name.
_ENTRY_HEAD = re.compile(
    r"^(?P<name>[A-Z][\w.&'’+-]*(?:\s+(?:[A-Z0-9&][\w.&'’+-]*|of|and|for|de|la|du|von)){0,4})"
    r"(?=\s*(?:[:–—(]|\s-\s))"
)
MAX_LISTED = 2  # a name listed more often than this is the vendor writing about itself, not a provider
VENDOR_MENTIONS = 10  # ... as is a name the document repeats this often
_PROVIDERS_HEADING = re.compile(r"\b(?:third|3rd)[-\s]part(?:y|ies)\b|\bservice\s+providers\b", re.I)
_LIST_MARKER = re.compile(r"^\s*(?:>\s*)?(?:[-*•●○▪◦‣·]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s+")
_CUE_STEMS = ["subprocessor", "sub-processor", "sub processor", "subcontractor", "sub-contractor", "sub contractor"]
_PURPOSE_SPLIT = re.compile(r"\s*(?:[:–—]|\s-\s|\bfor\b)\s*")
_GENERIC = re.compile(r"^(?:name|n/a|none|tbd|varies|-+|the|we|our|you|your|this|these|all|note|other)$", re.I)
_TERMINAL = re.compile(r"[.!?;:]\s*$")
MIN_NAMES_IN_PROSE = 2


def _entry(name: str, country: str | None, purpose: str | None) -> dict:
    return {"name": canonical_company(name), "listed_as": name, "country": country, "purpose": purpose or None}


def _from_tables(
    passages: Passages, tables: list[Table], excluded: frozenset[int]
) -> tuple[list[dict], list[Evidence]]:
    """Rows of tables whose columns hold names and a location or purpose: roles from the headers, and where a
    header says nothing known, from the contents (the column whose cells name countries; the column whose cells
    open with companies)."""
    headers = lexicon()["subprocessor_tables"]
    rows: list[dict] = []
    evidence: list[Evidence] = []
    for table in tables:
        ignored = table.column(headers["ignored_country_headers"])
        name_column = table.column(headers["name_headers"])
        country_column = table.column(headers["country_headers"], headers["ignored_country_headers"])
        if name_column is None:
            name_column = _column_by_content(table, lambda cell: company_at_start(cell) is not None, {ignored})
        if country_column is None and name_column is not None:
            country_column = _column_by_content(table, lambda cell: bool(countries_in(cell)), {name_column, ignored})
        if country_column is None and ignored is not None:
            country_column = ignored  # the corporate location, when it is the only location the table gives
        purpose_column = table.column(headers["purpose_headers"])
        if name_column is None and _LIST_INTRO.search(table.heading):  # "Brightpath | Hosting | Sweden"
            name_column = _column_by_content(table, _name_like, {country_column, purpose_column, ignored}, True)
            if country_column is None and name_column is not None:
                country_column = _column_by_content(table, lambda cell: bool(countries_in(cell)), {name_column})
        if name_column is None or (country_column is None and purpose_column is None):
            continue
        names = [row.cell(name_column) for row in table.rows if row.cell(name_column)]
        if len(names) >= 3 and len(set(names)) == 1:
            continue  # one name on every row (the vendor's own, as "processor" of each activity): no list
        for row in table.rows:
            name = _name_without_address(row.cell(name_column))
            if not name or _GENERIC.match(name) or row.passage.index in excluded:
                continue
            country = _where(row.cell(country_column)) if country_column is not None else None
            purpose = row.cell(purpose_column) if purpose_column is not None else None
            rows.append(_entry(name, country, purpose))
            evidence.append(passages.evidence(row.start, row.end))
    return rows, evidence


def _column_by_content(table: Table, holds, skip: set, leftmost: bool = False) -> int | None:
    """The column whose cells mostly (at least 60 %, two or more) satisfy `holds`: the one where most do, or the
    first such column when `leftmost`."""
    best, best_share = None, 0.0
    for column in range(len(table.header)):
        if column in skip:
            continue
        cells = [row.cell(column) for row in table.rows if row.cell(column)]
        share = sum(bool(holds(cell)) for cell in cells) / len(cells) if len(cells) >= 2 else 0.0
        if share >= 0.6 and share > best_share:
            best, best_share = column, share
            if leftmost:
                break
    return best


_NAME_LIKE = re.compile(r"^[A-Z0-9][\w.&'’+-]*(?:[ ,]+[\w.&'’+()-]+){0,5}$")


def _name_like(cell: str) -> bool:
    """A cell that reads as a name: a short capitalised phrase that is no sentence, place or generic word. Only
    asked of the cells of a table headed as the sub-processors or providers used, whose name column says nothing."""
    return bool(_NAME_LIKE.match(cell)) and not countries_in(cell) and not _GENERIC.match(cell)


_ADDRESS = re.compile(r",\s*(?=[^,]*\d)")


def _name_without_address(cell: str) -> str:
    """A name cell that goes on with a postal address ("Larkspur SAS, 12 rue …"): the company, not the street."""
    company = company_at_start(cell)
    if company and _ADDRESS.match(cell, company[1]):
        return cell[company[0] : company[1]]
    cut = _ADDRESS.search(cell)
    return cell[: cut.start()] if cut and cut.start() > 2 else cell


def _from_lists(passages: Passages, excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    """Entries that open with a company, below an introduction or a heading that speaks of sub-processors or of
    the third parties, partners or providers the vendor uses: list items, and lines that stand alone as an
    entry ("Amazon Web Services, Inc. Cloud hosting United States"). A list item may also open with a name the
    gazetteer does not know, when a dash, colon or bracket closes it ("Kestrel – support")."""
    found: list[tuple[dict, Evidence, int, bool]] = []  # entry, its proof, its list, whether it is trusted alone
    introduced = announced = False  # by any introduction; by one that names sub-processors
    run = 0  # which list: a passage that is no entry ends one
    intro_candidates = set(passages.containing(_INTRO_STEMS))
    for passage in passages:
        text = passages.text(passage)
        under_heading, named_heading, unknown_heads, _ = _section(passages, passage)
        introduces = (  # "1. … we use AI sub-processors from the following model vendors:" over its sub-items
            passage.kind == "list_item"
            and text.rstrip(" *_").endswith(":")
            and passage.index in intro_candidates
            and _LIST_INTRO.search(text)
        )
        entry_like = (passage.kind == "list_item" and not introduces) or (
            under_heading and passage.kind == "sentence" and len(text) < 200 and not _TERMINAL.search(text)
        )
        if not entry_like:
            run += 1
            short = passage.kind == "sentence" and len(text) < 40 and not introduces
            maybe = passage.index in intro_candidates  # only these can introduce a list: skip the rest cheaply
            introduced = bool(maybe and _LIST_INTRO.search(text)) or (introduced and short)
            announced = bool(maybe and _CUE.search(text)) or (announced and short)
            continue
        if not (introduced or under_heading) or passage.index in excluded:
            continue
        item = _LIST_MARKER.sub("", text, count=1)
        company = company_at_start(item)
        known = company is not None or named_heading
        if (
            company is None
            and (passage.kind == "list_item" and announced or unknown_heads)
            and (head := _ENTRY_HEAD.match(clean_cell(item)))
        ):
            name = head.group("name")
            if not _GENERIC.match(name) and not _LIST_INTRO.search(name):
                start = item.find(name.split()[0])
                company = (start, start + len(name)) if item[start : start + len(name)] == name else None
        if company is None:
            continue
        rest = clean_cell(item[company[1] :])
        parts = [part for part in _PURPOSE_SPLIT.split(rest, maxsplit=1) if part]
        purpose = parts[-1] if parts and (len(parts) > 1 or not countries_in(parts[0])) else None
        entry = _entry(clean_cell(item[company[0] : company[1]]), _where(rest), purpose)
        found.append((entry, passages.passage_evidence(passage), run, known))
    # A name the gazetteer does not know counts in a list that also names a known provider (or under a
    # sub-processor heading): a numbered list of measures ("5. Personnel Security: …") names none.
    trusted_runs = {run for _, _, run, known in found if known}
    kept = [(entry, proof) for entry, proof, run, known in found if known or run in trusted_runs]
    return _without_vendor(passages.document.text, [entry for entry, _ in kept], [proof for _, proof in kept])


def _without_vendor(
    text: str, rows: list[dict], evidence: list[Evidence], max_listed: int | None = MAX_LISTED
) -> tuple[list[dict], list[Evidence]]:
    """The vendor is not its own sub-processor: a name that opens many entries, or that the document repeats
    throughout, is the vendor speaking of itself ("Retool will …"). Its named affiliates stay."""
    listed: dict[str, int] = {}
    for row in rows:
        listed[row["listed_as"]] = listed.get(row["listed_as"], 0) + 1
    vendor = {
        name
        for name, count in listed.items()
        if (max_listed is not None and count > max_listed)
        or len(re.findall(rf"\b{re.escape(name)}\b", text)) >= VENDOR_MENTIONS
    }
    defined = _defined_parties(text) if rows else set()
    main = _most_named(text) if rows and not defined else None  # a vendor that names itself is known
    vendor |= defined
    kept = [
        (row, proof)
        for row, proof in zip(rows, evidence)
        if row["listed_as"] not in vendor
        and row["name"] not in vendor
        and not (row["name"] == main and len(row["listed_as"].split()) <= len(main.split()) + 1)
    ]
    return [row for row, _ in kept], [proof for _, proof in kept]


_FIELD = re.compile(r"^[ \t•*-]*(?P<key>[A-Za-z][A-Za-z /-]{1,40}?)\s*:\s*(?P<value>\S.*)$", re.M)


def _from_records(passages: Passages, excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    """Entries written as fields ("Name: …", "Purpose: …", "Location: …") in a section about sub-processors."""
    headers = lexicon()["subprocessor_tables"]
    roles = {
        "name": headers["name_headers"],
        "country": headers["country_headers"],
        "purpose": headers["purpose_headers"],
    }
    rows: list[dict] = []
    evidence: list[Evidence] = []
    current: dict | None = None
    for passage in passages:
        if passage.kind == "table_row" or passage.index in excluded:
            continue
        if passage.kind != "heading" and ":" not in passages.lowered[passage.index]:
            continue  # no field on this line
        text = passages.text(passage)
        if not (_section(passages, passage)[2] or _CUE.search(text)):
            continue
        if passage.kind == "heading":  # "### Amazon Web Services" under "## Sub-processors": an entry's title
            text = text.lstrip("#*_ ")
            company = company_at_start(text)
            if company and not text[company[1] :].strip(" :*_#"):
                current = _entry(clean_cell(text[company[0] : company[1]]), None, None)
                rows.append(current)
                evidence.append(passages.passage_evidence(passage))
            else:
                current = None
            continue
        for field in _FIELD.finditer(text):
            key, value = field["key"].strip().lower(), clean_cell(field["value"])
            role = next((role for role, names in roles.items() if key in names), None)
            if role == "name":
                current = _entry(_name_without_address(value), None, None)
                rows.append(current)
                evidence.append(passages.evidence(passage.start + field.start(), passage.start + field.end()))
            elif role and current is not None and not current[role]:
                current[role] = _where(value) if role == "country" else value
                evidence[-1] = passages.evidence(evidence[-1].start, passage.start + field.end())
    return rows, evidence


# A party that defines its short name: 'Kestrel Labs GmbH ("Kestrel", "we")'.
_DEFINITION = re.compile(
    r"(?P<name>(?:[A-Z0-9][\w&.'’-]*,?\s+){0,5}[A-Z0-9][\w&.'’-]*)\s*\(\s*(?:hereinafter\s+)?(?:the\s+)?"
    r"[\"“](?P<short>[^\"”]{1,40})[\"”](?P<more>[^)]{0,80})\)"
)
_FIRST_PERSON = re.compile(r"\b(?:we|us|our)\b", re.I)
OPENING_CHARS = 2000  # a party defined this early, with its legal form, is the one the document speaks for


def _defined_parties(text: str) -> set[str]:
    """The vendor as a document introduces itself: a company that defines its short name as "we", or one with a
    legal form and a short name defined in the opening (not a provider the gazetteer knows: a page may open by
    naming its host, 'Amazon Web Services, Inc. ("AWS")')."""
    parties: set[str] = set()
    for match in _DEFINITION.finditer(text):
        entities = find_entities(match["name"])
        if not entities:
            continue
        start, end, name = entities[-1]
        speaks_for_itself = _FIRST_PERSON.search(match["short"] + match["more"])
        if speaks_for_itself or (
            match.start() < OPENING_CHARS and not find_companies(match["name"]) and end == len(match["name"])
        ):
            parties |= {name, match["name"][start:end], canonical_company(match["short"]), match["short"]}
    return parties


def _most_named(text: str) -> str | None:
    """The company a document names far more than any other (three times or more, twice the next): the vendor
    writing about itself. Its affiliates ("GitHub Germany GmbH") are other names and stay."""
    counts: dict[str, int] = {}
    for _, _, name in find_companies(text):
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.values(), reverse=True) + [0]
    top = max(counts, key=counts.get, default=None)
    return top if top is not None and ranked[0] >= 3 and ranked[0] >= 2 * ranked[1] else None


@cache
def _section_flags(path: tuple[str, ...]) -> tuple[bool, bool, bool, bool]:
    """For the headings above a passage: (one of the last three introduces providers, the nearest names
    sub-processors, one of the last three names sub-processors, any names sub-processors or the nearest names the
    third parties or service providers used)."""
    if any(_denial().search(title) for title in path):
        return False, False, False, False  # "Things that are not sub-processors"
    nearest = path[-1] if path else ""
    named = bool(_CUE.search(nearest))
    named_above = named or any(_CUE.search(title) for title in path)  # "Sub-processors › Infrastructure"
    recent = path[-3:]
    providers = _PROVIDERS_HEADING.search(nearest) or _sharing_heading().search(nearest)
    return (
        any(_LIST_INTRO.search(title) for title in recent),
        named,
        named or any(_CUE.search(title) for title in recent),
        named_above or bool(providers),
    )


@cache
def _sharing_heading() -> re.Pattern[str]:
    return any_of(lexicon()["subprocessor_prose"]["sharing_headings"])


@cache
def _announces() -> re.Pattern[str]:
    return any_of(lexicon()["subprocessor_prose"]["announces"])


def _section(passages: Passages, passage) -> tuple[bool, bool, bool, bool]:
    return _section_flags(passages.heading_path(passage))


def _headed(passages: Passages, passage) -> bool:
    """The passage's own section is headed as the sub-processors, or the third parties or service providers used."""
    return _section(passages, passage)[3]


OPENING_PASSAGES = 3  # how far into a section its opening sentence may come, counting sentences of prose
SHORT_LINE = 40


def _introduced(passages: Passages) -> frozenset[int]:
    """Passages of a section whose opening sentence announces its sub-processors, from that sentence to the end of
    the section, its sub-sections included: a page that says "we engage the sub-processors below" and then
    describes each in a paragraph, with no heading that says so."""
    introduced: set[tuple[str, ...]] = set()
    seen: dict[tuple[str, ...], int] = {}
    found: set[int] = set()
    cues = set(passages.containing(_INTRO_STEMS))
    for passage in passages:
        path = passages.heading_path(passage)
        if any(path[:depth] in introduced for depth in range(len(path) + 1)):
            if not any(_denial().search(title) for title in path):
                found.add(passage.index)
            continue
        text = passages.text(passage)
        if passage.kind == "heading" or len(text) < SHORT_LINE:
            continue  # a date, a page number or a running footer is not the section's opening
        seen[path] = seen.get(path, 0) + 1
        opening = seen[path] <= OPENING_PASSAGES and passage.index in cues
        if opening and _LIST_INTRO.search(text) and _announces().search(text):
            introduced.add(path)
            found.add(passage.index)
    return frozenset(found)


def _from_prose(passages: Passages, excluded: frozenset[int]) -> tuple[list[dict], list[Evidence]]:
    """Providers named in sentences that say (or follow an introduction that says) they are sub-processors
    (several known ones in one sentence), or in a section that sits under a sub-processor heading (any number, any
    company) or is headed as the third parties or service providers used (two or more in the section). A sentence
    that names one provider gives it the places named after it ("… runs on Hetzner in Nuremberg, Germany")."""
    mentions = set(passages.containing(_CUE_STEMS))
    mentions |= {index + 1 for index in mentions if index + 1 < len(passages)}
    scoped = _introduced(passages)
    mentions |= {
        passage.index
        for passage in passages
        if passage.kind == "sentence" and (passage.index in scoped or _headed(passages, passage))
    }
    sections: dict[tuple[str, ...], list[tuple[Passage, list]]] = {}
    for index in sorted(mentions):
        passage = passages.items[index]
        text = passages.text(passage)
        before = passages.text(passages.items[passage.index - 1]).rstrip() if passage.index else ""
        introduced = before.endswith(":") and _CUE.search(before)
        in_scope = passage.index in scoped
        headed = in_scope or _headed(passages, passage)
        if passage.kind == "table_row" or passage.index in excluded or not (_CUE.search(text) or introduced or headed):
            continue
        companies = find_entities(text, everyday_words=True) if headed else find_companies(text)
        if len({name for _, _, name in companies}) >= MIN_NAMES_IN_PROSE or (companies and headed):
            section = (
                ("introduced",) if in_scope else passages.heading_path(passage) if headed else (f"passage {index}",)
            )
            sections.setdefault(section, []).append((passage, companies))
    rows: list[dict] = []
    evidence: list[Evidence] = []
    for section, found in sections.items():
        names = {name for _, companies in found for _, _, name in companies}
        if len(names) < MIN_NAMES_IN_PROSE and not (section == ("introduced",) or any(map(_CUE.search, section))):
            continue
        for items in _by_paragraph(found):
            paragraph = passages.blocks[items[0][0].block] if items[0][0].block >= 0 else None
            text = passages.document.text
            whole = text[paragraph.start : paragraph.end] if paragraph else passages.text(items[0][0])
            if _denial().search(whole):
                continue  # "… is your provider and not a sub-processor. The same is true for …"
            head = _entry_head(passages, items[0][0])
            if head is not None:  # "Google Cloud (Google LLC). Our production runs in Iowa …": one entry
                rows.append(_entry(text[head[0] : head[1]], _where(text[head[1] : paragraph.end]), None))
                evidence += [passages.passage_evidence(passage) for passage, _ in items]
                continue
            for passage, companies in items:
                sentence = passages.text(passage)
                for start, end, places in _placed(sentence, companies):
                    rows.append(_entry(sentence[start:end], places, None))
                    evidence.append(passages.passage_evidence(passage))
    rows, evidence = _without_vendor(passages.document.text, rows, evidence, max_listed=None)  # named often
    return _one_per_name(rows, evidence)


_CLAUSE_END = re.compile(r";\s+")


def _placed(sentence: str, companies: list) -> list[tuple[int, int, str | None]]:
    """Each company a sentence names with where it processes, clause by clause (a semicolon ends one): the places
    after a clause's only company ("AWS, which hosts us in Sydney, Australia;"), or after the last of several when
    no place comes between them ("OpenAI, Cohere and Stripe process information in the United States")."""
    placed = []
    clause_start = 0
    for clause_end in [match.start() for match in _CLAUSE_END.finditer(sentence)] + [len(sentence)]:
        named = [(start, end, name) for start, end, name in companies if clause_start <= start < clause_end]
        if named:
            last_end = max(end for _, end, _ in named)
            between = _where(sentence[named[0][1] : last_end])
            after = _where(sentence[last_end:clause_end])
            if not between or len({name for _, _, name in named}) == 1:
                placed += [(start, end, after) for start, end, _ in named]
            else:  # "hosting by X in Sweden, e-mail through Y (Ireland)": each the places up to the next company
                ends = [start for start, _, _ in named[1:]] + [clause_end]
                placed += [(start, end, _where(sentence[end:until])) for (start, end, _), until in zip(named, ends)]
        clause_start = clause_end
    return placed


def _where(text: str) -> str | None:
    """The places a text names, the regions left out when it names a country in them ("its EU region in Germany");
    a cell that names only a province or state gives its country ("Frosinone": Italy)."""
    places = countries_in(text) or countries_of_subdivisions(text)
    countries = [place for place in places if place not in _regions()]
    return ", ".join(countries or places) or None


@cache
def _regions() -> frozenset[str]:
    return frozenset(knowledge("countries")["regions"].values())


@cache
def _denial() -> re.Pattern[str]:
    return any_of(lexicon()["subprocessor_prose"]["denials"])


def _by_paragraph(found: list[tuple[Passage, list]]) -> list[list[tuple[Passage, list]]]:
    """Passages with the companies they name, grouped by the paragraph they belong to, in order."""
    groups: list[list[tuple[Passage, list]]] = []
    for item in found:
        if groups and groups[-1][0][0].block == item[0].block >= 0:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


_TITLE_END = re.compile(r"[ \t*_]*(?:$|[.:–—(|]|\s-\s)")


def _entry_head(passages: Passages, passage: Passage) -> tuple[int, int] | None:
    """The span of the company a paragraph is titled with ("**MongoDB, Inc.** We use …", "Hetzner – hosting"): a
    company that opens the paragraph and is closed by a full stop, colon, dash or bracket. A paragraph that opens
    with a company as the subject of its sentence ("Stripe processes …") has no title."""
    if passage.block < 0 or passage.start > passages.blocks[passage.block].start + 3:
        return None
    text = passages.text(passage)
    company = company_at_start(text)
    if company is None:
        return None
    closed_by_its_suffix = text[company[1] - 1] == "." and text[company[1] : company[1] + 2].strip()[:1].isupper()
    if not (_TITLE_END.match(text, company[1]) or closed_by_its_suffix):  # "OpenAI, L.L.C. Generates …"
        return None
    return passage.start + company[0], passage.start + company[1]


def _one_per_name(rows: list[dict], evidence: list[Evidence]) -> tuple[list[dict], list[Evidence]]:
    """Prose names a provider again and again ("Amazon Web Services … AWS also stores …"): one entry per company,
    the first that says where, every mention its evidence."""
    chosen: dict[str, dict] = {}
    for row in rows:
        if row["name"] not in chosen or (row["country"] and not chosen[row["name"]]["country"]):
            chosen[row["name"]] = row
    return list(chosen.values()), evidence


def extract_subprocessors(passages: Passages, tables: list[Table], excluded: frozenset[int]) -> Answer:
    """Tables are the surest source; lists and prose are read only when the document has no table."""
    rows, evidence = _from_tables(passages, tables, excluded)
    confidence, rule = 0.9, "subprocessors.table_columns"
    if not rows:
        rows, evidence = _from_records(passages, excluded)
        confidence, rule = 0.8, "subprocessors.records_with_fields"
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
