"""Real threads against PostgreSQL: one statement credits once, however it is sent."""

import pytest

from credits.carrying import approve_statement, import_statement
from credits.management.commands.verify_ledger import check_ledger
from credits.models import CarriedStatement, CarriedStatus, Transfer, TransferKind
from credits.statements import StatementError
from tests.conftest import balance, make_staff, run_together
from tests.credits.carry import make_platform, statement_file

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_staff_approving_one_statement_at_once_credit_it_once(
    volunteer, volunteer_profile, district_staff, yuexiu
):
    _platform, key = make_platform()
    carried = import_statement(volunteer, statement_file(key, volunteer_profile), by=volunteer)
    second = make_staff("second@example.org", yuexiu)

    results = run_together(
        *[lambda by=by: approve_statement(carried, by=by) for by in (district_staff, second) * 3]
    )

    approved = [r for r in results if isinstance(r, CarriedStatement)]
    assert len(approved) == 1, results
    assert all(isinstance(r, (CarriedStatement, StatementError)) for r in results), results
    assert Transfer.objects.filter(kind=TransferKind.CARRY_IN).count() == 1
    assert balance(volunteer) == 12
    assert CarriedStatement.objects.get().status == CarriedStatus.APPROVED
    assert check_ledger()[0] == []


def test_one_statement_uploaded_twice_at_once_is_kept_once_and_credited_once(
    volunteer, volunteer_profile, district_staff
):
    _platform, key = make_platform()
    data = statement_file(key, volunteer_profile)

    results = run_together(
        *[
            lambda by=by: import_statement(volunteer, data, by=by)
            for by in (volunteer, district_staff) * 3
        ]
    )

    kept = [r for r in results if isinstance(r, CarriedStatement)]
    assert len(kept) == 1, results
    assert all(
        isinstance(r, StatementError) and "already uploaded" in str(r)
        for r in results
        if r not in kept
    ), results
    approver = make_staff("approver@example.org", volunteer_profile.district)
    run_together(*[lambda: approve_statement(kept[0], by=approver) for _ in range(4)])
    assert balance(volunteer) == 12
    assert check_ledger()[0] == []
