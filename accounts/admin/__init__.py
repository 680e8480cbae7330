"""The staff site's pages for people, places and their verification, by area."""

from accounts.admin import logins, records, regions, verification

__all__ = ["logins", "records", "regions", "verification"]
