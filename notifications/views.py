from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.models import Notification


@login_required
def notifications(request):
    notices = Notification.objects.filter(recipient=request.user)[:50]
    # One query per kind of subject, not one per notice.
    notices = list(notices.prefetch_related("subject"))
    return render(request, "notifications/notifications.html", {"notices": notices})


@require_POST
@login_required
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")
