"""Delivery channels: email over real SMTP, SMS through a pluggable gateway (logging by default)."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlparse

log = logging.getLogger("tongban.notify")


class SmtpEmail:
    def __init__(self, url: str, sender: str) -> None:
        parsed = urlparse(url)  # smtp://user:pass@host:port or smtps://...
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 25
        self.tls = parsed.scheme == "smtps"
        self.user, self.password = parsed.username, parsed.password
        self.sender = sender

    def send(self, recipient: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, recipient, subject
        message.set_content(body)
        smtp_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=15) as smtp:
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


class LoggingChannel:
    """Development default: writes the message to the log instead of sending it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, str, str]] = []

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.sent.append((recipient, subject, body))
        log.info("message", extra={"fields": {"channel": self.name, "to": recipient, "subject": subject}})


def build_channels(settings) -> dict:
    email_url = settings.extra.get("smtp_url") if settings.extra else None
    import os

    email_url = os.environ.get("TONGBAN_SMTP_URL") or email_url
    sender = os.environ.get("TONGBAN_MAIL_FROM", "通办 Tongban <noreply@tongban.local>")
    return {"email": SmtpEmail(email_url, sender) if email_url else LoggingChannel("email"),
            "sms": LoggingChannel("sms")}
