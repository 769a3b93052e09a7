"""The one daily reminder: at the person's time, in the device's time zone, by the Reminders API."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

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

from skill.alexa_api import call


def daily_rule(time: str) -> str:
    hour, minute = time.split(":")
    return f"FREQ=DAILY;BYHOUR={int(hour)};BYMINUTE={int(minute)};BYSECOND=0;INTERVAL=1;"


def reminder_request(
    handler_input: HandlerInput, time: str, zone: str, text: str
) -> ReminderRequest:
    request = handler_input.request_envelope.request
    # The Reminders API takes local times without an offset, in the named time zone.
    local_now = request.timestamp.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
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
    client = handler_input.service_client_factory.get_reminder_management_service()
    created = call(lambda: client.create_reminder(body))
    return str(created.alert_token)


def update(handler_input: HandlerInput, alert_token: str, body: ReminderRequest) -> None:
    client = handler_input.service_client_factory.get_reminder_management_service()
    call(lambda: client.update_reminder(alert_token, body))


def owned(handler_input: HandlerInput) -> list[str]:
    """The alert tokens of every reminder this skill has set on the account."""
    client = handler_input.service_client_factory.get_reminder_management_service()
    listed = call(client.get_reminders)
    return [str(alert.alert_token) for alert in (listed.alerts or [])]


def delete(handler_input: HandlerInput, alert_token: str) -> None:
    client = handler_input.service_client_factory.get_reminder_management_service()
    call(lambda: client.delete_reminder(alert_token))
