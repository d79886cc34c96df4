"""An event as an iCalendar file (RFC 5545), for people's own calendars."""

import datetime

from django.utils import timezone

PRODID = "-//Hubei technology transaction market//portal//ZH"


def _text(value: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and newline escaped."""
    value = str(value or "")
    for raw, escaped in (
        ("\\", "\\\\"),
        (";", "\\;"),
        (",", "\\,"),
        ("\r\n", "\\n"),
        ("\n", "\\n"),
    ):
        value = value.replace(raw, escaped)
    return value


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continued with a space (§3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return [*out, current]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event, *, url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.code}@hbtm.portal",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_text(event.title)}",
        f"LOCATION:{_text(event.venue)}",
        f"DESCRIPTION:{_text(event.description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
