"""The internal intake: what our use of the vendor is, which sets the inherent-risk tier and the flags.

It describes us, not the vendor, and is kept apart from how well the vendor's answers score
(scoring-criteria.md, section 1: questions I1-I8 and the tier rules, first match wins)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

CHOICES: dict[str, tuple[str, ...]] = {
    "critical_function": ("yes", "no", "unsure"),  # I1, DORA Art. 3(22); unsure counts as yes
    "ai_act_use": ("prohibited", "high_risk", "transparency", "minimal"),  # I2
    "personal_data": ("none", "employees", "customers", "special"),  # I3
    "data_class": ("public", "internal", "confidential", "strictly_confidential"),  # I4
    "autonomy": ("assistive", "decision_support", "automated_decision", "agent"),  # I6
    "non_eea": ("yes", "no", "unknown"),  # I8; unknown counts as yes
}
YES_NO = ("customer_facing", "genai", "gpai_based")  # I5, I7


class IntakeError(ValueError):
    """An intake that cannot be used; the message names the field and the values allowed."""


@dataclass(frozen=True)
class Intake:
    critical_function: str = "no"
    ai_act_use: str = "minimal"
    personal_data: str = "customers"
    data_class: str = "confidential"
    customer_facing: bool = False
    autonomy: str = "assistive"
    genai: bool = True
    gpai_based: bool = True
    non_eea: str = "unknown"
    assumed: bool = False  # no intake was given: the defaults (tier T2) stand in for one

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "Intake":
        known = {field.name for field in fields(cls)} - {"assumed"}
        if unknown := set(data) - known:
            raise IntakeError(f"The intake has unknown fields {sorted(unknown)}; use {sorted(known)}.")
        for name, value in data.items():
            if name in CHOICES and value not in CHOICES[name]:
                raise IntakeError(f"Intake field '{name}' is {value!r}; use one of {list(CHOICES[name])}.")
            if name in YES_NO and not isinstance(value, bool):
                raise IntakeError(f"Intake field '{name}' is {value!r}; use true or false.")
        return cls(**data)

    @classmethod
    def from_file(cls, path: Path) -> "Intake":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise IntakeError(f"The intake file {path} could not be read: {error}") from None
        if not isinstance(data, dict):
            raise IntakeError(f"The intake file {path} must be a mapping of intake fields to values.")
        # YAML reads an unquoted yes/no as true/false; for a yes/no/... choice it means the word
        words = {True: "yes", False: "no"}
        return cls.from_mapping({name: words[value] if name in CHOICES and isinstance(value, bool) else value
                                 for name, value in data.items()})

    @classmethod
    def default(cls) -> "Intake":
        """What is assumed without an intake: customer personal data in a GenAI service, tier T2."""
        return cls(assumed=True)

    @cached_property
    def flags(self) -> dict[str, bool]:
        return {
            "dora_cif": self.critical_function in ("yes", "unsure"),
            "high_risk_use": self.ai_act_use == "high_risk",
            "prohibited_use": self.ai_act_use == "prohibited",
            "personal_data": self.personal_data != "none",
            "customer_facing": self.customer_facing,
            "genai": self.genai,
            "gpai_based": self.gpai_based,
            "non_eea": self.non_eea in ("yes", "unknown"),
        }

    @cached_property
    def tier(self) -> str:
        flags = self.flags
        if flags["dora_cif"] or flags["high_risk_use"] or self.autonomy == "automated_decision":
            return "T1"
        if (self.personal_data in ("customers", "special") or self.data_class == "strictly_confidential"
                or (self.customer_facing and self.genai) or self.autonomy == "agent"):
            return "T2"
        if self.data_class in ("internal", "confidential") or self.personal_data == "employees":
            return "T3"
        return "T4"

    def to_json(self) -> dict[str, Any]:
        return self._json | {}

    @cached_property
    def _json(self) -> dict[str, Any]:
        return asdict(self) | {"tier": self.tier, "flags": dict(self.flags)}
