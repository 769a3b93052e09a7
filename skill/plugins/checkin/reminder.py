"""The one daily reminder: at the person's time, in the device's time zone, by the Reminders API.

An answer that is not what the API documents (a reminder without its alert token, a listing
without its alerts) is a failure, ApiUnavailable, like an error status: whether the change was
made is then unknown, and the profile keeps what Alexa last confirmed. A deletion is confirmed by
its status alone, the API documenting no body for it.
"""

from __future__ import annotations

from datetime import datetime

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)

from skill import api


def daily_rule(time: str) -> str:
    hour, minute = time.split(":")
    return f"FREQ=DAILY;BYHOUR={int(hour)};BYMINUTE={int(minute)};BYSECOND=0;INTERVAL=1;"


def reminder_request(
    handler_input: HandlerInput, time: str, zone: str, text: str
) -> ReminderRequest:
    import zoneinfo  # not on the cold path: only when a reminder is set

    request = handler_input.request_envelope.request
    # The Reminders API takes local times without an offset, in the named time zone.
    local_now = request.timestamp.astimezone(zoneinfo.ZoneInfo(zone)).replace(
        tzinfo=None, microsecond=0
    )
    hour, minute = (int(part) for part in time.split(":"))
    start = datetime.combine(local_now.date(), local_now.time()).replace(
        hour=hour, minute=minute, second=0
    )
    return ReminderRequest(
        request_time=local_now,
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id=zone,
            recurrence=Recurrence(start_date_time=start, recurrence_rules=[daily_rule(time)]),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=request.locale, text=text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def create(handler_input: HandlerInput, body: ReminderRequest) -> str:
    """Creates the reminder; its alert token."""
    client = handler_input.service_client_factory.get_reminder_management_service()
    created = api.alexa.call(lambda: client.create_reminder(body))
    return api.alexa.answer_text(created, "alert_token")


def update(handler_input: HandlerInput, alert_token: str, body: ReminderRequest) -> None:
    client = handler_input.service_client_factory.get_reminder_management_service()
    updated = api.alexa.call(lambda: client.update_reminder(alert_token, body))
    api.alexa.answer_text(updated, "alert_token")  # the API answers with the reminder it changed


def owned(handler_input: HandlerInput) -> list[str]:
    """The alert tokens of every reminder this skill has set on the account."""
    client = handler_input.service_client_factory.get_reminder_management_service()
    listed = api.alexa.call(client.get_reminders)
    alerts = getattr(listed, "alerts", None)
    if alerts is None and getattr(listed, "total_count", None) == "0":
        return []
    if not isinstance(alerts, list):
        raise api.alexa.ApiUnavailable(f"{api.alexa.MALFORMED}: no alerts")
    return [api.alexa.answer_text(alert, "alert_token") for alert in alerts]


def delete(handler_input: HandlerInput, alert_token: str) -> None:
    client = handler_input.service_client_factory.get_reminder_management_service()
    api.alexa.call(lambda: client.delete_reminder(alert_token))
