"""``manage.py api_token create USERNAME --scopes read,propose``: a token for a script.

The new token is printed alone on the last line (so ``| tail -1`` takes it); it is
never shown again. ``list USERNAME`` shows an account's tokens, ``revoke PREFIX`` ends one.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.accounts.models import User
from apps.api.models import ApiToken
from apps.api.tokens import PREFIX, token_create, token_revoke
from apps.web.refusals import message_of


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token; prints it on the last line.")
        create.add_argument("username")
        create.add_argument(
            "--scopes", default="read", help="Comma-separated: read,propose,moderate"
        )
        create.add_argument(
            "--name", default="", help="What it is for (default: made by manage.py)."
        )
        create.add_argument("--expires-days", type=int, default=None,
                            help="Days until it expires (default: never).")  # fmt: skip
        listing = actions.add_parser("list", help="An account's tokens.")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by the 8 characters after fwk_.")
        revoke.add_argument("prefix")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        return user

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            user = self._user(options["username"])
            days = options["expires_days"]
            if days is not None and days < 1:
                raise CommandError("--expires-days must be 1 or more.")
            try:
                token, secret = token_create(
                    user=user,
                    name=options["name"] or "made by manage.py api_token",
                    scopes=options["scopes"],
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                )
            except (ValidationError, PermissionDenied) as refusal:
                raise CommandError(message_of(refusal)) from refusal
            self.stderr.write(
                f"Token {PREFIX}{token.prefix}… for {user} ({token.scopes}); "
                "shown once, on the next line:"
            )
            self.stdout.write(secret)
        elif action == "list":
            user = self._user(options["username"])
            for token in user.api_tokens.all():
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{PREFIX}{token.prefix}…  {token.state:8}  {token.scopes:22}  "
                    f"last used {used}  {token.name}"
                )
        else:
            prefix = options["prefix"].removeprefix(PREFIX).rstrip("….")
            found = ApiToken.objects.filter(prefix=prefix).first()
            if found is None:
                raise CommandError(f"No token starts with {PREFIX}{prefix}.")
            staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
            token_revoke(token=found, actor=staff or found.user)
            self.stdout.write(f"Revoked {PREFIX}{found.prefix}… ({found.name}).")
