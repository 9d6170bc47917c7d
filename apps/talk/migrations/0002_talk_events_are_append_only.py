"""Talk's moderation records refuse UPDATE and DELETE in the database (apps.web.appendonly)."""

from django.db import migrations

from apps.web.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("talk", "0001_initial")]

    operations = [append_only("talk_talkevent", what="talk moderation records")]
