"""Company names and countries as sub-processor lists write them, brought to one form each.

The knowledge is in YAML a reviewer can read and extend: knowledge/providers.yaml (companies
vendors often name, with their legal names and spellings) and knowledge/countries.yaml (what
pycountry does not know: "USA", "Holland", "EU", "Global Edge"). Both are loaded once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pycountry
from rapidfuzz import fuzz, process

from .lexicon import knowledge

# fuzz.ratio between names stripped of case, spaces and punctuation, and only between names with
# the same number of words. 92 lets one typo through in a name of seven letters or more
# ("Twillio", "Cloudfare", "Atlasian", "Amazon Web Service") and none in a shorter name, where a
# letter more or less is usually another company (Clerk/Clerky, Groq/Grok, Heap/Hex, Plaid/Plain).
_FUZZY_CUTOFF = 92

_EDGES = " \t.,;:*•·–—-\"'“”‘’"
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([^\w\s])")
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|__|`")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_ALSO_KNOWN_AS = re.compile(
    r"(?:^|\s*,\s*|\s+)(?:d/b/a|d\.b\.a\.?|dba|a/k/a|a\.k\.a\.?|aka|f/k/a|fka|formerly(?: known as)?"
    r"|also known as|trading as|t/a)\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# A two-letter ISO code counts only as a whole item of a list: "DE", "US, GB", "DE / FR", "US and
# GB"; not the end of a reference such as "Directive 95/46/EC". Three-letter codes are left out:
# prose is full of acronyms that are also ones (TLS, VAT, PAN, MAC).
_LISTED_CODE = re.compile(
    r"(?:^|(?<=[,;/|&+()\[\]\n])|(?<=\band )|(?<=\bor ))(?<!\d/)\s*([A-Z]{2})"
    r"(?=\s*(?:$|[,;/|&+()\[\]\n])|\s+(?:and|or)\b)"
)


@dataclass(frozen=True)
class _Gazetteer:
    canonical: dict[str, str]  # key of every name and alias -> canonical name
    keys_by_word_count: dict[int, list[str]]  # fuzzy choices, grouped so fuzzy never adds a word
    legal_suffix: re.Pattern[str]  # a legal suffix closing a name
    in_prose: re.Pattern[str]
    entity: re.Pattern[str]  # capitalised words closed by a legal suffix: "Blue Harbor Labelling Ltd"
    # Everyday-word names ("Stripe", "Segment") where an entry opens with them: a list item's or a cell's head.
    word_at_start: re.Pattern[str]
    word_in_prose: re.Pattern[str]  # the same names anywhere in a text, as whole words


@dataclass(frozen=True)
class _Places:
    labels: dict[str, str]  # key of a country or region name -> label
    codes: dict[str, str]  # ISO alpha-2 code -> label
    names: re.Pattern[str]
    subdivisions: dict[str, str]  # a subdivision's name as written -> its country's label
    subdivision_names: re.Pattern[str]


def canonical_company(name: str) -> str:
    """The gazetteer's name for a company as a vendor wrote it, else the name without legal noise.

    Exact first (case, spacing, punctuation and legal suffixes ignored), then a fuzzy match that
    corrects spelling but never adds a word, so "GitHub Germany GmbH", a separate legal entity,
    stays "GitHub Germany" while "GitHub, Inc." becomes "GitHub".
    """
    gazetteer = _gazetteer()
    names = _names(name, gazetteer.legal_suffix)
    if not names:
        return _tidy(name)
    # "Microsoft (Azure)" and "Twilio (SendGrid)" name a product of the company in brackets.
    joined = [f"{names[0]} {names[1]}"] if len(names) > 1 else []
    for candidate in joined + names:
        if found := gazetteer.canonical.get(_key(candidate)):
            return found
    for candidate in names:
        key = _key(candidate)
        choices = gazetteer.keys_by_word_count.get(len(_WORD.findall(candidate)), [])
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        # A known name with letters added is a new name (Replicated, Frontegg), not a typo.
        if hit and not key.startswith(hit[0]):
            return gazetteer.canonical[hit[0]]
    return names[0]


def find_companies(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each known company named in prose, in text order.

    A name counts with its first letter as written ("openai" in a URL does not) and, when it is
    an everyday word ("Front", "Slack"), only with a legal suffix ("Front, Inc."). A legal suffix
    after any name belongs to the span.
    """
    gazetteer = _gazetteer()
    return [
        (match.start(), match.end(), gazetteer.canonical[_key(match["name"] or match["word"])])
        for match in gazetteer.in_prose.finditer(text)
    ]


def find_entities(text: str, *, everyday_words: bool = False) -> list[tuple[int, int, str]]:
    """Known companies (as find_companies) and any capitalised name closed by a legal suffix ("Kestrel Hosting
    GmbH"), in text order, each span once: who a sentence names as a company. With `everyday_words`, for text
    already known to list providers, known names that are everyday words count too ("chat happens in Slack"),
    except as the sentence's first word ("Remote access …")."""
    gazetteer = _gazetteer()
    found = find_companies(text)

    def free(match: re.Match) -> bool:
        return not any(start < match.end() and match.start() < end for start, end, _ in found)

    found += [(m.start(), m.end(), canonical_company(m[0])) for m in gazetteer.entity.finditer(text) if free(m)]
    if everyday_words:
        opening = len(text) - len(text.lstrip(_EDGES + "[("))
        words = gazetteer.word_in_prose.finditer(text, opening + 1)
        found += [(m.start(), m.end(), gazetteer.canonical[_key(m["word"])]) for m in words if free(m)]
        found += [(m.start(), m.end(), canonical_company(m[0])) for m in _placed_names(text) if free(m)]
    return sorted(found)


_PLACED_NAME = re.compile(r"(?<![\w.])[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}(?=\s*\((?P<place>[^()]{2,40})\))")


def _placed_names(text: str) -> list[re.Match]:
    """Capitalised names followed by where they are ("Calyx Mail (Ireland)"), in text known to list providers:
    a name the gazetteer does not know, placed as an entry is. Places themselves ("Frankfurt (Germany)") are not."""
    return [
        match
        for match in _PLACED_NAME.finditer(text)
        if countries_in(match["place"]) and not countries_in(match[0]) and match.start() > 0
    ]


def company_at_start(text: str) -> tuple[int, int] | None:
    """The span of the company a list item or cell opens with: a known company (also one whose name is an
    everyday word, which in an entry's head is a name), or any capitalised name closed by a legal suffix
    ("Kestrel Support Services Pvt Ltd"). None when it opens otherwise."""
    gazetteer = _gazetteer()
    lead = len(text) - len(text.lstrip(_EDGES + "[("))
    for regex in (gazetteer.entity, gazetteer.in_prose, gazetteer.word_at_start):
        if match := regex.match(text, lead):
            return match.start(), match.end()
    return None


def countries_in(text: str) -> list[str]:
    """The countries and regions a location cell or phrase names, in order, each once.

    Countries come out as pycountry's common name ("United States", "South Korea"), regions as
    their label in countries.yaml ("EU", "Global"). Two-letter codes count only in capitals and as
    whole list items, so "in", "it" or "IT systems" in prose are not India or Italy.
    """
    places = _places()
    found = [(match.start(), places.labels[_key(match[0])]) for match in places.names.finditer(text)]
    named = {start for start, _ in found}
    found += [
        (match.start(1), places.codes[match[1]])
        for match in _LISTED_CODE.finditer(text)
        if match[1] in places.codes and match.start(1) not in named
    ]
    return list(dict.fromkeys(label for _, label in sorted(found)))


def countries_of_subdivisions(text: str) -> list[str]:
    """The countries of the provinces, states and regions a location cell names ("Ponte San Pietro (Bergamo)" is
    Italy), from pycountry's subdivisions: only names of one country, capitalised as written, and not the compass
    words countries.yaml lists. For cells that name no country themselves."""
    places = _places()
    found = [(match.start(), places.subdivisions[match[0]]) for match in places.subdivision_names.finditer(text)]
    return list(dict.fromkeys(label for _, label in sorted(found)))


def _tidy(text: str) -> str:
    """Markdown links, escapes and emphasis removed, whitespace collapsed, edge punctuation gone."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    text = _MARKDOWN_EMPHASIS.sub("", text)
    return " ".join(text.split()).strip(_EDGES)


def _names(raw: str, legal_suffix: re.Pattern[str]) -> list[str]:
    """The names one cell gives a company, main name first: "X, Inc. d/b/a Y (aka Z)" -> [X, Y, Z]."""
    text = _tidy(raw)
    parts = _ALSO_KNOWN_AS.split(_BRACKETED.sub(" ", text))
    parts += [part for inner in _BRACKETED.findall(text) for part in _ALSO_KNOWN_AS.split(inner)]
    names = (_strip_legal(_tidy(part), legal_suffix) for part in parts)
    return [name for name in names if name]


def _strip_legal(name: str, legal_suffix: re.Pattern[str]) -> str:
    """Legal suffixes off the end ("Acme Co., Ltd." -> "Acme"); a name that is only a suffix stays."""
    while (suffix := legal_suffix.search(name)) and suffix.start():
        name = name[: suffix.start()].rstrip(_EDGES)
    return name


def _key(name: str) -> str:
    """What two spellings of one name share: "Click House, Inc" and "ClickHouse Inc" -> "clickhouseinc"."""
    return "".join(char for char in name.casefold() if char.isalnum())


def _suffix_alternation(suffixes: list[str]) -> str:
    """Each suffix as written or in capitals, with its dots ("L.L.C.", the last one optional) or
    with none ("LLC", so a full stop after it stays the sentence's); a suffix without capitals
    keeps its dots ("a.s." is never "as")."""
    forms = {form for suffix in suffixes for form in (suffix, suffix.upper())}
    forms |= {form.replace(".", "") for form in forms if any(char.isupper() for char in form)}
    pieces = []
    for form in sorted(forms, key=len, reverse=True):
        piece = "".join(r"\s*" if char == " " else re.escape(char) for char in form.removesuffix("."))
        pieces.append(piece + r"\.?" if form.endswith(".") else piece)
    return "|".join(pieces)


def _atoms(name: str) -> list[str]:
    """Regex pieces of a name: first letter as written, the rest in any case, unless the name is in
    capitals ("AWS", "US") and must be written so; spaces or hyphens, dots and apostrophes loose."""
    in_capitals = name == name.upper()
    atoms = []
    for index, char in enumerate(re.sub(r"[\s\-]+", " ", name)):
        if char == " ":
            atoms.append(r"[\s\-]+")
        elif char == ".":
            atoms.append(r"\.?")
        elif char in "'’":
            atoms.append("['’]")
        elif index and not in_capitals and len(char.upper()) == 1 and char.lower() != char.upper():
            atoms.append(f"[{char.lower()}{char.upper()}]")
        else:
            atoms.append(re.escape(char))
    return atoms


def _trie(names: Iterable[str]) -> str:
    """One regex for many names, factored by common prefix: fast on long text, longest name first."""
    root: dict = {}
    for name in names:
        node = root
        for atom in _atoms(name):
            node = node.setdefault(atom, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [atom + pattern(child) for atom, child in node.items() if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root) or "(?!)"  # no names: a pattern that never matches


@cache
def _gazetteer() -> _Gazetteer:
    data = knowledge("providers")
    suffixes = _suffix_alternation(data["legal_suffixes"])
    legal_suffix = re.compile(rf"(?:\s*,\s*|\s+)(?:{suffixes})$", re.IGNORECASE)
    canonical: dict[str, str] = {}
    by_word_count: dict[int, set[str]] = {}
    plain: set[str] = set()  # names as written, for prose
    common_words: set[str] = set()  # bare names that are everyday words: in prose only with a suffix
    for entry in data["providers"]:
        name = entry["name"]
        for alias in [name, *entry.get("aliases", [])]:
            form = _names(alias, legal_suffix)[0]
            key = _key(form)
            if canonical.setdefault(key, name) != name:
                raise ValueError(f"providers.yaml: {alias!r} of {name!r} is also an alias of {canonical[key]!r}")
            by_word_count.setdefault(len(_WORD.findall(form)), set()).add(key)
            bare_word = entry.get("common_word") and key == _key(name)
            (common_words if bare_word else plain).add(form)
    tail = rf",?\s+(?:{suffixes})"
    in_prose = re.compile(
        rf"(?<!\w)(?:(?P<name>{_trie(plain)})(?:{tail})?|(?P<word>{_trie(common_words)}){tail})(?!\w)"
    )
    # Capitalised words up to a legal suffix, on one line or wrapped onto the next, never across a blank line.
    lead = "|".join(map(re.escape, data["not_name_words"]))
    entity = re.compile(
        rf"(?:(?!(?:{lead})\b)[A-Z0-9][\w&.'’-]*,?(?:[ \t]+|[ \t]*\n[ \t]*)){{0,6}}(?:{suffixes})(?!\w)"
    )
    word = rf"(?P<word>{_trie(common_words)})(?:{tail})?(?!\w)"
    return _Gazetteer(
        canonical,
        {count: sorted(keys) for count, keys in by_word_count.items()},
        legal_suffix,
        in_prose,
        entity,
        re.compile(word),
        re.compile(rf"(?<!\w){word}"),
    )


def _country_label(country) -> str:
    """pycountry's common name when it has one ("South Korea" for "Korea, Republic of")."""
    return getattr(country, "common_name", None) or country.name


@cache
def _places() -> _Places:
    data = knowledge("countries")
    labels: dict[str, str] = {}
    forms: list[str] = []

    def add(form: str, label: str) -> None:
        if labels.setdefault(_key(form), label) != label:
            raise ValueError(f"countries.yaml: {form!r} reads as both {labels[_key(form)]!r} and {label!r}")
        forms.append(form)

    codes: dict[str, str] = {}
    for country in pycountry.countries:
        label = _country_label(country)
        for attribute in ("name", "common_name", "official_name"):
            form = getattr(country, attribute, None)
            if form and form[0].isupper():
                add(form, label)
        codes[country.alpha_2] = label
    for form, country_name in data["countries"].items():
        add(form, _country_label(pycountry.countries.lookup(country_name)))
    for form, region in data["regions"].items():
        add(form, region)
    for code in data["not_codes"]:
        del codes[code]
    countries_of: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        countries_of.setdefault(subdivision.name, set()).add(subdivision.country_code)
    skip = set(data["not_subdivisions"])
    subdivisions = {
        name: codes.get(next(iter(found)), _country_label(pycountry.countries.get(alpha_2=next(iter(found)))))
        for name, found in countries_of.items()
        if len(found) == 1 and len(name) >= 5 and name[0].isupper() and name not in skip and _key(name) not in labels
    }
    return _Places(
        labels,
        codes,
        re.compile(rf"(?<!\w)(?:{_trie(forms)})(?!\w)"),
        subdivisions,
        re.compile(rf"(?<!\w)(?:{_trie(list(subdivisions))})(?!\w)"),
    )
