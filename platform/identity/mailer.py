"""Outgoing email behind a small interface: in-memory and logging backends now, SMTP later."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("tongban.identity.mail")


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...


class MemoryMailer:
    """Keeps every message (tests, demos): ``outbox`` in sending order."""

    def __init__(self) -> None:
        self.outbox: list[Email] = []
        self._lock = threading.Lock()

    def send(self, email: Email) -> None:
        with self._lock:
            self.outbox.append(email)


class LoggingMailer:
    """Development default: writes the message to the log (a reset link can be copied from there)."""

    def send(self, email: Email) -> None:
        log.info("email", extra={"fields": {"to": email.to, "subject": email.subject, "body": email.body}})
