"""A service organisation's page: its members and the orders they served."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from accounts.models import ServiceOrganisation
from orders.models import Order
from orders.paging import keyset_page


@login_required
def organisation_detail(request, pk):
    """The coordinator's page: licence, services, members and the members' professional orders.

    Only the coordinator sees it (staff use the admin). Orders show where and
    when, never the elder's name, address or phone (DESIGN §5).
    """
    organisation = get_object_or_404(
        ServiceOrganisation.objects.owned_by(request.user).select_related("district", "street"),
        pk=pk,
    )
    members = organisation.members.select_related("volunteer_profile").order_by("pk")
    orders = Order.objects.by_members_of(organisation).select_related(
        "service_type", "district", "street", "volunteer__volunteer_profile"
    )
    rows, next_cursor = keyset_page(orders, request.GET.get("after"), descending=True)
    context = {
        "organisation": organisation,
        "service_types": organisation.service_types.all(),
        "members": [(m.public_name, *organisation.standing_of(m)) for m in members],
        "orders": [(order, order.volunteer.public_name) for order in rows],
        "next_cursor": next_cursor,
    }
    return render(request, "orders/organisation.html", context)
