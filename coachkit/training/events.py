"""What happens in an attempt, announced for whoever records it elsewhere (the xAPI
statements, `coachkit.xapi`), so training imports none of them.

Receivers run in the transaction of the change: what they add commits or rolls back
with it. Each is sent with the attempt as the sender and `module` (the module exactly
as the attempt saw it); `step_answered` also with `step`.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

attempt_started = _events.signal("training.attempt-started")
step_answered = _events.signal("training.step-answered")
attempt_completed = _events.signal("training.attempt-completed")
