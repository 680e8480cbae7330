"""The product's URLs plus a baseline page that exists only for the bench."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from orders.models import Order, OrderStatus
from timebank.urls import urlpatterns as product_urlpatterns

BASELINE = engines["django"].from_string(
    "<!DOCTYPE html><title>baseline</title><ul>"
    "{% for order in orders %}<li>{{ order.pk }} {{ order.starts_at }} {{ order.status }}</li>"
    "{% endfor %}</ul>"
)


@login_required
def baseline(request):
    """20 rows from the orders table by an index, one plain template."""
    orders = Order.objects.filter(status=OrderStatus.PUBLISHED).order_by("starts_at", "id")[:20]
    return HttpResponse(BASELINE.render({"orders": orders}))


urlpatterns = [path("bench/baseline/", baseline), *product_urlpatterns]
