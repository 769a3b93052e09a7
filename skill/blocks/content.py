"""What a plugin's locale files hold: samples, slot values and spoken content.

Content models are frozen dataclasses, declared the way pydantic models are: a subclass of
`Content` is one (`class Phase(Content): cue: str`), a limit on a field is
`Annotated[float, Constraint(gt=0)]`, and a rule across fields is a `check` method. pydantic
validates them, but only where content is built (skill/blocks/validation.py: `model check`, the
content snapshot `secure-base package` writes, the development tools): this module imports no
pydantic, so that the skill answers from the snapshot without loading it (a cold start).
"""

from __future__ import annotations

import re
from dataclasses import Field, FrozenInstanceError, dataclass, field
from typing import Annotated, Any, ClassVar, Self, dataclass_transform

NAME_PATTERN = re.compile(r"^(?:AMAZON\.)?[A-Za-z][A-Za-z_]*$")


class Constraint:
    """A limit on one field, in pydantic's `Field` words (`min_length`, `gt`, `pattern`...):
    `Annotated[tuple[str, ...], Constraint(min_length=1)]`. Only validation reads it."""

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field  # build time only (see the module's docstring)

        return handler.generate_schema(Annotated[source, Field(**self.limits)])

    def __repr__(self) -> str:
        return f"Constraint({', '.join(f'{k}={v!r}' for k, v in self.limits.items())})"


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class Model:
    """A frozen, keyword-only dataclass, which validation refuses unknown keys for.

    A subclass becomes a dataclass when it is first built or validated (`dataclassed`), not
    when its module is imported: the skill serving from the snapshot builds none (the snapshot's
    objects are made from their fields directly: skill/blocks/snapshot.py), and making the
    content's thirty-odd dataclasses cost every cold start 18 ms on the benchmark's machine.
    Until then its objects are frozen all the same (`__setattr__`).
    """

    # Read by pydantic where content is validated: a key no field declares is an error.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    # Set on each subclass by dataclass(): declared so that type checkers take a Model for one.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        cls.dataclassed()
        return super().__new__(cls)

    @classmethod
    def dataclassed(cls) -> type[Self]:
        """This class, made a dataclass (and the models it derives from, first) if not yet."""
        for base in reversed(cls.__mro__):
            fresh = issubclass(base, Model) and base is not Model
            if fresh and "__dataclass_fields__" not in base.__dict__:
                dataclass(frozen=True, kw_only=True)(base)
        return cls

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def check(self) -> None:
        """A rule across fields (raise ValueError), checked where content is validated, after
        its fields (and the models inside it) were."""


class Content(Model):
    """Base for a plugin's spoken content: unknown keys fail, and so does unspeakable text
    (every string in it is checked by skill.speech.validate_text where it is validated)."""


class MenuContent(Content):
    """Content of a plugin offered in the menu: what the menu and help say about it."""

    # How the menu names it: "a calming exercise".
    label: str
    # One sentence for help: "A calming exercise, to slow your breathing and settle your body."
    description: str


class SlotValue(Model):
    id: Annotated[str, Constraint(pattern=r"^[A-Za-z0-9_]+$")]
    value: Annotated[str, Constraint(min_length=1)]
    synonyms: tuple[str, ...] = ()


# What an answer to a yes/no question can mean (see skill.blocks.answers).
ANSWER_MEANINGS = ("yes", "no", "partly", "unsure")
# Lists whose phrases mean yes or no only as the whole answer: "I'm not" is a no, "I'm not
# good" is not; "I am" is a yes, "I am scared" is not.
ALONE = {"yes_alone": "yes", "no_alone": "no"}
# The slot type of a short answer said alone ("kind of"): the model build makes its values from
# the locale files' answer words, so no locale file declares it.
ANSWER_WORD_TYPE = "ANSWER_WORD"


class LocaleFile(Model):
    """One plugin's `locale/<locale>.json`: samples, slot values, answer words and content."""

    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    slot_types: dict[str, tuple[SlotValue, ...]] = field(default_factory=dict)
    # Phrases that say yes, no, partly ("kind of") or unsure ("I don't know") in this locale.
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The plugin's content model validates this (its own model, not known here).
    content: dict[str, Any] = field(default_factory=dict)

    def check(self) -> None:
        known = [*ANSWER_MEANINGS, *ALONE]
        unknown = set(self.answers) - set(known)
        if unknown:
            raise ValueError(f"answers: unknown meanings {sorted(unknown)}: use {known}")


@dataclass(frozen=True, kw_only=True)
class Intent:
    """An intent a plugin declares, checked as the class declaring it is defined."""

    name: str
    # slot name -> slot type (a custom type of this plugin's locale files, or AMAZON.*)
    slots: dict[str, str] = field(default_factory=dict)
    # Whether Alexa may bring this request to the skill without its name ("Alexa, help me
    # breathe"): the skill answers a CanFulfillIntentRequest for it with yes. Only an intent
    # that starts an activity from its beginning (its first step or question), never an answer
    # to a question, a privacy request or one that changes what is kept (skill/core/name_free.py).
    name_free: bool = False

    def __post_init__(self) -> None:
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"intent name {self.name!r}: letters and _ only (AMAZON. allowed)")
        for slot, slot_type in self.slots.items():
            if not (isinstance(slot, str) and isinstance(slot_type, str)):
                raise ValueError(f"intent {self.name}: slots map a name to a slot type")

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")

    @classmethod
    def named(cls, *names: str) -> tuple[Intent, ...]:
        """Intents without slots, by name: `*Intent.named("HelpIntent", "AMAZON.YesIntent")`."""
        return tuple(cls(name=name) for name in names)
