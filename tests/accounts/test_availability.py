"""A volunteer's times of the week and districts: the rows, the page, staff's view, the export."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse as django_reverse
from django.utils import translation

from accounts import services
from accounts.models import MAX_WINDOWS, AvailabilityWindow, VolunteerProfile
from accounts.models.availability import served_districts
from accounts.privacy import personal_data
from tests.conftest import client_of, make_volunteer_profile, messages_of

pytestmark = pytest.mark.django_db
NINE, NOON, FIVE = datetime.time(9), datetime.time(12), datetime.time(17)
PAGE = "people:availability"


def reverse(name, args=None):
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def rows(*windows, extra=2):
    """The page's form set as posted: `windows` filled in, then `extra` empty rows."""
    data = {"times-TOTAL_FORMS": len(windows) + extra, "times-INITIAL_FORMS": 0}
    for index, (weekday, starts, ends) in enumerate(windows):
        data |= {
            f"times-{index}-weekday": weekday,
            f"times-{index}-starts": starts,
            f"times-{index}-ends": ends,
        }
    return data


def saved(profile):
    return [(window.weekday, window.starts, window.ends) for window in profile.availability.all()]


@pytest.fixture
def window(volunteer_profile):
    return AvailabilityWindow.objects.create(
        profile=volunteer_profile, weekday=0, starts=NINE, ends=NOON
    )


# The rows -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "starts", "ends"),
    [(0, NOON, NINE), (0, NINE, NINE), (7, NINE, NOON)],
    ids=["ends before it starts", "ends as it starts", "no such weekday"],
)
def test_the_database_refuses_a_window_that_cannot_be(volunteer_profile, weekday, starts, ends):
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilityWindow.objects.create(
            profile=volunteer_profile, weekday=weekday, starts=starts, ends=ends
        )


def test_the_service_refuses_overlapping_times(volunteer_profile):
    with pytest.raises(services.PeopleError, match="overlap"):
        services.set_availability(
            by=volunteer_profile.user,
            windows=[(2, NINE, NOON), (2, datetime.time(11), FIVE)],
            districts=[],
        )

    assert not AvailabilityWindow.objects.exists()


def test_someone_without_a_volunteer_profile_has_no_times_to_set(elder):
    with pytest.raises(services.PeopleError, match="volunteer profile first"):
        services.set_availability(by=elder, windows=[(0, NINE, NOON)], districts=[])


# The page --------------------------------------------------------------------------


def test_a_volunteer_who_never_set_times_is_told_they_count_as_available_any_time(
    volunteer_profile,
):
    response = client_of(volunteer_profile.user).get(reverse(PAGE))

    assert response.status_code == 200
    assert "任何时间" in response.content.decode()
    assert response.context["districts"]["serve_districts"].value() == [
        volunteer_profile.district_id
    ]


def test_someone_without_a_volunteer_profile_is_sent_to_fill_it_in(client, elder):
    client.force_login(elder)

    response = client.get(reverse(PAGE))

    assert response.status_code == 302
    assert response.url == reverse("people:volunteer")


def test_the_volunteer_saves_times_and_districts(volunteer_profile, haizhu):
    client = client_of(volunteer_profile.user)

    response = client.post(
        reverse(PAGE),
        rows((0, "09:00", "12:00"), (4, "14:00", "17:00"))
        | {"serve_districts": [volunteer_profile.district_id, haizhu.pk]},
    )

    assert response.status_code == 302
    assert saved(volunteer_profile) == [(0, NINE, NOON), (4, datetime.time(14), FIVE)]
    assert set(volunteer_profile.serve_districts.all()) == {volunteer_profile.district, haizhu}
    assert messages_of(response) == ["您的服务时间和区域已保存。"]


def test_an_empty_form_keeps_any_time_in_the_own_district(volunteer_profile):
    response = client_of(volunteer_profile.user).post(reverse(PAGE), rows())

    assert response.status_code == 302
    assert saved(volunteer_profile) == []
    assert list(volunteer_profile.serve_districts.all()) == []


def test_the_second_save_replaces_the_times_instead_of_adding_them(volunteer_profile):
    client = client_of(volunteer_profile.user)
    client.post(reverse(PAGE), rows((0, "09:00", "12:00"), (1, "09:00", "12:00")))

    client.post(reverse(PAGE), rows((2, "13:00", "17:00")))

    assert saved(volunteer_profile) == [(2, datetime.time(13), FIVE)]


def test_the_own_district_ticked_alone_follows_the_volunteer_when_they_move(
    volunteer_profile, haizhu
):
    """The page ticks the own district by default: saved as it is, it is no choice."""
    client = client_of(volunteer_profile.user)
    client.post(reverse(PAGE), rows() | {"serve_districts": [volunteer_profile.district_id]})
    VolunteerProfile.objects.filter(pk=volunteer_profile.pk).update(district=haizhu)

    volunteer_profile.refresh_from_db()
    assert list(volunteer_profile.serve_districts.all()) == []
    assert served_districts(volunteer_profile) == [haizhu.pk]


def test_the_page_shows_the_saved_times_and_empty_rows_to_add_more(window):
    response = client_of(window.profile.user).get(reverse(PAGE))

    forms = response.context["windows"].forms
    assert forms[0]["starts"].value() == NINE
    assert len(forms) == 3
    assert "任何时间" not in response.content.decode()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (rows((0, "12:00", "09:00")), "结束时间必须晚于开始时间。"),
        (rows((0, "09:00", "09:00")), "结束时间必须晚于开始时间。"),
        (rows((0, "09:00", "12:00"), (0, "11:00", "13:00")), "星期一的两段时间重叠"),
        (rows((0, "", "12:00")), "请填写星期、开始和结束时间，或三项都留空。"),
        (rows((0, "9 o'clock", "12:00")), "输入一个有效的时间。"),
        (rows(("8", "09:00", "12:00")), "选择一个有效的选项"),
        (
            rows(*[(day % 7, f"{8 + day // 7}:00", f"{8 + day // 7}:30") for day in range(22)]),
            "最多填写 21 段时间。",
        ),
    ],
    ids=[
        "end before start",
        "end at start",
        "overlap",
        "half a row",
        "not a time",
        "no such day",
        "too many",
    ],
)
def test_a_wrong_form_says_why_and_saves_nothing(window, posted, message):
    response = client_of(window.profile.user).post(reverse(PAGE), posted)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert saved(window.profile) == [(0, NINE, NOON)]


def test_a_form_without_its_row_count_is_refused_not_an_error(window):
    response = client_of(window.profile.user).post(reverse(PAGE), {"serve_districts": []})

    assert response.status_code == 200
    assert saved(window.profile) == [(0, NINE, NOON)]


def test_another_volunteers_row_id_posted_changes_nothing_of_theirs(
    window, other_volunteer, yuexiu
):
    other = make_volunteer_profile(other_volunteer, yuexiu, sequence="126")
    theirs = AvailabilityWindow.objects.create(profile=other, weekday=3, starts=NINE, ends=FIVE)
    posted = rows((5, "10:00", "11:00")) | {"times-0-id": theirs.pk, "times-INITIAL_FORMS": 1}

    client_of(window.profile.user).post(reverse(PAGE), posted)

    assert saved(other) == [(3, NINE, FIVE)]
    assert saved(window.profile) == [(5, datetime.time(10), datetime.time(11))]


def test_another_districts_id_that_does_not_exist_is_a_form_error(volunteer_profile):
    response = client_of(volunteer_profile.user).post(
        reverse(PAGE), rows() | {"serve_districts": [999999]}
    )

    assert response.status_code == 200
    assert response.context["districts"].errors["serve_districts"]


def test_at_most_the_limit_of_times_can_be_saved(volunteer_profile):
    windows = [(day % 7, f"{8 + day // 7}:00", f"{8 + day // 7}:30") for day in range(MAX_WINDOWS)]

    response = client_of(volunteer_profile.user).post(reverse(PAGE), rows(*windows))

    assert response.status_code == 302
    assert volunteer_profile.availability.count() == MAX_WINDOWS


def test_editing_the_profile_keeps_the_districts_chosen(volunteer_profile, haizhu):
    volunteer_profile.serve_districts.set([haizhu])
    services.save_volunteer_profile(
        by=volunteer_profile.user,
        real_name=volunteer_profile.real_name,
        district=volunteer_profile.district,
        street=volunteer_profile.street,
        health_declared=True,
    )

    assert list(volunteer_profile.serve_districts.all()) == [haizhu]


def test_the_profile_page_leads_to_the_times(volunteer_profile):
    response = client_of(volunteer_profile.user).get(reverse("people:me"))

    assert reverse(PAGE) in response.content.decode()


# Staff and the export ------------------------------------------------------------


def test_staff_of_the_area_read_the_times_on_the_volunteers_page(client, district_staff, window):
    client.force_login(district_staff)
    url = django_reverse("admin:accounts_volunteerprofile_change", args=[window.profile.pk])

    response = client.get(url)

    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is AvailabilityWindow
    assert [form.original for form in inline] == [window]
    assert not inline.has_change_permission and not inline.has_add_permission


def test_staff_of_another_area_cannot_open_the_volunteer(client, other_district_staff, window):
    client.force_login(other_district_staff)
    url = django_reverse("admin:accounts_volunteerprofile_change", args=[window.profile.pk])

    response = client.get(url)

    assert response.status_code == 302


def test_the_volunteers_data_export_holds_their_times(window, other_volunteer, yuexiu):
    other = make_volunteer_profile(other_volunteer, yuexiu, sequence="126")
    AvailabilityWindow.objects.create(profile=other, weekday=3, starts=NINE, ends=FIVE)

    exported = personal_data(window.profile.user)["records"]["accounts.AvailabilityWindow"]

    assert [(row["weekday"], row["starts"], row["ends"]) for row in exported] == [
        (0, "09:00:00", "12:00:00")
    ]
