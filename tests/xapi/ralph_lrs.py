"""Ralph's LRS (`ralph.api`, its file-system backend) on loopback, for the tests:
`python ralph_lrs.py PORT`, configured by Ralph's own RALPH_* environment variables.

Ralph 5.1.0's file-system LRS backend writes every POST to the same file with the
data backend's default operation (index), which refuses a file that exists: only the
first write is stored and later POSTs answer 500 "Statements bulk indexation failed".
An LRS must keep every statement, so the app here runs with `AppendingFSLRSBackend`,
which appends each write to that file instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from io import IOBase
from typing import Any

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend


class AppendingFSLRSBackend(FSLRSBackend):
    """Ralph's file-system LRS backend, appending every write (see the module's text)."""

    def write(
        self,
        data: IOBase | Iterable[bytes] | Iterable[dict[str, Any]],
        target: str | None = None,
        chunk_size: int | None = None,
        ignore_errors: bool = False,
        operation_type: BaseOperationType | None = None,
    ) -> int:
        return super().write(data, target, chunk_size, ignore_errors, BaseOperationType.APPEND)


def main(port: int) -> None:
    import uvicorn
    from ralph.api import app
    from ralph.api.routers import health, statements

    backend = AppendingFSLRSBackend()
    statements.BACKEND_CLIENT = backend  # type: ignore[attr-defined]
    health.BACKEND_CLIENT = backend  # type: ignore[attr-defined]
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))
