from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.models import Notification
from notifications.services import mark_all_read


@login_required
def notifications(request):
    notices = Notification.objects.filter(recipient=request.user)[:50]
    # One query per kind of subject, not one per notice.
    notices = list(notices.prefetch_related("subject"))
    return render(request, "notifications/notifications.html", {"notices": notices})


@require_POST
@login_required
def notifications_read(request):
    mark_all_read(request.user)
    return redirect("notifications:list")
