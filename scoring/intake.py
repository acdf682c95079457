"""The internal intake: what our use of the vendor is, which sets the inherent-risk tier and the flags.

It describes us, not the vendor, and is kept apart from how well the vendor's answers score
(scoring-criteria.md, section 1). The fields, the flags and the tier rules are versioned data in
intake.yaml, so a risk owner can read and change them and a scorecard records which rules set its tier."""

from __future__ import annotations

from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictStr, ValidationInfo, create_model, field_validator, model_validator

from aivet import typed_yaml
from aivet.typed_yaml import Frozen, Invalid

RULES_FILE = "intake.yaml"


class IntakeError(ValueError):
    """An intake that cannot be used; the message names the file, the line and the field."""


# field name -> the values that satisfy it; every field named must have one of its values
Condition = dict[StrictStr, tuple[StrictStr | StrictBool, ...]]


class IntakeField(Frozen):
    """One intake question: a choice among `values`, or a yes/no question when there are none."""

    question: StrictStr
    values: tuple[StrictStr, ...] = ()
    default: StrictStr | StrictBool

    @model_validator(mode="after")
    def _default_is_an_answer(self) -> IntakeField:
        if self.values and self.default not in self.values:
            raise Invalid(f"is {self.default!r}; use one of {', '.join(self.values)}", at=("default",))
        if not self.values and not isinstance(self.default, bool):
            raise Invalid(f"is {self.default!r}; a yes/no field's default is true or false", at=("default",))
        return self

    def allows(self, value: Any) -> bool:
        return value in self.values if self.values else isinstance(value, bool)


class TierRule(Frozen):
    tier: Literal["T1", "T2", "T3", "T4"]
    when_any: Annotated[tuple[Condition, ...], Field(min_length=1)] | None = None  # None: the catch-all


class IntakeRules(Frozen):
    """intake.yaml: the intake's fields, what sets each flag, and the tier rules (first match wins)."""

    id: StrictStr
    version: StrictStr
    fields: dict[StrictStr, IntakeField]
    flags: dict[StrictStr, Condition]
    tiers: Annotated[tuple[TierRule, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _conditions_name_fields_and_values(self) -> IntakeRules:
        conditions = [(("flags", flag), condition) for flag, condition in self.flags.items()]
        conditions += [
            (("tiers", number, "when_any", index), condition)
            for number, rule in enumerate(self.tiers)
            for index, condition in enumerate(rule.when_any or ())
        ]
        for at, condition in conditions:
            for name, values in condition.items():
                if name not in self.fields:
                    raise Invalid(f"is not an intake field; use one of {', '.join(self.fields)}", at=at + (name,))
                if wrong := [value for value in values if not self.fields[name].allows(value)]:
                    allowed = ", ".join(self.fields[name].values) or "true, false"
                    raise Invalid(f"lists {wrong}, which {name} cannot be; use {allowed}", at=at + (name,))
        for number, rule in enumerate(self.tiers):
            if (rule.when_any is None) != (number == len(self.tiers) - 1):
                raise Invalid(
                    "must be the last rule and the only one without when_any, which catches every intake "
                    "no earlier rule matched",
                    at=("tiers", number),
                )
        return self

    def holds(self, condition: Condition, intake: Any) -> bool:
        return all(getattr(intake, name) in values for name, values in condition.items())


RULES = typed_yaml.read(
    (files("scoring") / RULES_FILE).read_text(encoding="utf-8"), IntakeRules, RULES_FILE, IntakeError
)
CHOICES: dict[str, tuple[str, ...]] = {name: field.values for name, field in RULES.fields.items() if field.values}
YES_NO: tuple[str, ...] = tuple(name for name, field in RULES.fields.items() if not field.values)

# The intake's answers, one field per intake question, typed and defaulted as intake.yaml says.
_IntakeAnswers = create_model(
    "_IntakeAnswers",
    __base__=Frozen,
    __module__=__name__,
    **{
        name: (Literal[field.values] if field.values else StrictBool, field.default)
        for name, field in RULES.fields.items()
    },
)


class Intake(_IntakeAnswers):
    """Our answers to the intake; the tier and flags follow from them by intake.yaml's rules."""

    assumed: bool = False  # no intake was given: the defaults (tier T2) stand in for one

    @field_validator("assumed")
    @classmethod
    def _only_the_tool_assumes(cls, value: bool, info: ValidationInfo) -> bool:
        if (info.context or {}).get("given"):
            raise Invalid("is set by aivet when no intake is given, not by an intake; remove it")
        return value

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Intake:
        return typed_yaml.validate(cls, data, "The intake", IntakeError, context={"given": True})

    @classmethod
    def from_file(cls, path: Path) -> Intake:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise IntakeError(f"The intake file {path} could not be read: {error}") from None
        data, lines = typed_yaml.load(text, str(path), IntakeError)
        if isinstance(data, dict):  # YAML reads an unquoted yes/no as true/false; for a choice it means the word
            data = {
                name: {True: "yes", False: "no"}[value] if name in CHOICES and isinstance(value, bool) else value
                for name, value in data.items()
            }
        return typed_yaml.validate(cls, data or {}, str(path), IntakeError, lines, context={"given": True})

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Intake:
        """An intake as `to_json` recorded it (the tier and flags are worked out again); None: the default."""
        if data is None or data.get("assumed"):
            return cls.default()
        return cls.from_mapping({name: data[name] for name in RULES.fields if name in data})

    @classmethod
    def default(cls) -> Intake:
        """What is assumed without an intake: customer personal data in a GenAI service, tier T2."""
        return cls(assumed=True)

    @cached_property
    def flags(self) -> dict[str, bool]:
        return {flag: RULES.holds(condition, self) for flag, condition in RULES.flags.items()}

    @cached_property
    def tier(self) -> str:
        return next(
            rule.tier
            for rule in RULES.tiers
            if rule.when_any is None or any(RULES.holds(condition, self) for condition in rule.when_any)
        )

    def to_json(self) -> dict[str, Any]:
        """The answers, the tier and flags they set, and the version of the rules that set them."""
        return self.model_dump() | {"tier": self.tier, "flags": dict(self.flags), "rules_version": RULES.version}
