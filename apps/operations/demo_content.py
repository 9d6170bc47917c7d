"""The demo content that ``manage.py seed_demo`` loads.

The facts come from the two reference articles in ``../shared/reference/`` and
from what those articles themselves cite. Every sentence of the article text is
our own; the only words taken from the sources are the supporting quotes of the
citations (one sentence at most each). The reference files give no publisher,
URL or date, so those fields stay empty: never fill them in from memory.
"""

import datetime

from apps.citations.models import SourceKind

# --- Catalog -----------------------------------------------------------------

SHOW = {
    "slug": "the-office",
    "title": "The Office",
    "description": (
        "A mockumentary sitcom about the everyday lives of the staff at the Scranton "
        "branch of the Dunder Mifflin paper company."
    ),
    "first_aired": 2005,
}

# (season, episode, title, air date or None). Only episodes whose number and
# title are certain; air dates only where we know them.
EPISODES = [
    (1, 1, "Pilot", None),
    (2, 1, "The Dundies", None),
    (2, 11, "Booze Cruise", None),
    (2, 22, "Casino Night", datetime.date(2006, 5, 11)),
]
ARTICLE_EPISODE = (2, 22)

# --- Sources -----------------------------------------------------------------

# Keyed by a short name used below; looked up by (title, kind).
SOURCES = {
    "directing_choice": {
        "kind": SourceKind.WEB,
        "title": (
            "'The Office': The Interesting Directing Choice Made to Ensure Jim and Pam's "
            "First Kiss Was 'One of the Best First Kisses on Television'"
        ),
    },
    "story_behind": {
        "kind": SourceKind.WEB,
        "title": "The Story Behind Jim & Pam's First Kiss On 'The Office' Is Ridiculously Cute",
    },
    "book": {
        "kind": SourceKind.BOOK,
        "title": "The Actor's Life: A Survival Guide",
        "author": "Jenna Fischer",
    },
    "office_ladies": {
        "kind": SourceKind.PODCAST,
        "title": "Office Ladies (podcast): the episode with John Krasinski as guest",
        "author": "Jenna Fischer and Angela Kinsey",
    },
    "wwhl": {
        "kind": SourceKind.INTERVIEW,
        "title": "Watch What Happens Live: interview with Jenna Fischer (2016)",
    },
    "buzzfeed": {
        "kind": SourceKind.WEB,
        "title": "BuzzFeed: report on John Krasinski's first on-screen kiss (headline not known)",
    },
}

# Sources we only know through one of the two articles say so in the locator.
VIA_DIRECTING_CHOICE = 'via "The Interesting Directing Choice…" (web article)'
VIA_STORY_BEHIND = 'via "The Story Behind Jim & Pam\'s First Kiss…" (web article)'
SETTING_UP_SECTION = "section “Setting up Jim and Pam’s first kiss on ‘The Office’”"
RUMOURS_SECTION = "section “The rumors that Jenna Fischer and John Krasinski were together…”"

# --- The article -------------------------------------------------------------

# article_create derives the slug from the title, so the title is chosen to give
# the fixed slug (the command checks this).
ARTICLE_TITLE = "Casino Night: first kiss trivia"
ARTICLE_SLUG = "casino-night-first-kiss-trivia"
ARTICLE_SUMMARY = "New article: how Jim and Pam's first kiss was filmed, with sources."
# Filed under these (the categories' pages list it) and found by this other name too.
ARTICLE_CATEGORIES = "Behind the scenes\nFirst kisses\nSeason finales"
ARTICLE_ALIASES = "Jim and Pam's first kiss"

_MARRIAGE_ITEM = (
    "- Both actors got married in July 2010, a week apart: Fischer to the writer Lee Kirk, "
    "Krasinski to the actor Emily Blunt.[@11]"
)

# Markers: [@n] cites the n-th entry of ARTICLE_CITATIONS (its key); the
# disputed marker names the citation on each side of the disagreement.
ARTICLE_BODY = f"""\
"Casino Night", the last episode of the second season of *The Office*, is the one in \
which Jim and Pam kiss for the first time.[@1]

## The moment on screen

!!! spoiler S02E22
    Jim confesses his love to Pam out in the parking lot. She goes back into the office \
and phones her mother, and while she is still on the line Jim walks in and kisses her.[@2]

## How the kiss was filmed

- Fischer and Krasinski were deliberately separated for the whole shooting day.[@3]
- The script marked the moment with a single, very excited stage direction: \
"JIM KISSES PAM!!!"[@4]
- Director Ken Kwapis never said "action". He told Fischer to begin once he had walked \
off, so his exit was the cue.[@5]
- Fischer writes that as soon as he left she felt fully inside Pam's world, and she \
calls the kiss that followed perfect.[@6, 7]

## Nerves on both sides

- Krasinski remembers being very nervous: he thought of it as the biggest scene he had \
played on the show so far.[@8]
- Fischer recalls that Kwapis judged both of his leads to be extremely nervous that \
day.[@3]
- Krasinski was 25 and barely known when the series began in 2005, with only a few small \
film parts behind him.[citation needed]

## The scene before the kiss

- Fans mostly ask about the kiss, but Fischer says the scene the two of them put the \
most effort into was the one just before it, in the parking lot, where Jim tells Pam \
"I love you".[@9]
- She adds that Krasinski cried in some of the takes of that scene.[@10]

## After the show

{_MARRIAGE_ITEM}

## Whose first on-screen kiss?

The sources agree that it was Krasinski's first on-screen kiss.[@12, 14] Whether it was \
Fischer's first as well is disputed: one article says it was the first for both actors, \
the other that Fischer was one kiss more experienced than her co-star.[disputed @12 @14] \
The first article adds, crediting BuzzFeed, that Krasinski told Fischer at the time that \
it was not his first.[@13]

If you can cite something that settles the question, such as the exact minute of the \
Office Ladies episode, please propose an edit.
"""

# (source key, quote, locator); the body's marker [@n] names the n-th entry.
ARTICLE_CITATIONS = [
    (
        "story_behind",
        "As you might recall, Jim and Pam's debut smooch happened during the final episode "
        'of Season 2, "Casino Night."',
        "paragraph 2",
    ),
    (
        "directing_choice",
        "Jim told Pam he loved her in the parking lot after “Casino Night” and she ran "
        "upstairs to call her mom.",
        "opening paragraph",
    ),
    (
        "story_behind",
        "On the day of filming, Fischer and Krasinski were purposely kept apart for the "
        "entire day, and Fischer recalled that director Ken Kwapis deemed both her and "
        'Krasinski "off-the-charts nervous."',
        "paragraph 2",
    ),
    (
        "story_behind",
        "Oh, and it probably didn't help that the screen description in the script read, "
        '"JIM KISSES PAM!!!"',
        "paragraph 2",
    ),
    (
        "directing_choice",
        "To ensure that Fischer and John Krasinski were undoubtedly in the moment, Director "
        "Ken Kwapis didn’t call “action” to start the scene.",
        SETTING_UP_SECTION,
    ),
    (
        "book",
        "when he walked away, I felt completely transported into a new reality.",
        VIA_DIRECTING_CHOICE,
    ),
    ("book", "It was perfect.", VIA_DIRECTING_CHOICE),
    ("office_ladies", "I remember genuinely being extremely nervous.", VIA_STORY_BEHIND),
    (
        "office_ladies",
        "People always ask about the kiss, but this was the scene we worked hardest on.",
        VIA_STORY_BEHIND,
    ),
    ("story_behind", "", "paragraph 4 (Krasinski crying in some takes)"),
    (
        "directing_choice",
        "In July 2010, just seven days apart, Fischer married writer Lee Kirk and Krasinski "
        "married actor Emily Blunt.",
        RUMOURS_SECTION,
    ),
    # Where the sources disagree: each side with its own quote.
    (
        "directing_choice",
        "The famous kiss was actually both Fischer and Krasinski’s first-ever on-screen kiss.",
        SETTING_UP_SECTION,
    ),
    (
        "buzzfeed",
        "",
        "headline and page not given; " + VIA_DIRECTING_CHOICE,
    ),
    (
        "story_behind",
        'Fischer may have been "one kiss more experienced" than her costar, but she was just '
        "as anxious about it as Krasinski.",
        "paragraph 2",
    ),
]

# --- The pending proposal ------------------------------------------------------

PROPOSAL_SUMMARY = "Add what Fischer said about Krasinski on Watch What Happens Live (2016)."

_WWHL_ITEM = (
    "- In a 2016 appearance on *Watch What Happens Live*, Fischer said that the part of her "
    "that is Pam and the part of Krasinski that is Jim really did love each other, while "
    "the two actors themselves would not make a perfect couple.[@15]"
)

PROPOSAL_BODY = ARTICLE_BODY.replace(_MARRIAGE_ITEM, f"{_MARRIAGE_ITEM}\n{_WWHL_ITEM}", 1)

_WWHL_CITATION = (
    "wwhl",
    "But in real life, we aren’t totally Pam and totally Jim, so in real life, we’re not "
    "the perfect match.",
    VIA_DIRECTING_CHOICE,
)
# The proposal keeps every citation of the text it edits (keys 1-14) and adds
# its own as citation 15, which its new item's marker names.
PROPOSAL_CITATIONS = [*ARTICLE_CITATIONS, _WWHL_CITATION]

# What the demo moderator asks about the pending proposal (a thread on it as a whole).
REVIEW_COMMENT = (
    "Thanks, this is a good addition. Can you give the minute of the show where she says it, "
    "so readers can check the quote? Add it as the citation's locator."
)

# The demo talk page: one question, one answer.
TALK_TOPIC_TITLE = "How many takes did the kiss need?"
TALK_TOPIC_BODY = (
    "The article says Krasinski cried in some of the takes, so there was more than one. "
    "Does either source say how many takes there were in all? If so, it deserves a line "
    "with its citation."
)
TALK_REPLY_BODY = (
    "Neither of the two articles we cite gives a number. If you find one in an interview, "
    "propose it with the source and the minute, and link this topic in your edit summary."
)
