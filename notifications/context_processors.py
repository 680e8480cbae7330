from notifications.models import Notification


def unread_notifications(request):
    """The unread count in the header (one query, logged-in only)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=request.user, read_at__isnull=True
        ).count()
    }
