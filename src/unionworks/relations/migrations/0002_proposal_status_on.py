"""A proposal's status is dated (services.change_proposal_status): the day it was last set,
for the proposals already kept the day it was handled, else its session's day."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def date_the_statuses(apps, schema_editor):
    Proposal = apps.get_model("relations", "CongressProposal")
    Session = apps.get_model("relations", "CongressSession")
    held = Session.objects.filter(pk=OuterRef("session_id")).values("held_on")[:1]
    Proposal.objects.filter(status_on__isnull=True).update(
        status_on=Coalesce("handled_on", Subquery(held))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="congressproposal",
            name="status_on",
            field=models.DateField(blank=True, null=True, verbose_name="状态日期"),
        ),
        migrations.RunPython(date_the_statuses, migrations.RunPython.noop),
    ]
