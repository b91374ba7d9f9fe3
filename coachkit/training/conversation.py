"""How far a conversation has come and how far it may still go: "Step 3 of about 6" in
the player and "4 to 6 steps" on a module's card, from the shortest and the longest way
left to an ending (`content.paths.remaining`), never from the count of all its steps."""

from __future__ import annotations

from dataclasses import dataclass

from coachkit.content.modules import Module
from coachkit.content.paths import remaining


@dataclass(frozen=True)
class Length:
    """How many answers a way through takes: the fewest and the most."""

    fewest: int
    most: int

    @property
    def about(self) -> int:
        """One number to say: the middle of the range, halves rounded up."""
        return (self.fewest + self.most + 1) // 2

    def __str__(self) -> str:
        """As a module's card says it: "4 to 6 steps", or "5 steps" when every way is
        as long."""
        span = str(self.most) if self.fewest == self.most else f"{self.fewest} to {self.most}"
        return f"{span} step{'' if self.most == 1 else 's'}"


@dataclass(frozen=True)
class Progress:
    """The step being answered (from 1) and the length of the whole attempt if it ends by
    the shortest or by the longest way from here."""

    number: int
    length: Length


def module_length(module: Module) -> Length:
    """How many answers a module takes from its start, on its shortest and longest way."""
    left = remaining(module, module.start)
    return Length(left.fewest, left.most)


def step_progress(module: Module, node_id: str, answered: int) -> Progress:
    """Where an attempt that has given `answered` answers stands at `node_id`."""
    left = remaining(module, node_id)
    return Progress(answered + 1, Length(answered + left.fewest, answered + left.most))
