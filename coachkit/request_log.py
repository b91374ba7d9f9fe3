"""Access logs without secrets: one-time tokens in URLs are redacted before logging.

gunicorn uses `RedactingLogger` through gunicorn.conf.py; every value a log line can
show (request line, path, headers, environ) goes through `redact`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# URL segments that carry a secret token: the segment after the prefix is replaced.
_SECRET_SEGMENT = re.compile(r"(/set-password/|/screening/)[^/?#\s]+")


def redact(text: str) -> str:
    """`text` with every secret URL token replaced by `[redacted]`."""
    return _SECRET_SEGMENT.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    """gunicorn's logger, with secret URL tokens removed from access-log atoms."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        # Headers and environ values appear as atoms too: redact every string.
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }


class RedactingFilter(logging.Filter):
    """A logging filter that redacts secret URL tokens from any record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(app_logger: logging.Logger) -> None:
    """Redact the app's own log (e.g. "Exception on /set-password/...") and the
    development server's request log."""
    for logger in (app_logger, logging.getLogger("werkzeug")):
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
