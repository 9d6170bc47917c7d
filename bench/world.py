"""The wiki's surroundings, in bulk: shows and episodes, people, and sources.

People come in the three kinds the trust policy makes: moderators, regulars
(trusted by a moderator's decision, so their proposals were approved
automatically) and occasional fans who never had the five approved proposals
the rule asks for (so theirs were all reviewed). With that split, every stored
decision is the one the services would have taken.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils.text import slugify

from apps.accounts.models import Trust, User
from apps.catalog.models import Episode, Season, Show
from apps.citations.models import Source, SourceKind
from apps.citations.normalise import normalise_url
from apps.moderation.models import TrustChange
from apps.wiki.permissions import MODERATORS_GROUP

from . import corpus
from .config import FAN, MODERATOR, PASSWORD

SHOWS = (("Harbour Lights", 2009, 7), ("The Night Shift", 2013, 6), ("Paper Planes", 2016, 8))
KINDS = (  # how often each kind of source is cited, roughly
    (SourceKind.WEB, 8),
    (SourceKind.BOOK, 2),
    (SourceKind.PODCAST, 3),
    (SourceKind.INTERVIEW, 2),
    (SourceKind.EPISODE, 2),
    (SourceKind.DVD, 1),
    (SourceKind.SOCIAL, 1),
    (SourceKind.PRESS, 1),
)
PUBLISHERS = ("Screen Notes", "The TV Desk", "Backlot Weekly", "Couch Critic", "Reel Gazette")


@dataclass
class World:
    episodes: list[Episode]
    moderators: list[User]
    regulars: list[User]
    fans: list[User]
    sources: list[Source]


def build_world(articles: int, now: datetime) -> World:
    rng = random.Random("world")
    episodes = _catalog(rng)
    moderators, regulars, fans = _people(articles, now)
    sources = _sources(rng, articles, now, [*regulars, *fans[:500]])
    return World(episodes, moderators, regulars, fans, sources)


def _catalog(rng: random.Random) -> list[Episode]:
    shows = Show.objects.bulk_create(
        Show(title=title, slug=slugify(title), first_aired=year, description=f"{title}, a drama.")
        for title, year, _ in SHOWS
    )
    seasons = Season.objects.bulk_create(
        Season(show=show, number=number)
        for show, (_, _, count) in zip(shows, SHOWS, strict=True)
        for number in range(1, count + 1)
    )
    plan = [(season, n) for season in seasons for n in range(1, rng.randint(20, 24) + 1)]
    titles = corpus.episode_titles(len(plan), rng)
    episodes = [
        Episode(
            season=season,
            number=number,
            title=title,
            air_date=date((season.show.first_aired or 2010) + season.number - 1, 9, 1)
            + timedelta(weeks=number - 1),
            production_code=f"{season.show.slug[:2].upper()}{season.number}{number:02d}",
            synopsis=corpus.sentence(rng) + ".",
        )
        for (season, number), title in zip(plan, titles, strict=True)
    ]
    return Episode.objects.bulk_create(episodes, batch_size=500)


def _user(username: str, joined: datetime, password: str, **fields: object) -> User:
    return User(
        username=username,
        email=f"{username}@example.org",
        password=password,
        date_joined=joined,
        email_verified_at=joined,  # confirmed, as fans must be before they propose
        **fields,
    )


def _people(articles: int, now: datetime) -> tuple[list[User], list[User], list[User]]:
    bench_password = make_password(PASSWORD)  # hashed once: it is slow on purpose
    unusable = make_password(None)
    old = now - timedelta(days=1000)
    moderators = [_user(f"mod-{n}", old, unusable, is_staff=True) for n in range(1, 5)]
    moderators.append(_user(MODERATOR, old, bench_password, is_staff=True))
    regulars = [
        _user(f"regular-{n:03d}", old, unusable, trust=Trust.TRUSTED)
        for n in range(max(5, articles // 200))
    ]
    # At most four approved proposals each (the trust rule asks for five): see bench.history.
    fans = [_user(f"fan-{n:05d}", old, unusable) for n in range(ceil(articles * 5 / 4) + 1)]
    # A new account, never trusted: its proposals always wait for review.
    newcomer = _user(FAN, now, bench_password)
    created = User.objects.bulk_create([*moderators, *regulars, *fans, newcomer], batch_size=2000)
    moderators, regulars = created[:5], created[5 : 5 + len(regulars)]
    group = Group.objects.get(name=MODERATORS_GROUP)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in moderators
    )
    TrustChange.objects.bulk_create(
        TrustChange(
            user=user,
            actor=moderators[n % 4],
            trust=Trust.TRUSTED,
            reason="Long-standing, careful contributor.",
            created_at=old + timedelta(days=30),
        )
        for n, user in enumerate(regulars)
    )
    return moderators[:4], regulars, created[5 + len(regulars) : -1]


def _source(rng: random.Random, n: int, kind: str, creator: User, now: datetime) -> Source:
    publisher = rng.choice(PUBLISHERS)
    person = corpus.name(rng)
    thing = rng.choice(corpus.THINGS)
    titles = {
        SourceKind.WEB: f"How the {thing} scene was made",
        SourceKind.BOOK: f"{person}: a life on set",
        SourceKind.PODCAST: f"{publisher} podcast, episode {n % 300 + 1}",
        SourceKind.INTERVIEW: f"Interview with {person}",
        SourceKind.EPISODE: f"The episode itself (broadcast {n % 20 + 1})",
        SourceKind.DVD: f"Season {n % 8 + 1} DVD commentary",
        SourceKind.SOCIAL: f"Post by {person}",
        SourceKind.PRESS: f"Press release: {thing} returns",
    }
    has_url = kind in {SourceKind.WEB, SourceKind.PODCAST, SourceKind.SOCIAL, SourceKind.PRESS}
    url = f"https://WWW.{slugify(publisher)}.example/{kind}/{n}/?utm_source=feed" if has_url else ""
    published = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
    return Source(
        kind=kind,
        title=f"{titles[SourceKind(kind)]} ({n})",
        # Source.save() normalises URLs; bulk_create does not call it, so do it here.
        url=normalise_url(url),
        archive_url=normalise_url(f"https://archive.example/{n}/{url}" if n % 4 == 0 else ""),
        author=person if kind in {SourceKind.WEB, SourceKind.BOOK, SourceKind.SOCIAL} else "",
        publisher=publisher if kind != SourceKind.SOCIAL else "",
        published_date=published,
        accessed_date=published + timedelta(days=rng.randint(0, 900)) if has_url else None,
        created_by=creator,
        created_at=now - timedelta(days=rng.randint(700, 760)),
    )


def _sources(
    rng: random.Random, articles: int, now: datetime, creators: list[User]
) -> list[Source]:
    """A few thousand sources of every kind (fewer for a small wiki)."""
    count = min(max(articles * 3 // 10, 200), 5000)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    sources = [
        _source(rng, n, rng.choice(kinds), creators[n % len(creators)], now) for n in range(count)
    ]
    return Source.objects.bulk_create(sources, batch_size=500)
