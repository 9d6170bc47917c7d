from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The site's user. Custom from the first migration so fields can be added later."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.username
