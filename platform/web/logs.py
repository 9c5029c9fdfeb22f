"""Structured request logs: one JSON line per request with its id, tenant, status and duration."""
from __future__ import annotations

import json
import logging
import sys

REQUEST_LOGGER = logging.getLogger("tongban.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(json_lines: bool = True, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("tongban")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def log_request(**fields) -> None:
    if REQUEST_LOGGER.isEnabledFor(logging.INFO):
        REQUEST_LOGGER.info("request", extra={"fields": fields})
