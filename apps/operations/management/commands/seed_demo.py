"""Load the demo content: The Office's "Casino Night", its sources and a trivia article,
a pending proposal with a moderator's comment, and a talk topic with a reply.

Idempotent: everything is looked up by its natural key first, so running it again
creates nothing new. Everything is written through each app's services, like
everything else. With DEBUG on it also makes sure the two demo
accounts exist (password ``demo-password``); with DEBUG off it creates no
account, and so skips the article and the proposal, which need an author and a
moderator.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog.models import Episode, Season, Show
from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.operations import demo_content as demo
from apps.talk import services as talk
from apps.talk.models import Topic
from apps.wiki import services
from apps.wiki.models import Article, RevisionStatus
from apps.wiki.permissions import MODERATE_PERMISSION, MODERATORS_GROUP

DEMO_PASSWORD = "demo-password"
FAN_USERNAME = "demo-fan"
MODERATOR_USERNAME = "demo-moderator"
# Another fan, whose proposal waits in the queue: demo-fan starts the tour with none.
WRITER_USERNAME = "demo-writer"

# What the demo moderator may do in the Django admin: look at everything the wiki
# is made of, and maintain the catalog and the sources. Decisions on revisions go
# through the moderation permission (the group), never through change rights.
VIEW_APPS = ("wiki", "moderation", "catalog", "citations")
EDIT_APPS = ("catalog", "citations")


class Command(BaseCommand):
    help = "Load the demo show, episode, sources and article (idempotent)."

    def handle(self, *args, **options):
        if slugify(demo.ARTICLE_TITLE) != demo.ARTICLE_SLUG:
            raise CommandError("The demo article's title no longer gives its fixed slug.")
        with transaction.atomic():
            episode = self._catalog()
            sources = self._sources()
            if not settings.DEBUG:
                self._say(
                    "DEBUG is off: created no demo accounts, and skipped the demo article "
                    "and its pending proposal (they need the demo accounts)."
                )
            else:
                fan, moderator = self._accounts()
                writer = self._user(WRITER_USERNAME)
                article = self._article(episode, sources, fan, moderator)
                if article is not None:
                    self._proposal(article, sources, writer, moderator)
                    self._talk_topic(article, fan, moderator)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

    # --- output --------------------------------------------------------------

    def _say(self, message):
        self.stdout.write(f"  {message}")

    def _report(self, what, created):
        self._say(f"{what}: {'created' if created else 'found'}")

    # --- catalog and sources ------------------------------------------------

    def _catalog(self):
        show, created = Show.objects.get_or_create(
            slug=demo.SHOW["slug"],
            defaults={k: v for k, v in demo.SHOW.items() if k != "slug"},
        )
        self._report(f"Show “{show.title}”", created)
        article_episode = None
        for season_number, number, title, air_date in demo.EPISODES:
            season, _ = Season.objects.get_or_create(show=show, number=season_number)
            episode, created = Episode.objects.get_or_create(
                season=season, number=number, defaults={"title": title, "air_date": air_date}
            )
            self._report(f"Episode {episode.code} “{episode.title}”", created)
            if (season_number, number) == demo.ARTICLE_EPISODE:
                article_episode = episode
        return article_episode

    def _sources(self):
        sources = {}
        for key, fields in demo.SOURCES.items():
            source = (
                Source.objects.filter(title=fields["title"], kind=fields["kind"])
                .order_by("id")
                .first()
            )
            created = source is None
            if created:
                source = Source(**fields)
                source.full_clean(exclude=["created_by"])
                source.save()
            self._report(f"Source “{source.title}” ({source.get_kind_display()})", created)
            sources[key] = source
        return sources

    # --- accounts -------------------------------------------------------------

    def _user(self, username):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                email=f"{username}@example.com",
                email_verified_at=timezone.now(),
            )
            self._report(f"Account {username}", True)
            return user
        changed = []
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if not user.is_active:
            user.is_active = True
            changed.append("is_active")
        if not user.email_verified:
            user.email = user.email or f"{username}@example.com"
            user.email_verified_at = timezone.now()
            changed += ["email", "email_verified_at"]
        if changed:
            user.save(update_fields=changed)
        self._report(f"Account {username}", False)
        if changed:
            self._say(f"  (reset {', '.join(changed)} so the demo log-in works)")
        return user

    def _accounts(self):
        fan = self._user(FAN_USERNAME)
        moderator = self._user(MODERATOR_USERNAME)
        if not moderator.is_staff:
            moderator.is_staff = True
            moderator.save(update_fields=["is_staff"])
        moderator.groups.add(self._moderators_group())
        moderator.user_permissions.add(*self._admin_permissions())
        self._say(
            f"Log in as {FAN_USERNAME} or {MODERATOR_USERNAME} (or {WRITER_USERNAME}, "
            f"who wrote the proposal waiting for review), password {DEMO_PASSWORD}"
        )
        # Fetched again so no permission cache from before the group was added lingers.
        return fan, get_user_model().objects.get(pk=moderator.pk)

    def _moderators_group(self):
        # A migration creates the group with its permission; make sure both are still there.
        group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
        app_label, codename = MODERATE_PERMISSION.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
        return group

    def _admin_permissions(self):
        # Model permissions are created after migrate; creating them here too is harmless.
        for label in VIEW_APPS:
            create_permissions(apps.get_app_config(label), verbosity=0)
        view = Q(content_type__app_label__in=VIEW_APPS, codename__startswith="view_")
        edit = Q(content_type__app_label__in=EDIT_APPS) & (
            Q(codename__startswith="add_") | Q(codename__startswith="change_")
        )
        return list(Permission.objects.filter(view | edit))

    # --- the article and the proposal ----------------------------------------

    @staticmethod
    def _citations(specs, sources):
        return [
            services.CitationInput(source=sources[name], quote=quote, locator=locator, key=number)
            for number, (name, quote, locator) in enumerate(specs, start=1)
        ]

    def _article(self, episode, sources, fan, moderator):
        article = Article.objects.filter(slug=demo.ARTICLE_SLUG).first()
        if article is None:
            revision = services.article_create(
                author=fan,
                title=demo.ARTICLE_TITLE,
                body=demo.ARTICLE_BODY,
                summary=demo.ARTICLE_SUMMARY,
                citations=self._citations(demo.ARTICLE_CITATIONS, sources),
                episode=episode,
                categories=demo.ARTICLE_CATEGORIES,
                aliases=demo.ARTICLE_ALIASES,
            )
            moderation.revision_approve(revision=revision, moderator=moderator)
            self._say(f"Article “{demo.ARTICLE_TITLE}”: created, proposed by {fan} and approved")
            article = Article.objects.get(pk=revision.article_id)
        elif not article.is_published:
            first = article.revisions.pending().filter(author=fan, base=None).order_by("id").first()
            if first is None:
                self._say(
                    f"Article “{article.title}”: found, awaiting review by someone else; "
                    "left as it is"
                )
                return None
            moderation.revision_approve(revision=first, moderator=moderator)
            self._say(f"Article “{article.title}”: found unpublished; approved its first revision")
            article.refresh_from_db()
        else:
            self._report(f"Article “{article.title}”", False)
        self._say(f"Read it at /wiki/{article.slug}/")
        return article

    def _proposal(self, article, sources, fan, moderator):
        # Whoever wrote it (demo-fan did, in demos made before demo-writer existed).
        earlier = article.revisions.filter(summary=demo.PROPOSAL_SUMMARY).order_by("pk").first()
        if earlier is not None:
            self._say(
                f"Demo proposal by {earlier.author}: found, "
                f"{RevisionStatus(earlier.status).label.lower()}; not proposed again"
            )
            return
        base = article.approved_revision
        if base.body != demo.ARTICLE_BODY:
            self._say(
                "The article's approved text is no longer the demo text; "
                "no demo proposal made on top of it"
            )
            return
        revision = services.revision_propose(
            article=article,
            author=fan,
            body=demo.PROPOSAL_BODY,
            summary=demo.PROPOSAL_SUMMARY,
            citations=self._citations(demo.PROPOSAL_CITATIONS, sources),
            base=base,
        )
        self._say(
            f"Pending proposal by {fan}: created (revision {revision.pk}), waiting in /moderation/"
        )
        moderation.thread_start(revision=revision, user=moderator, body=demo.REVIEW_COMMENT)
        self._say(f"A review comment by {moderator} on it: created")

    def _talk_topic(self, article, fan, moderator):
        if Topic.objects.filter(article=article, title=demo.TALK_TOPIC_TITLE).exists():
            self._report(f"Talk topic “{demo.TALK_TOPIC_TITLE}”", False)
            return
        topic = talk.topic_start(
            article=article, author=fan, title=demo.TALK_TOPIC_TITLE, body=demo.TALK_TOPIC_BODY
        )
        talk.post_reply(
            topic=topic, author=moderator, body=demo.TALK_REPLY_BODY, parent=topic.posts.get()
        )
        self._say(f"Talk topic “{topic.title}”: created, with a reply (/wiki/{article.slug}/talk/)")
