"""The people app's one refusal: its message is safe to show to whoever asked."""


class PeopleError(Exception):
    """A refused change; the message can be shown to the person who asked."""
