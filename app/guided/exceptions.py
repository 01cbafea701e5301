"""What the guided flow refuses, as exceptions views turn into a clear message.

Each carries a Vietnamese ``message`` for the user (the msgid of the translation
catalog), so a view only has to flash it and send the user somewhere sensible.
"""

from __future__ import annotations


class GuidedError(Exception):
    """A request the guided flow must refuse; ``message`` is shown to the user."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message  # a lazy string: flash str(error.message)


class IllegalTransition(GuidedError):
    """The session (or its review) is not in a state that allows this action."""


class StaleSession(GuidedError):
    """Another tab or phone changed the session since this page was shown."""


class RelativeError(GuidedError):
    """A relative cannot be registered, linked or changed as asked."""


class ClaimError(GuidedError):
    """A claim code cannot be issued or used."""
