"""What a bench run is: its size, its length, and the names every part of it shares."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
REPORT = BENCH_DIR / "report.json"

# One word in about nine articles in ten, one in about one in a thousand: search's two extremes.
COMMON_WORD = "rehearsal"
RARE_WORD = "zither"

# The two accounts the load signs in with. The password never leaves 127.0.0.1.
FAN = "bench-fan"
MODERATOR = "bench-moderator"
PASSWORD = "bench-password-for-127.0.0.1-only"

ROUNDS = 3
URLS_PER_PAGE = 200  # different articles, so no one URL looks artificially hot to a cache
PROPOSAL_ARTICLES = 20


def env_int(name: str, default: int) -> int:
    """A positive whole number from the environment; anything else stops the bench."""
    raw = os.environ.get(name, "").strip().replace(",", "").replace("_", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        sys.exit(f"{name} must be a positive whole number, not {raw!r}.")
    return int(raw)


@dataclass(frozen=True)
class Options:
    articles: int
    seconds: int
    rebuild: bool
    database_url: str  # empty: SQLite

    @classmethod
    def from_env(cls) -> "Options":
        return cls(
            articles=env_int("BENCH_ARTICLES", 10_000),
            seconds=env_int("BENCH_SECONDS", 5),
            rebuild=os.environ.get("BENCH_REBUILD", "").strip().lower() in {"1", "true", "yes"},
            database_url=os.environ.get("DATABASE_URL", "").strip(),
        )


# The pages measured, in the order each round loads them, and who asks for them.
# The proposal form comes last: it adds proposals, which the queue then counts.
PAGES = {
    "article-anonymous": "anonymous",
    "article-signed-in": "fan",
    # The API's read of the same articles (JSON: text, HTML, citations), beside the page.
    "api-article": "anonymous",
    "history": "anonymous",
    "episode": "anonymous",
    "category": "anonymous",
    "home": "anonymous",
    "source": "anonymous",
    "search-common": "anonymous",
    "search-rare": "anonymous",
    "recent": "anonymous",
    "moderation-queue": "moderator",
    "review": "moderator",
    "proposal-submission": "fan",
}
POST_PAGES = {"proposal-submission"}
