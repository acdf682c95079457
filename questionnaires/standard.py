"""Standard questionnaires a vendor may have filled already (CSA CAIQ v4, SIG Lite, HECVAT), mapped as data to our
bank: questionnaires/standard/*.yaml name each item by its id and a short title of our own wording, and the bank
question it answers. Only ids and paraphrased titles are shipped; each file's header gives the licence reasoning."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from .bank import load_bank


@dataclass(frozen=True)
class Item:
    id: str
    title: str  # our short paraphrase, never the standard's own question text
    question: str | None  # the bank question it answers; None: nothing of ours


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    version: str
    items: dict[str, Item]


@cache
def standards() -> tuple[Standard, ...]:
    """Every shipped mapping, checked against the shipped bank: an unknown question id is a mistake in the file."""
    ids = {question.id for question in load_bank().questions}
    found = []
    for path in sorted(files("questionnaires").joinpath("standard").iterdir(), key=lambda path: path.name):
        if not path.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = data["meta"]
        items = {}
        for entry in data["items"]:
            question = entry.get("question")
            if question is not None and question not in ids:
                raise ValueError(f"questionnaires/standard/{path.name}: item {entry['id']} maps to unknown {question}.")
            items[str(entry["id"]).upper()] = Item(str(entry["id"]).upper(), entry["title"], question)
        found.append(Standard(meta["id"], meta["title"], str(meta["version"]), items))
    return tuple(found)
