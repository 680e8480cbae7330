"""The write detector the no-write tests stand on must see every kind of write."""

import pytest
from django.db import transaction

from accounts.models import District
from tests.conftest import make_user
from tests.db_writes import Writes, all_models


def test_nothing_written_names_no_table(db):
    District.objects.create(code="before", name_zh="前", name_en="Before")
    writes = Writes(all_models())
    list(District.objects.all())
    assert writes.tables() == []


@pytest.mark.parametrize("write", ["insert", "update", "delete", "many-to-many", "rolled back"])
def test_each_kind_of_write_names_its_table(db, write):
    district = District.objects.create(code="liwan", name_zh="荔湾", name_en="Liwan")
    user = make_user("+8613900000099", name="Someone")
    writes = Writes(all_models())
    if write == "insert":
        District.objects.create(code="haizhu", name_zh="海珠", name_en="Haizhu")
    elif write == "update":
        District.objects.filter(pk=district.pk).update(name_en="Liwan")  # the same value
    elif write == "delete":
        district.delete()
    elif write == "many-to-many":
        user.groups.create(name="Helpers")
    else:
        with transaction.atomic():
            District.objects.create(code="haizhu", name_zh="海珠", name_en="Haizhu")
            transaction.set_rollback(True)
    written = {model._meta.label_lower for model in writes.tables()}
    expected = {"many-to-many": {"auth.group", "accounts.user_groups"}}
    assert written == expected.get(write, {"accounts.district"})
