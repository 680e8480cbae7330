from django.contrib import admin

from accounts.models import User, scoped_people
from accounts.scoped_admin import ReadOnly, StaffModelAdmin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnly, StaffModelAdmin):
    list_display = ["created_at", "recipient", "kind", "topic", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["=topic"]
    date_hierarchy = "created_at"
    exclude = ["subject_type", "subject_id"]

    def get_queryset(self, request):
        """The notices of the people the staff member manages."""
        people = scoped_people(User.objects.all(), request.user)
        return super().get_queryset(request).filter(recipient__in=people)
