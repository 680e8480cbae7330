"""A volunteer whose only served district is their own had it stored by the old
profile form, which saved it on every save: stored, it would stay behind when
they move. No choice means their own district, so such rows are removed."""

from django.db import migrations
from django.db.models import Count, F


def forget_own_district_only(apps, schema_editor):
    VolunteerProfile = apps.get_model("accounts", "VolunteerProfile")
    chosen = VolunteerProfile.serve_districts.through.objects
    own_only = (
        VolunteerProfile.objects.annotate(chosen=Count("serve_districts"))
        .filter(chosen=1, serve_districts=F("district"))
        .values("pk")
    )
    chosen.filter(volunteerprofile__in=own_only).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0012_city_volunteer_number")]

    operations = [migrations.RunPython(forget_own_district_only, migrations.RunPython.noop)]
