"""Finding one order for the person asking, for the pages and the API alike."""

from django.http import Http404

from orders.models import Order
from orders.services import OrderTaken


def visible_order(user, pk):
    """The order if `user` may open it.

    `OrderTaken` if another volunteer has taken it from the market since
    (every volunteer could see it, so saying so tells nothing new); anything
    else is a 404 that tells nothing.
    """
    order = (
        Order.objects.visible_to(user)
        .select_related("service_type", "elder__user", "volunteer", "district", "street")
        .filter(pk=pk)
        .first()
    )
    if order is not None:
        return order
    if Order.objects.taken_from(user).filter(pk=pk).exists():
        raise OrderTaken()
    raise Http404
