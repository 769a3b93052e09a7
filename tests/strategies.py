"""Hypothesis strategies for request envelopes: those Alexa could send the skill, and broken ones.

`alexa_cases()` are envelopes as Alexa sends them: of every request type (half of them intents),
for every intent of the en-US interaction model, of other model versions and of none, with any
slot values (huge, odd unicode, out of range), in and out of a session, new or not, for an
account or a recognised person, with or without the reminders permission. The session carries,
and the table holds for the caller, what this version of the skill writes there, or what another
version could have (a newer schema_version, fields this version does not know, a field whose
type changed, a place in content that has since changed, an id it no longer has), or a
stranger's attributes, whose keys mean nothing to the skill. Such a case is `from_alexa`: the
skill must answer it without any handler failing.

`malformed_cases()` are not: one of those with parts missing or of the wrong type anywhere,
huge strings in any place, locales Alexa has no such thing as, request types the SDK does not
know, envelopes that are not objects at all, and session attributes and stored progress holding
values no version of the skill writes (CORRUPT).

Every case is plain JSON, as it comes off the wire. Its API endpoint is API_ENDPOINT, which the
test replaces with its local stand-in for Alexa's APIs.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import strategies as st

from skill.alexa_api import REMINDERS_SCOPE
from skill.blocks import session as session_keys
from skill.blocks.plugin import LOCALES
from skill.core.envelope import MAX_ENVELOPE_BYTES, MAX_SESSION_ATTRIBUTES_BYTES, SESSION_TYPES
from skill.discovery import discover
from skill.state import ACCOUNT_PERSON, SCHEMA_VERSION
from tests.conftest import MODEL_PATH, SKILL_ID

# Replaced by the test with the address of its local stand-in for Alexa's APIs.
API_ENDPOINT = "https://alexa-api.fuzz.invalid"
# The stand-in grants the reminders permission to this access token only.
GRANTED_TOKEN = "fuzz-token-granted"

_MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
# Every intent of the model, with its slots' types.
INTENTS: dict[str, dict[str, str]] = {
    intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
    for intent in _MODEL["intents"]
}
# The ids of each custom slot type's values.
SLOT_IDS: dict[str, list[str]] = {
    slot_type["name"]: [value["id"] for value in slot_type["values"]]
    for slot_type in _MODEL["types"]
}
PLUGINS = tuple(plugin.name for plugin in discover().plugins)  # also registers their progress

# What the skill answers, by request type: speech (or a directive), no speech, or nothing at all.
SPOKEN = ("LaunchRequest", "IntentRequest", "Connections.Response")
SILENT = (
    "SessionEndedRequest",
    "System.ExceptionEncountered",
    "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackStopped",
    "AudioPlayer.PlaybackNearlyFinished",
    "AudioPlayer.PlaybackFailed",
    "PlaybackController.NextCommandIssued",
    "PlaybackController.PauseCommandIssued",
    "PlaybackController.PlayCommandIssued",
    "PlaybackController.PreviousCommandIssued",
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillAccountLinked",
    "AlexaSkillEvent.ProactiveSubscriptionChanged",
)
# Requests the skill does not answer: the response is empty.
UNANSWERED = (
    "Display.ElementSelected",
    "Alexa.Presentation.APL.UserEvent",
    "Messaging.MessageReceived",
    "SessionResumedRequest",
)
# Alexa asking whether the skill could serve a request said without its name: the response
# says only that (canFulfillIntent), never a word.
NAME_FREE = ("CanFulfillIntentRequest",)
# Request types Alexa sends without a session; the others come with one.
SESSIONLESS_PREFIXES = ("AudioPlayer.", "PlaybackController.", "AlexaSkillEvent.", "Messaging.")
SESSIONLESS = ("System.ExceptionEncountered",)
# Request types the SDK does not know (Alexa sends none of them to this skill): refused.
UNKNOWN_TYPES = ("Foo.Bar", "AudioPlayer.PlaybackResumed", "", "intentrequest")
# Intents of other model versions, and built-ins this model does not declare.
OTHER_INTENTS = (
    "SomeRetiredIntent",
    "AMAZON.ScrollUpIntent",
    "AMAZON.MoreIntent",
    "AMAZON.SelectIntent",
    "AMAZON.ShuffleOnIntent",
    "AMAZON.NavigateSettingsIntent",
)
NOTICES = ("progress_not_saved", "progress_not_read")
# What people say most in the middle of something: answers, and moving it along.
IN_A_SESSION = (
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.NextIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.PauseIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.HelpIntent",
    "AMAZON.FallbackIntent",
    "AnswerIntent",
    "RatingIntent",
    "CheckinTimeIntent",
)


@dataclass(frozen=True)
class Case:
    """One request: its envelope, and the profile the table holds for its caller beforehand."""

    event: Any
    stored: dict[str, Any] | None
    # Whether Alexa could send exactly this: then no handler may fail on it.
    from_alexa: bool

    @property
    def request_type(self) -> Any:
        request = self.event.get("request") if isinstance(self.event, dict) else None
        return request.get("type") if isinstance(request, dict) else None


# -- values ---------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)

# Numbers DynamoDB can hold (at most 38 digits, magnitudes 1e-130 to 1e126).
storable_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.integers(-(10**9), 10**9).map(lambda n: n / 1000)
    | st.text(max_size=20)
)


def _json_values(
    keys: st.SearchStrategy[str], scalars: st.SearchStrategy[Any] = json_scalars
) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )


json_values = _json_values(st.text(max_size=12))
# What the table may hold: moto (not DynamoDB) garbles maps with an empty key.
stored_json_values = _json_values(st.text(min_size=1, max_size=12), storable_scalars)
# Several kilobytes to a hundred: Hypothesis draws a piece, the test repeats it.
huge_text = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=10), st.integers(500, 10_000)
)
odd_text = st.text(max_size=40)  # any code point but surrogates: controls, RTL, emoji, CJK...
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz '", min_size=1, max_size=40)
# A slot value of several kilobytes: far longer than anything said (an envelope of many of them
# can pass skill/core/envelope.py's MAX_ENVELOPE_BYTES: see sent_by_alexa).
long_text = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=10), st.integers(200, 1_500)
)
texts = st.one_of(words, odd_text, long_text)
dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2100, 12, 31))
timestamps = st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2100, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
)
request_ids = st.builds(
    lambda n: f"amzn1.echo-api.request.{n:032x}", st.integers(min_value=0, max_value=2**128 - 1)
)
# The skill's locales, then others Alexa has (the skill answers in its default language).
locales = st.sampled_from(LOCALES) | st.sampled_from(("fr-FR", "de-DE", "es-US", "ja-JP", "hi-IN"))
odd_locales = st.sampled_from(("", "xx", "en", "EN-us", "en_US", "fr", "zz-ZZ")) | odd_text
zones = st.sampled_from(("UTC", "America/Chicago", "Asia/Kolkata", "Pacific/Kiritimati", ""))
times_of_day = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


# -- what the skill keeps: profile and progress ----------------------------------------------


# Whose writing a profile or session attributes are: this version's; another version's (types
# changed, places in content that has since changed, core keys holding what it kept there); or
# nobody's (values no version writes: corrupt, not something Alexa can bring back).
THIS_VERSION, OTHER_VERSION, CORRUPT = "this version", "other version", "corrupt"
_SOME_SCALAR = storable_scalars.filter(lambda value: value is not None)


def _plugin_field_values(
    plugin: str, name: str, default: Any, writer: str
) -> st.SearchStrategy[Any]:
    """Values `writer` could have put in this field of this plugin's progress."""
    written: dict[tuple[str, str], st.SearchStrategy[Any]] = {
        ("grounding", "exercise"): st.sampled_from(["", *SLOT_IDS["EXERCISE"]]),
        ("grounding", "last"): st.sampled_from(["", *SLOT_IDS["EXERCISE"]]),
        ("grounding", "pace"): st.sampled_from(SLOT_IDS["PACE"]),
        ("grounding", "week"): st.builds(
            lambda day: "{}-W{:02d}".format(*day.isocalendar()[:2]), dates
        ),
        ("repair", "stage"): st.sampled_from(
            ["", "upset", "break", "screening", "together", "steps"]
        ),
        ("repair", "role"): st.sampled_from(["both", "caused", "received"]),
        ("reflection", "asked"): st.integers(0, 2**16 - 1),
        ("checkin", "zone"): zones,
        ("checkin", "last_done"): st.just("") | dates.map(date.isoformat),
        ("checkin", "stage"): st.integers(-1, 3),
    }
    # What other versions wrote besides: ids and names this one does not have.
    retired = st.just("retired")
    if (plugin, name) in written:
        values = written[plugin, name]
        if writer != THIS_VERSION and isinstance(default, str):
            values = values | retired
    elif isinstance(default, bool):
        values = st.booleans()
    elif isinstance(default, int):
        # Counters of any size; places in content that may since have grown or shrunk.
        values = st.integers(0, 40) | st.integers(0, 2**40)
    else:
        values = st.text(max_size=20)
    if writer == OTHER_VERSION:
        # A field whose type changed between versions.
        values = values | _SOME_SCALAR.filter(lambda value: type(value) is not type(default))
    elif writer == CORRUPT:
        values = values | _SOME_SCALAR
    return values


def _checkin_reminders(writer: str) -> st.SearchStrategy[dict[str, Any]]:
    """The check-in's reminder: its time and its alert token, set and cleared together."""
    reminder = st.fixed_dictionaries(
        {"time": times_of_day, "reminder": st.text(min_size=1, max_size=20)}
    )
    none = st.fixed_dictionaries({}, optional={"time": st.just(""), "reminder": st.just("")})
    if writer == CORRUPT:
        return (
            reminder
            | none
            | st.fixed_dictionaries({}, optional={"time": _SOME_SCALAR, "reminder": _SOME_SCALAR})
        )
    return reminder | none


def plugin_states(writer: str = THIS_VERSION) -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    """Each plugin's progress as `writer` left it, and that of a plugin no longer installed."""
    states = {
        plugin.name: st.fixed_dictionaries(
            {},
            optional={
                name: _plugin_field_values(plugin.name, name, default, writer)
                for name, default in plugin.progress_model().stored().items()
                if (plugin.name, name) not in (("checkin", "time"), ("checkin", "reminder"))
            },
        )
        for plugin in discover().plugins
    }
    states["checkin"] = st.builds(
        lambda state, reminder: {**state, **reminder}, states["checkin"], _checkin_reminders(writer)
    )
    retired = st.dictionaries(st.text(min_size=1, max_size=10), _SOME_SCALAR, max_size=3)
    return st.fixed_dictionaries({}, optional={**states, "retired_plugin": retired})


@st.composite
def profiles(draw: st.DrawFn, writer: str = THIS_VERSION) -> dict[str, Any]:
    """A profile: this schema, or a newer one with fields this version does not know."""
    newer = draw(st.booleans())
    profile: dict[str, Any] = {
        "schema_version": draw(st.integers(SCHEMA_VERSION + 1, 99)) if newer else SCHEMA_VERSION,
        "version": draw(st.integers(0, 1000)),
        "visits": draw(st.integers(0, 10_000)),
        "last_visit": draw(st.none() | dates.map(date.isoformat)),
        "last_activity": draw(st.none() | st.sampled_from(PLUGINS) | st.text(max_size=12)),
        "consent": draw(st.none() | dates.map(date.isoformat)),
        "plugin_state": draw(plugin_states(writer)),
    }
    if newer:
        # Fields this version does not know: never one it does, whose value would then be junk.
        unknown = st.text(min_size=1, max_size=10).filter(lambda key: key not in profile)
        profile.update(draw(st.dictionaries(unknown, stored_json_values)))
    elif writer == OTHER_VERSION and draw(st.booleans()):
        # Schema 1, which kept the check-in's ratings after a yes of their own (read, they are
        # erased: skill/state.py).
        profile["schema_version"] = 1
        checkin = profile["plugin_state"].get("checkin", {})
        profile["plugin_state"]["checkin"] = {**checkin, **draw(_previous_ratings())}
    return profile


def _previous_ratings() -> st.SearchStrategy[dict[str, Any]]:
    ratings = st.lists(st.tuples(dates, st.integers(1, 5)), max_size=8).map(
        lambda rated: ";".join(f"{d.isoformat()}={r}" for d, r in rated)
    )
    return st.fixed_dictionaries(
        {},
        optional={"ratings": ratings, "ratings_ok": st.booleans(), "ratings_asked": st.booleans()},
    )


# -- session attributes ----------------------------------------------------------------------


def _next_turn(writer: str) -> st.SearchStrategy[dict[str, Any]]:
    """What a turn expects of the next: the keys the skill sets, with what it sets them to."""
    flags = (
        "askedConsent",
        "askedToErase",
        "groundingOfferedMore",
        "safetyOfferedBreathing",
        "checkinAskedTime",
    )
    values: dict[str, st.SearchStrategy[Any]] = {flag: st.just(True) for flag in flags}
    values[session_keys.RESUME_OFFERED] = st.sampled_from(PLUGINS) | st.text(max_size=12)
    # Set by the schema 1 version, which asked whether to keep the check-in's ratings: a
    # session under way at the update still carries it.
    values["checkinAskedRatings"] = st.integers(1, 5)
    if writer == CORRUPT:
        values = {key: json_values for key in values}
    return st.fixed_dictionaries({}, optional=values)


@st.composite
def last_responses(draw: st.DrawFn) -> dict[str, Any]:
    reprompt = draw(st.none() | words)
    return {
        "speech": f"<speak>{draw(words)}</speak>",
        "reprompt": None if reprompt is None else f"<speak>{reprompt}</speak>",
    }


@st.composite
def session_attributes(draw: st.DrawFn, person: str, writer: str) -> dict[str, Any]:
    """What a session carries: the attributes `writer` left, or (for any writer) none, or a
    stranger's, whose keys mean nothing to the skill."""
    kind = draw(st.sampled_from(("none", "stranger", writer, writer, writer)))
    if kind == "none":
        return {}
    if kind == "stranger":
        return draw(st.dictionaries(st.text(max_size=12), json_values))
    people = st.just(person) | st.sampled_from((ACCOUNT_PERSON, "amzn1.ask.person.other"))
    keyed: dict[str, st.SearchStrategy[Any]] = {
        session_keys.PROFILE: profiles(writer),
        session_keys.UNSAVED_BASE: profiles(writer),
        session_keys.PROFILE_OF: people,
        session_keys.VISIT_COUNTED: people,
        session_keys.ACTIVE: st.sampled_from(PLUGINS) | st.text(max_size=12),
        session_keys.RETURN_TO: st.sampled_from(PLUGINS) | st.text(max_size=12),
        session_keys.NEXT_TURN: _next_turn(writer),
        session_keys.LAST_RESPONSE: last_responses(),
        session_keys.NOTICES_GIVEN: st.lists(st.sampled_from(NOTICES), max_size=2, unique=True),
    }
    if writer != THIS_VERSION:
        # The core's keys holding whatever another version kept there.
        keyed = {key: strategy | json_values for key, strategy in keyed.items()}
    attributes = draw(st.fixed_dictionaries({}, optional=keyed))
    attributes.update(draw(st.dictionaries(st.text(max_size=12), json_values, max_size=3)))
    return attributes


# -- requests --------------------------------------------------------------------------------


@st.composite
def slots(draw: st.DrawFn, name: str, slot_type: str) -> dict[str, Any]:
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if draw(st.integers(0, 5)) == 0:
        return slot  # not filled: Alexa sends the slot without a value
    if slot_type == "AMAZON.TIME":
        value = draw(
            times_of_day
            | st.sampled_from(("EV", "MO", "AF", "NI", "24:00", "7:5", "12:60", "T21:30"))
            | texts
        )
    elif slot_type == "AMAZON.NUMBER":
        value = draw(
            st.integers().map(str)
            | st.sampled_from(("?", "\u0663", "1.5", "-3", "0", "05", "\uff13"))
            | texts
        )
    else:
        value = draw(texts)
    slot["value"] = value
    if slot_type in SLOT_IDS and draw(st.booleans()):
        authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{slot_type}"
        if draw(st.booleans()):
            value_id = draw(st.sampled_from(SLOT_IDS[slot_type]) | st.text(max_size=12))
            resolution = {
                "authority": authority,
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": value, "id": value_id}}],
            }
        else:
            resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        slot["resolutions"] = {"resolutionsPerAuthority": [resolution]}
    return slot


@st.composite
def intents(draw: st.DrawFn, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """An intent of `names`; by default of the model, or (one in ten) of no model of this skill."""
    if names is None and draw(st.integers(0, 9)) == 0:
        name = draw(st.from_regex(r"(AMAZON\.)?[A-Z][A-Za-z]{0,30}Intent", fullmatch=True))
    else:
        name = draw(st.sampled_from(names or (*INTENTS, *OTHER_INTENTS)))
    declared = dict(INTENTS.get(name, {}))
    # Slots of another model version, too.
    declared.update(draw(st.dictionaries(st.sampled_from(("answer", "time", "x")), st.just("X"))))
    filled = {
        slot_name: draw(slots(slot_name, slot_type))
        for slot_name, slot_type in declared.items()
        if draw(st.booleans())
    }
    intent: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    empty_slots = draw(st.booleans())  # Alexa sends "slots": {} for some intents
    if filled or empty_slots:
        intent["slots"] = filled
    return intent


@st.composite
def requests(
    draw: st.DrawFn, request_type: str, intent_names: tuple[str, ...] | None = None
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": draw(request_ids),
        "timestamp": draw(timestamps),
    }
    if not request_type.startswith("AlexaSkillEvent."):
        request["locale"] = draw(locales)
    if request_type in ("IntentRequest", "CanFulfillIntentRequest"):
        request["intent"] = draw(intents(intent_names))
        dialog_state = draw(st.none() | st.sampled_from(("STARTED", "IN_PROGRESS", "COMPLETED")))
        if dialog_state is not None:
            request["dialogState"] = dialog_state
    elif request_type == "SessionEndedRequest":
        request["reason"] = draw(
            st.sampled_from(("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"))
        )
        if request["reason"] == "ERROR":
            request["error"] = {"type": "INVALID_RESPONSE", "message": draw(odd_text)}
    elif request_type == "System.ExceptionEncountered":
        request["error"] = {"type": "INVALID_RESPONSE", "message": draw(odd_text)}
        request["cause"] = {"requestId": draw(request_ids)}
    elif request_type == "Connections.Response":
        token = draw(st.builds("checkin:{}".format, times_of_day) | st.text(max_size=20))
        request.update(
            name="AskFor",
            status={"code": "200", "message": "OK"},
            token=token,
            payload={
                "permissionScope": REMINDERS_SCOPE,
                "status": draw(st.sampled_from(("ACCEPTED", "DENIED", "NOT_ANSWERED"))),
            },
        )
    elif request_type.startswith("AudioPlayer."):
        request["token"] = draw(st.text(max_size=20))
        request["offsetInMilliseconds"] = draw(st.integers(0, 10**7))
        if request_type == "AudioPlayer.PlaybackFailed":
            request["error"] = {"type": "MEDIA_ERROR_UNKNOWN", "message": draw(odd_text)}
    elif request_type.startswith("AlexaSkillEvent."):
        request["eventCreationTime"] = draw(timestamps)
        request["eventPublishingTime"] = draw(timestamps)
    elif request_type in ("Display.ElementSelected", "Alexa.Presentation.APL.UserEvent"):
        request["token"] = draw(st.text(max_size=20))
        if request_type == "Alexa.Presentation.APL.UserEvent":
            request["arguments"] = draw(st.lists(json_values, max_size=3))
    elif request_type == "Messaging.MessageReceived":
        request["message"] = draw(st.dictionaries(st.text(max_size=8), json_scalars, max_size=3))
    return request


@st.composite
def alexa_cases(
    draw: st.DrawFn,
    request_types: tuple[str, ...] | None = None,
    writers: tuple[str, ...] = (THIS_VERSION, OTHER_VERSION),
) -> Case:
    """An envelope Alexa could send, and what the table holds for its caller: session
    attributes and a stored profile as one of `writers` left them."""
    writer = draw(st.sampled_from(writers))
    # Half of them intents: that is where the skill's turns are.
    request_type = draw(
        st.sampled_from(request_types)
        if request_types
        else st.just("IntentRequest") | st.sampled_from((*SPOKEN, *SILENT, *UNANSWERED, *NAME_FREE))
    )
    user_id = "amzn1.ask.account." + draw(st.text(alphabet="ABCDEFGHIJ0123456789", max_size=12))
    person_id = draw(st.none() | st.sampled_from(("amzn1.ask.person.A", "amzn1.ask.person.B")))
    granted = draw(st.booleans())
    user: dict[str, Any] = {"userId": user_id}
    if draw(st.booleans()):
        status = "GRANTED" if granted or draw(st.booleans()) else "DENIED"
        user["permissions"] = {"scopes": {REMINDERS_SCOPE: {"status": status}}}
    system: dict[str, Any] = {
        "application": {"applicationId": SKILL_ID},
        "user": user,
        "device": {"deviceId": "amzn1.ask.device.FUZZ", "supportedInterfaces": {}},
        "apiEndpoint": API_ENDPOINT,
        "apiAccessToken": GRANTED_TOKEN if granted else "fuzz-token-plain",
    }
    if person_id is not None:
        system["person"] = {"personId": person_id}
    event: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": system},
        "request": draw(requests(request_type)),
    }
    sessionless = request_type.startswith(SESSIONLESS_PREFIXES) or request_type in SESSIONLESS
    if not sessionless and (request_type in SESSION_TYPES or draw(st.booleans())):
        new = draw(st.booleans())
        session: dict[str, Any] = {
            "new": new,
            "sessionId": f"amzn1.echo-api.session.{draw(st.integers(0, 2**64)):x}",
            "application": {"applicationId": SKILL_ID},
            "user": {"userId": user_id},
        }
        if not new or draw(st.booleans()):
            session["attributes"] = draw(session_attributes(person_id or ACCOUNT_PERSON, writer))
        event["session"] = session
    stored = draw(st.none() | profiles(writer))
    return Case(event=event, stored=stored, from_alexa=writer != CORRUPT and sent_by_alexa(event))


def sent_by_alexa(event: dict[str, Any]) -> bool:
    """Whether an envelope is within what Alexa sends: every slot of a 74-slot intent filled
    with kilobytes of text (control characters take six bytes each in JSON) goes past it, and
    is then refused like any envelope that cannot be Alexa's."""
    attributes = (event.get("session") or {}).get("attributes")
    return (
        len(json.dumps(event).encode()) <= MAX_ENVELOPE_BYTES
        and len(json.dumps(attributes).encode()) <= MAX_SESSION_ATTRIBUTES_BYTES
    )


# -- broken envelopes ------------------------------------------------------------------------

# Parts every breakage is likely to matter in, besides any part at random.
KEY_PATHS: tuple[tuple[str, ...], ...] = (
    ("version",),
    ("request",),
    ("request", "type"),
    ("request", "requestId"),
    ("request", "timestamp"),
    ("request", "locale"),
    ("request", "intent"),
    ("request", "intent", "name"),
    ("request", "intent", "slots"),
    ("context",),
    ("context", "System"),
    ("context", "System", "application"),
    ("context", "System", "application", "applicationId"),
    ("context", "System", "user"),
    ("context", "System", "user", "userId"),
    ("context", "System", "person"),
    ("context", "System", "device"),
    ("context", "System", "apiEndpoint"),
    ("session",),
    ("session", "new"),
    ("session", "attributes"),
    ("session", "attributes", session_keys.PROFILE),
    ("session", "attributes", session_keys.NEXT_TURN),
    ("session", "attributes", session_keys.LAST_RESPONSE),
)


def _all_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        found.append((*prefix, key))
        found.extend(_all_paths(child, (*prefix, key)))
    return found


def _parent(event: Any, path: tuple[Any, ...]) -> Any:
    """The container holding `path`'s last part, made if missing (None if not a container)."""
    node = event
    for key in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(key, {})
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node if isinstance(node, dict | list) else None


@st.composite
def malformed_cases(draw: st.DrawFn) -> Case:
    """An envelope Alexa would not send: one of `alexa_cases` with parts broken."""
    breakage = draw(st.sampled_from(("parts", "parts", "locale", "type", "corrupt", "not a dict")))
    if breakage == "corrupt":
        return draw(alexa_cases(writers=(CORRUPT,)))
    case = draw(alexa_cases())
    event = copy.deepcopy(case.event)
    if breakage == "not a dict":
        return Case(event=draw(json_values), stored=case.stored, from_alexa=False)
    if breakage == "locale":
        event["request"]["locale"] = draw(odd_locales | st.none() | json_values)
    elif breakage == "type":
        event["request"]["type"] = draw(st.sampled_from(UNKNOWN_TYPES) | json_scalars)
    for _ in range(draw(st.integers(1, 3)) if breakage == "parts" else 0):
        path = draw(st.sampled_from(KEY_PATHS) | st.sampled_from(_all_paths(event) or [("x",)]))
        parent = _parent(event, path)
        if parent is None:
            continue
        key = path[-1]
        if isinstance(parent, list) and not (isinstance(key, int) and key < len(parent)):
            continue
        how = draw(st.sampled_from(("delete", "null", "retype", "huge")))
        if how == "delete":
            if isinstance(parent, dict):
                parent.pop(key, None)
            else:
                del parent[key]
        elif how == "null":
            parent[key] = None
        elif how == "huge":
            parent[key] = draw(huge_text)
        else:
            parent[key] = draw(json_values)
    return Case(event=event, stored=case.stored, from_alexa=False)
