"""Background work for standing orders. Safe to run twice or late."""

from series import publishing, volunteers


def publish_occurrences():
    """The schedule's task: publish the visits due within the horizon."""
    return publishing.publish_due_occurrences()


def drop_absent_volunteers():
    """The schedule's task: regular volunteers who miss visits lose the series."""
    return volunteers.drop_absent_volunteers()
