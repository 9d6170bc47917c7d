"""Generated text for the bench wiki: titles, names and article bodies.

Rendering Markdown is what makes a wiki slow to build, so an article's history
is written from a *family*: six texts (five in sequence, and one proposal
written against the third) in which slot words such as ``Qslotname`` stand in
running text. A family is rendered once; each article fills the slots with its
own plain words, in the body, the stored HTML and the statements alike. Slots
never stand in a heading, a link, code or next to markup, and their values are
letters and single spaces, which the renderer copies through unchanged;
bench.build re-renders a sample of filled bodies and stops if the stored HTML
is not what the renderer makes of them.
"""

import random
import re
from dataclasses import dataclass

from .config import COMMON_WORD, RARE_WORD


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    """A word list written as one string, to keep the lists short on the page."""
    return tuple(text.split(separator))


FIRST = _words(
    "Ada Bruno Carla Dev Elena Femi Gus Hana Ivo Jude Kira Lars Mona Nico Orla Pia Quinn Rosa "
    "Sami Tess Uma Vik Wren Xavi Yara Zeke"
)
LAST = _words(
    "Abbott Baptiste Castell Dunmore Ellery Fairweather Greaves Holloway Ingram Jessop Kowalski "
    "Lindqvist Marchetti Navarro Okafor Pemberton Quayle Rasmussen Sandoval Thackeray Underhill "
    "Vasquez Whitlock Yardley Zielinski"
)
THINGS = _words(
    "snow globe|stapler|red scarf|trophy|teapot|paper crane|umbrella|typewriter|bicycle|"
    "pocket watch|banner|fruit bowl|chess set|clipboard|lantern|postcard|model ship|radio|"
    "birthday cake|jukebox|suitcase|telescope|wind chime|fishing rod|cardigan|notebook|"
    "megaphone|kite|hourglass|accordion",
    "|",
)
PLACES = _words(
    "parking lot|break room|rooftop|harbour|diner|warehouse|train station|lighthouse|school gym|"
    "motel|bowling alley|greenhouse|ferry|laundrette|cinema|boathouse|orchard|bakery|library|"
    "ice rink",
    "|",
)
EVENTS = _words(
    "a power cut on set|a late script change|heavy rain|a scheduling clash|a broken camera crane|"
    "a fire alarm|an actor's cold|a network note|a lost prop|a noisy neighbour",
    "|",
)
TOWNS = _words(
    "Millbrook Ashford Northwick Rydal Saltmarsh Kestrel Dunmere Hollin Stavely Brackwater"
)
TITLE_ADJECTIVES = _words(
    "Long Quiet Last Lost Silver Broken Secret Second Late Small Golden Empty Crooked Bright "
    "Paper Midnight Winter Open Hidden Wild"
)
TITLE_NOUNS = _words(
    "Weekend Promise Lighthouse Audition Wedding Ferry Harvest Inventory Reunion Interview Storm "
    "Carnival Deadline Picnic Raffle Blackout Recital Merger Regatta Vigil"
)
COMMON_ALTERNATIVES = ("walkthrough", "briefing", "photo call", "table read")
RARE_ALTERNATIVES = ("lamp", "globe", "vase", "clock", "mirror", "kettle", "harp", "drum")
TOPICS = ("behind the scenes", "deleted scenes", "music", "casting", "bloopers", "locations")

SENTENCES = (
    "{person} improvised the line about the {thing} while the cameras kept rolling",
    "The {thing} in the {place} scene came from the props department's own storeroom",
    "Filming the {place} sequence took {n} hours because of {event}",
    "{person} said in an interview that the {thing} was a nod to {person2}",
    "The writers rewrote the ending twice after {event}",
    "An early draft set the {place} scene at night rather than in the morning",
    "{person} and {person2} practised the {place} scene for {n} days before shooting",
    "This was the first episode to credit {person} as a story editor",
    "Most of the extras in the {place} scene were local fans of the show",
    "The {thing} comes back {n} episodes later in a blink-and-miss cameo",
    "A deleted scene showed {person} handing the {thing} back to {person2}",
    "Network notes asked for the {place} subplot to be cut for time",
    "The music for the {place} scene was recorded in a single afternoon",
    "{person} broke character during the {thing} gag, and the take was kept",
    "The director chose handheld cameras in the {place} to add tension",
    "Viewers noticed that the {thing} moves between two shots of the {place}",
    "{person} kept the {thing} after the wrap party",
    "The {place} was built on a sound stage after {event}",
    "The script supervisor counted {n} takes of the {thing} scene",
    "{person2} suggested the {thing} joke at the {n}th table read",
)
SLOT = re.compile(r"Qslot(common|rare|name|place)")


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        person=name(rng),
        person2=name(rng),
        thing=rng.choice(THINGS),
        place=rng.choice(PLACES),
        event=rng.choice(EVENTS),
        n=rng.randint(4, 19),
    )


def episode_titles(count: int, rng: random.Random) -> list[str]:
    """Distinct episode titles (numbered once the combinations run out)."""
    pairs = [(a, n) for a in TITLE_ADJECTIVES for n in TITLE_NOUNS]
    titles = [f"The {a} {n}" for a, n in pairs] + [f"{a} {n}" for a, n in pairs]
    rng.shuffle(titles)
    return [
        titles[i % len(titles)] + (f" {i // len(titles) + 1}" if i >= len(titles) else "")
        for i in range(count)
    ]


def topic_titles() -> list[str]:
    """What episode articles are about: "<episode>: the <thing>" and the like."""
    return [f"the {t}" for t in THINGS] + [f"the {p} scene" for p in PLACES] + list(TOPICS)


def subject_titles() -> list[str]:
    """Articles not about one episode: characters, the actors who play them, running gags."""
    people = [f"{f} {last}" for last in LAST for f in FIRST]
    return (
        people
        + [f"Running gag: the {t}" for t in THINGS]
        + [f"{p.capitalize()} set" for p in PLACES]
        + [f"{p} (actor)" for p in people]
    )


def slot_values(index: int, articles: int) -> dict[str, str]:
    """The words one article fills its family's slots with (plain letters and spaces)."""
    rng = random.Random(index)
    rare = index % 1000 == 500 or (articles <= 500 and index == articles // 2)
    return {
        "common": COMMON_ALTERNATIVES[index // 10 % 4] if index % 10 == 0 else COMMON_WORD,
        "rare": RARE_WORD if rare else rng.choice(RARE_ALTERNATIVES),
        "name": name(rng),
        "place": rng.choice(TOWNS),
    }


def fill(text: str, values: dict[str, str]) -> str:
    return SLOT.sub(lambda match: values[match[1]], text)


@dataclass(frozen=True)
class Family:
    """The texts of one article history. ``bodies`` are r1..r5 and the stale proposal."""

    bodies: tuple[str, ...]


def _cited(rng: random.Random, marker: str) -> str:
    return f"{sentence(rng)}.{marker}"


def _paragraph(rng: random.Random, *markers: str) -> str:
    """One sentence per marker; an empty marker leaves its sentence uncited."""
    return " ".join(_cited(rng, marker) for marker in markers)


def family(index: int, hubs: list[str]) -> Family:
    """Six related bodies (2-4 kB): each edit keeps the text before it and changes one part.

    r1 cites keys 1-3, r2 adds key 4, r3 rewords the opening and flags a claim,
    r4 adds a trivia section (key 5), r5 a reception paragraph (key 6). The
    stale proposal starts from r3 and adds a second opening paragraph citing a
    new key 5, away from r4's change so that the two merge cleanly.
    """
    rng = random.Random(f"family-{index}")
    hub, other = rng.choice(hubs), rng.choice(hubs)
    opening = [
        f"The cast met for a Qslotcommon in the {rng.choice(PLACES)} on the first morning.[@1]",
        _cited(rng, "[@2]"),
        f"Fans credit Qslotname with the idea for the {rng.choice(THINGS)}.[@1]",
        _cited(rng, "[@3]"),
    ]
    production = [
        _paragraph(rng, "[@2]", "[@3]", "", "[@1]"),
        _paragraph(rng, "[@1]", "")
        + " Some exteriors were shot near Qslotplace to save a day of travel.[@3]",
        _paragraph(rng, "[@3]", "[@2]", "[@1, 3]"),
    ]
    cast = [f"- {_cited(rng, m)}" for m in ("[@3]", "[@1, 2]", "[@2]", "[@3]", "", "[@1]")]
    reception = [
        f"A Qslotrare can be seen behind {name(rng)} in the final scene.[@2] "
        + _paragraph(rng, "[@1]", "")
        + f" Fans often compare it with [[{hub}]].",
        _paragraph(rng, "[@3]", "[@2]", "[@1]"),
    ]

    def text(extra_opening: str = "", tail: str = "") -> str:
        parts = [" ".join(opening), extra_opening, "## Production", *production]
        parts += ["## Cast and crew", "\n".join(cast), "## Reception", *reception, tail]
        return "\n\n".join(part for part in parts if part) + "\n"

    r1 = text()
    production.insert(1, _paragraph(rng, "[@4]", "[@2]", "[@4]"))
    r2 = text()
    opening[1] = _cited(rng, "[@2]")
    cast.append(f"- {sentence(rng)}. [citation needed]")
    r3 = text()
    stale = text(extra_opening=_paragraph(rng, "[@5]", "[@2]", "[@5]"))
    trivia = [f"- {_cited(rng, m)}" for m in ("[@5]", "[@4]", "[@5]", "")] + [
        f"- The {rng.choice(THINGS)} is also mentioned in [[{other}]]"
        f" and [[Unwritten page {index}]]."
    ]
    if index % 5 == 0:
        trivia.append(f"- {sentence(rng)}. [disputed @1 @2]")
    tail = "## Trivia\n\n" + "\n".join(trivia)
    if index % 3 == 0:
        code = f"S{rng.randint(2, 5):02d}E{rng.randint(1, 20):02d}"
        tail += f"\n\n!!! spoiler {code}\n    {_cited(rng, '[@5]')}"
    r4 = text(tail=tail)
    reception.append(_paragraph(rng, "[@6]", "[@1]", "[@6]"))
    r5 = text(tail=tail)
    return Family(bodies=(r1, r2, r3, r4, r5, stale))
