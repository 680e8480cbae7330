"""Background work for standing orders. Safe to run twice or late."""

from series import publishing


def publish_occurrences():
    """The schedule's task: publish the visits due within the horizon."""
    return publishing.publish_due_occurrences()
