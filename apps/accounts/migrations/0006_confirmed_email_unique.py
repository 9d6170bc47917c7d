import django.db.models.functions.text
from django.db import migrations, models


def keep_the_first_confirmation(apps, schema_editor):
    """Where several accounts confirmed one address, the first to confirm keeps it; the
    others are unconfirmed (their owners can confirm another address)."""
    User = apps.get_model("accounts", "User")
    seen = set()
    confirmed = User.objects.filter(email_verified_at__isnull=False).exclude(email="")
    for user in confirmed.order_by("email_verified_at", "pk").only("pk", "email"):
        address = user.email.lower()
        if address in seen:
            User.objects.filter(pk=user.pk).update(email_verified_at=None)
        seen.add(address)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_is_bot"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(keep_the_first_confirmation, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email_verified_at__isnull", False)) & ~models.Q(("email", "")),
                name="accounts_user_confirmed_email_unique",
            ),
        ),
    ]
