"""What happens in coaching, announced for whoever records it elsewhere (the opt-in
xAPI statements, `coachkit.xapi`), so coaching imports none of them.

`session_recorded` is sent with the new session (flushed) as the sender, in the
transaction that records it."""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

session_recorded = _events.signal("coaching.session-recorded")
