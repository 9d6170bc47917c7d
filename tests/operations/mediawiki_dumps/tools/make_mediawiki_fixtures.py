"""Writes the fixtures in tests/operations/mediawiki_dumps modelled on MediaWiki's import
test fixtures (our own text): python make_mediawiki_fixtures.py."""

import hashlib
import os
from xml.sax.saxutils import escape

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.makedirs(OUT, exist_ok=True)


def b36(s: str) -> str:
    n = int(hashlib.sha1(s.encode("utf-8")).hexdigest(), 16)
    d = "0123456789abcdefghijklmnopqrstuvwxyz"
    o = ""
    while n:
        n, r = divmod(n, 36)
        o = d[r] + o
    return o.rjust(31, "0")


def combined(slots: dict) -> str:
    acc = None
    for role in sorted(slots):
        h = b36(slots[role])
        acc = h if acc is None else b36(acc + h)
    return acc


def nbytes(s):
    return len(s.encode("utf-8"))


def esc(s):
    return escape(s, {'"': "&quot;"})


def write(name, body):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(body)


H011 = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ '
    'http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="de">\n'
)

DE_NS = [
    (-2, "Medium"),
    (-1, "Spezial"),
    (0, None),
    (1, "Diskussion"),
    (2, "Benutzer"),
    (3, "Benutzer Diskussion"),
    (4, "{P}"),
    (5, "{P} Diskussion"),
    (6, "Datei"),
    (7, "Datei Diskussion"),
    (8, "MediaWiki"),
    (9, "MediaWiki Diskussion"),
    (10, "Vorlage"),
    (11, "Vorlage Diskussion"),
    (12, "Hilfe"),
    (13, "Hilfe Diskussion"),
    (14, "Kategorie"),
    (15, "Kategorie Diskussion"),
]


def ns_block(project, indent="\t\t\t", selfclose=" />"):
    out = []
    for k, n in DE_NS:
        if n is None:
            out.append(f'{indent}<namespace key="{k}" case="first-letter"{selfclose}\n')
        else:
            out.append(
                f'{indent}<namespace key="{k}" case="first-letter">{n.format(P=project)}</namespace>\n'
            )
    return "".join(out)


SITEINFO_011 = (
    "\t<siteinfo>\n"
    "\t\t<sitename>Sitcom Trivia</sitename>\n"
    "\t\t<dbname>sitcomtrivia</dbname>\n"
    "\t\t<base>http://trivia.example.org/wiki/</base>\n"
    "\t\t<generator>MediaWiki Fixture</generator>\n"
    "\t\t<case>first-letter</case>\n"
    "\t\t<namespaces>\n" + ns_block("Trivia") + "\t\t</namespaces>\n"
    "\t</siteinfo>\n"
)


def contributor(name, uid, ind="\t\t\t"):
    return (
        f"{ind}<contributor>\n{ind}\t<username>{name}</username>\n"
        f"{ind}\t<id>{uid}</id>\n{ind}</contributor>\n"
    )


def text_el(text, sha1, ind="\t\t\t", nb=None):
    nb = nbytes(text) if nb is None else nb
    return f'{ind}<text bytes="{nb}" sha1="{sha1}" xml:space="preserve">{esc(text)}</text>\n'


def content_el(role, origin, model, text, text_sha1, ind="\t\t\t", drop=()):
    s = f"{ind}<content>\n"
    if "role" not in drop:
        s += f"{ind}\t<role>{role}</role>\n"
    s += f"{ind}\t<origin>{origin}</origin>\n"
    if "model" not in drop:
        s += f"{ind}\t<model>{model}</model>\n"
    s += f"{ind}\t<format>text/x-wiki</format>\n"
    if "text" not in drop:
        s += text_el(text, text_sha1, ind + "\t")
    s += f"{ind}</content>\n"
    return s


def revision(
    rid,
    ts,
    user,
    uid,
    comment,
    origin,
    main_text,
    main_sha1_attr,
    rev_sha1,
    slot=None,
    drop_main=(),
    ind="\t\t",
):
    i = ind + "\t"
    s = (
        f"{ind}<revision>\n{i}<id>{rid}</id>\n{i}<timestamp>{ts}</timestamp>\n"
        + contributor(user, uid, i)
        + f"{i}<comment>{comment}</comment>\n{i}<origin>{origin}</origin>\n"
    )
    if "model" not in drop_main:
        s += f"{i}<model>wikitext</model>\n"
    s += f"{i}<format>text/x-wiki</format>\n"
    if "text" not in drop_main:
        s += text_el(main_text, main_sha1_attr, i)
    if slot:
        s += slot
    s += f"{i}<sha1>{rev_sha1}</sha1>\n{ind}</revision>\n"
    return s


def page(title, pid, revs):
    return (
        f"\t<page>\n\t\t<title>{esc(title)}</title>\n\t\t<ns>0</ns>\n\t\t<id>{pid}</id>\n"
        + "".join(revs)
        + "\t</page>\n"
    )


def doc011(*pages):
    return H011 + SITEINFO_011 + "".join(pages) + "</mediawiki>\n"


# ---------------------------------------------------------------- BadXML / MissingMediaWikiTag
write("BadXML.xml", H011 + "\t<episode>\n</mediawiki>\n")
write("MissingMediaWikiTag.xml", "<sitcom>\n\t<episode>Pilot</episode>\n</sitcom>\n")

# ---------------------------------------------------------------- Dupes
DUPE_TEXT = "Dot quits on her first day, then un-quits before the end credits."
DUPE_SHA = b36(DUPE_TEXT)
dupes = doc011(
    page(
        "Parkside Diner/Pilot",
        310,
        [
            revision(
                5021,
                "2021-03-02T18:30:00Z",
                "Quizmaster",
                7,
                "summary of the pilot",
                5021,
                DUPE_TEXT,
                DUPE_SHA,
                DUPE_SHA,
            )
        ],
    )
)
write("Dupes.import-1.xml", dupes)
write("Dupes.import-2.xml", dupes)

# ---------------------------------------------------------------- Slots family
ROLE = "episodenotes"
MAIN_T = "Six episodes."
SLOT_T = "Filmed in front of a live studio audience."
MAIN_SHA, SLOT_SHA = b36(MAIN_T), b36(SLOT_T)
REV_SHA = combined({"main": MAIN_T, ROLE: SLOT_T})


def slots_doc(title, drop_main=(), drop_slot=(), role=ROLE, model="wikitext"):
    slot = content_el(role, 40, model, SLOT_T, SLOT_SHA, "\t\t\t", drop_slot)
    return doc011(
        page(
            title,
            11,
            [
                revision(
                    40,
                    "2021-05-06T07:08:09Z",
                    "Quizmaster",
                    7,
                    "adding an episode notes slot",
                    40,
                    MAIN_T,
                    MAIN_SHA,
                    REV_SHA,
                    slot=slot,
                    drop_main=drop_main,
                )
            ],
        )
    )


write("Slots.import-1.xml", slots_doc("Parkside Diner/Season 1"))
write(
    "MissingMainContentModel.import-1.xml",
    slots_doc("Parkside Diner/Season 2", drop_main=("model",)),
)
write(
    "MissingSlotContentModel.import-1.xml",
    slots_doc("Parkside Diner/Season 3", drop_slot=("model",)),
)
write("MissingMainTextField.xml", slots_doc("Parkside Diner/Season 4", drop_main=("text",)))
write("MissingSlotTextField.xml", slots_doc("Parkside Diner/Season 5", drop_slot=("text",)))
write("MissingSlotRole.xml", slots_doc("Parkside Diner/Season 6", drop_slot=("role",)))
write("UnknownSlotRole.xml", slots_doc("Parkside Diner/Season 7", role="nosuchslotrole"))
write("UndefinedSlotRole.xml", slots_doc("Parkside Diner/Season 7", role="nosuchslotrole"))
write(
    "UndefinedContentModel.xml", slots_doc("Parkside Diner/Season 8", model="no-such-content-model")
)

# ---------------------------------------------------------------- Interleaved family
T = {
    "A": "Regulars: Marge, Luis.",
    "B": "Regulars: Marge, Luis, Dot.",
    "C": "Regulars: Marge, Luis, Dot, Vic.",
    "K": "Regulars: Marge.",
}
X = "Recurring: the health inspector."
STALE = DUPE_SHA  # deliberately stale, mirrors upstream copy-paste
STALE_SLOT = SLOT_SHA  # deliberately stale for X
# (file/order, timestamp, main key, has aux slot)
SEQ = [
    ("01:00", "A", False),
    ("02:00", "A", True),
    ("03:00", "B", True),
    ("04:00", "C", True),
    ("01:30", "K", False),
    ("02:30", "B", False),
    ("04:30", "B", True),
]


def irev(rid, hhmm, key, aux, origin):
    slot = content_el(ROLE, 4, "wikitext", X, STALE_SLOT, "\t\t\t") if aux else None
    return revision(
        rid,
        f"2021-08-01T{hhmm}:00Z",
        "Quizmaster",
        7,
        "cast list update",
        origin,
        T[key],
        STALE,
        STALE,
        slot=slot,
    )


for n, (hhmm, key, aux) in enumerate(SEQ, 1):
    write(
        f"Interleaved.import-{n}.xml",
        doc011(page("Parkside Diner/Cast list", 77, [irev(3001, hhmm, key, aux, 3001)])),
    )

m1 = [irev(3001 + i, *SEQ[i], 3001) for i in range(4)]
m2 = [irev(3001, *SEQ[4], 3001), irev(2990, *SEQ[5], 3001), irev(2991, *SEQ[6], 3001)]
write("InterleavedMulti.import-1.xml", doc011(page("Parkside Diner/Regulars", 77, m1)))
write("InterleavedMulti.import-2.xml", doc011(page("Parkside Diner/Regulars", 77, m2)))


# ---------------------------------------------------------------- expected (DumpAsserter-style)
def TD(v):
    return (
        f'<test:data xmlns="http://www.mediawiki.org/xml/export-{v}/" '
        'xmlns:test="http://www.mediawiki.org/xml/test/">\n'
    )


def exp_rev(
    v,
    n,
    parent,
    ts,
    user,
    comment,
    main_text,
    slot_text=None,
    slot_origin=None,
    main_origin=None,
    note=None,
):
    i = "\t\t\t"
    s = "\t\t<revision>\n"
    if note:
        s += f"{i}<!-- {note} -->\n"
    s += f"{i}<id>{{{{page1_rev{n}_id}}}}</id>\n"
    if parent:
        s += f"{i}<parentid>{{{{page1_rev{parent}_id}}}}</parentid>\n"
    s += (
        f"{i}<timestamp>{ts}</timestamp>\n{i}<contributor>\n{i}\t<username>imported&gt;{user}</username>\n"
        f"{i}\t<id>0</id>\n{i}</contributor>\n{i}<comment>{comment}</comment>\n"
    )
    if v == "0.11":
        s += f"{i}<origin>{{{{page1_rev{main_origin or n}_id}}}}</origin>\n"
    s += f"{i}<model>wikitext</model>\n{i}<format>text/x-wiki</format>\n"
    if v == "0.11":
        s += text_el(main_text, b36(main_text), i)
        if slot_text is not None:
            s += (
                f"{i}<content>\n{i}\t<role>{ROLE}</role>\n{i}\t<origin>{{{{page1_rev{slot_origin}_id}}}}</origin>\n"
                f"{i}\t<model>wikitext</model>\n{i}\t<format>text/x-wiki</format>\n"
                + text_el(slot_text, b36(slot_text), i + "\t")
                + f"{i}</content>\n"
            )
    else:
        s += f'{i}<text bytes="{nbytes(main_text)}" xml:space="preserve">{esc(main_text)}</text>\n'
    rsha = (
        combined({"main": main_text, ROLE: slot_text}) if slot_text is not None else b36(main_text)
    )
    s += f"{i}<sha1>{rsha}</sha1>\n\t\t</revision>\n"
    return s


def exp_page(v, revs, comment=None):
    s = (
        TD(v)
        + "\t<page>\n\t\t<title>{{page1_title}}</title>\n\t\t<ns>{{page1_namespace}}</ns>\n\t\t<id>{{page1_pageid}}</id>\n"
    )
    if comment:
        s += f"\t\t<!-- {comment} -->\n"
    return s + "".join(revs) + "\t</page>\n</test:data>\n"


for v in ("0.10", "0.11"):
    write(
        f"Dupes.expected.{v}.xml",
        exp_page(
            v,
            [
                exp_rev(
                    v,
                    1,
                    None,
                    "2021-03-02T18:30:00Z",
                    "Quizmaster",
                    "summary of the pilot",
                    DUPE_TEXT,
                )
            ],
        ),
    )
    # InterleavedMulti / Interleaved: rows in import (= rev_id) order
    rows = [
        (1, None, "01:00", "A", None, None, "R1: first revision, main slot only"),
        (
            2,
            1,
            "02:00",
            "A",
            X,
            2,
            "R2: same main text as R1 (main slot inherited), aux slot added",
        ),
        (3, 2, "03:00", "B", X, 2, "R3: new main text, aux slot inherited from R2"),
        (4, 3, "04:00", "C", X, 2, "R4: new main text, aux slot inherited from R2"),
        (
            5,
            1,
            "01:30",
            "K",
            None,
            None,
            "R5: imported after R4, sorts between R1 and R2; no aux slot",
        ),
        (
            6,
            2,
            "02:30",
            "B",
            None,
            None,
            "R6: sorts between R2 and R3; no aux slot; same main text as R3 but kept (timestamp differs)",
        ),
        (
            7,
            4,
            "04:30",
            "B",
            X,
            2,
            "R7: newest; same content as R3 but kept (timestamp differs); becomes page_latest",
        ),
    ]
    revs = []
    for n, parent, hhmm, key, slot, sorig, note in rows:
        morig = 1 if n == 2 else n
        revs.append(
            exp_rev(
                v,
                n,
                parent,
                f"2021-08-01T{hhmm}:00Z",
                "Quizmaster",
                "cast list update",
                T[key],
                slot,
                sorig,
                morig,
                note,
            )
        )
    write(
        f"InterleavedMulti.expected.{v}.xml",
        exp_page(
            v,
            revs,
            "Revisions are listed in import order. Timestamp order: R1, R5, R2, R6, R3, R4, R7.",
        ),
    )

write(
    "MissingMainContentModel.expected.0.11.xml",
    exp_page(
        "0.11",
        [
            exp_rev(
                "0.11",
                1,
                None,
                "2021-05-06T07:08:09Z",
                "Quizmaster",
                "adding an episode notes slot",
                MAIN_T,
                SLOT_T,
                1,
            )
        ],
    ),
)
write(
    "MissingSlotContentModel.expected.0.10.xml",
    exp_page(
        "0.10",
        [
            exp_rev(
                "0.10",
                1,
                None,
                "2021-05-06T07:08:09Z",
                "Quizmaster",
                "adding an episode notes slot",
                MAIN_T,
                SLOT_T,
                1,
            )
        ],
    ),
)

EN_NS = [
    "Media",
    "Special",
    None,
    "Talk",
    "User",
    "User talk",
    "{{project_namespace}}",
    "{{project_namespace}} talk",
    "File",
    "File talk",
    "MediaWiki",
    "MediaWiki talk",
    "Template",
    "Template talk",
    "Help",
    "Help talk",
    "Category",
    "Category talk",
]
for v in ("0.10", "0.11"):
    s = (
        TD(v)
        + "\t<siteinfo>\n\t\t<sitename>{{site_name}}</sitename>\n\t\t<dbname>{{site_db}}</dbname>\n"
        "\t\t<base>{{site_base}}</base>\n\t\t<generator>MediaWiki {{mw_version}}</generator>\n"
        "\t\t<case>{{site_case}}</case>\n\t\t<namespaces>\n"
    )
    for k, n in zip(range(-2, 16), EN_NS, strict=False):
        s += (
            f'\t\t\t<namespace key="{k}" case="{{{{site_case}}}}"/>\n'
            if n is None
            else f'\t\t\t<namespace key="{k}" case="{{{{site_case}}}}">{n}</namespace>\n'
        )
    s += "\t\t\t<test:end/> <!-- any further (extension) namespaces are not compared -->\n\t\t</namespaces>\n\t</siteinfo>\n</test:data>\n"
    write(f"SiteInfo.{v}.xml", s)

# ---------------------------------------------------------------- ImportAnonUserTest (xmlns 0.6 but version 0.11)
ANON_TEXT = "sitcom\n[[Category:Sitcoms]]"
anon = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.6/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ '
    'http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="de">\n'
    "\t<siteinfo>\n\t\t<sitename>fanwiki.home.arpa</sitename>\n\t\t<dbname>fanwiki</dbname>\n"
    "\t\t<base>https://fanwiki.home.arpa/wiki/Hauptseite</base>\n"
    "\t\t<generator>MediaWiki 1.43.0-alpha</generator>\n\t\t<case>first-letter</case>\n"
    "\t\t<namespaces>\n"
    + ns_block("Fanwiki", selfclose="/>")
    + "\t\t</namespaces>\n\t</siteinfo>\n"
    "\t<page>\n\t\t<title>Parkside Diner</title>\n\t\t<ns>0</ns>\n\t\t<id>2</id>\n"
    "\t\t<revision>\n\t\t\t<id>3</id>\n\t\t\t<parentid>2</parentid>\n"
    "\t\t\t<timestamp>2024-06-12T20:15:00Z</timestamp>\n"
    "\t\t\t<contributor>\n\t\t\t\t<ip>198.51.100.23</ip>\n\t\t\t</contributor>\n"
    "\t\t\t<origin>3</origin>\n\t\t\t<model>wikitext</model>\n\t\t\t<format>text/x-wiki</format>\n"
    + text_el(ANON_TEXT, b36("sitcom"), "\t\t\t", nb=nbytes("sitcom"))
    + f"\t\t\t<sha1>{b36(ANON_TEXT)}</sha1>\n\t\t</revision>\n\t</page>\n</mediawiki>\n"
)
write("ImportAnonUserTest.xml", anon)

# ---------------------------------------------------------------- SimpleLoremIpsumImporterTest / ImportLinkCacheIntegrationTest (0.6)
LOREM = (
    "[[Has network::Channel Nine]]. [[Has actor::Margaret Okafor]] plays the owner, "
    "[[Has actor::Luis Ferreira]] the cook. [[Has character::Dot]] arrives in the pilot "
    "and never learns the menu. The diner set was reused from a cancelled soap opera.\n\n"
    "[[Has episode count::62]] [[Has budget::1.2 million €]] [[Has first aired::4 Sep 1997]] "
    "[[Has website::http://parkside.example.org/]] [[Has set temperature::18 °C]] "
    "[[Has Café scene::true]]\n\n[[Category:Sitcoms]]"
)
CAT = "[[Category:Television]]"
lorem_page_sha_stale = b36(LOREM + " (earlier draft)")
lorem = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.6/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.6/ '
    'http://www.mediawiki.org/xml/export-0.6.xsd" version="0.6" xml:lang="en-gb">\n'
    "  <siteinfo>\n    <sitename>Sitcom-Archive</sitename>\n"
    "    <base>http://localhost:8080/w/index.php/Main_Page</base>\n"
    "    <generator>MediaWiki 1.19.7</generator>\n    <case>first-letter</case>\n  </siteinfo>\n"
    "  <page>\n    <title>Parkside Diner</title>\n    <ns>0</ns>\n    <id>812</id>\n"
    f"      <sha1>{lorem_page_sha_stale}</sha1>\n"
    "    <revision>\n      <id>2207</id>\n      <timestamp>2014-05-09T21:04:13Z</timestamp>\n"
    "      <contributor>\n        <username>Archivist</username>\n        <id>1</id>\n      </contributor>\n"
    f'      <text xml:space="preserve" bytes="{nbytes(LOREM) + 233}">{esc(LOREM)}</text>\n'
    "    </revision>\n  </page>\n"
    "  <page>\n    <title>Category:Sitcoms</title>\n    <ns>14</ns>\n    <id>815</id>\n"
    f"      <sha1>{b36(CAT)}</sha1>\n"
    "    <revision>\n      <id>2204</id>\n      <timestamp>2014-05-09T20:41:55Z</timestamp>\n"
    "      <contributor>\n        <username>Archivist</username>\n        <id>1</id>\n      </contributor>\n"
    f'      <text xml:space="preserve" bytes="{nbytes(CAT)}">{esc(CAT)}</text>\n'
    "    </revision>\n  </page>\n</mediawiki>\n"
)
write("SimpleLoremIpsumImporterTest.xml", lorem + "\n")
write("ImportLinkCacheIntegrationTest.xml", lorem)

# ---------------------------------------------------------------- Template-!! (0.9)
TPL = (
    "||<noinclude>\n\n\n----\n"
    'Helper template that prints a double pipe ("<code>||</code>") so that episode\n'
    "rating tables can be written inside template parameters. Where possible use\n"
    '"<code>&#124;&#124;</code>" instead; this template only exists because a bare\n'
    '"<code>||</code>" inside a parser function is read as a parameter separator.\n\n'
    "The single pipe has its own helper, see [[Template:!]].\n\n"
    "[[Category:Table helper templates|{{PAGENAME}}]]\n</noinclude>"
)
CUSTOM = [
    (100, "Episode", "first-letter"),
    (101, "Episode talk", "first-letter"),
    (102, "Character", "first-letter"),
    (103, "Character talk", "first-letter"),
    (104, "Network", "first-letter"),
    (105, "Network talk", "first-letter"),
    (460, "Campaign", "case-sensitive"),
    (461, "Campaign talk", "case-sensitive"),
    (490, "Script", "first-letter"),
    (491, "Script talk", "first-letter"),
    (828, "Module", "first-letter"),
    (829, "Module talk", "first-letter"),
    (1198, "Translations", "first-letter"),
    (1199, "Translations talk", "first-letter"),
]
EN_STD = [
    "Media",
    "Special",
    None,
    "Talk",
    "User",
    "User talk",
    "Sitcom Archive",
    "Sitcom Archive talk",
    "File",
    "File talk",
    "MediaWiki",
    "MediaWiki talk",
    "Template",
    "Template talk",
    "Help",
    "Help talk",
    "Category",
    "Category talk",
]
ns = ""
for k, n in zip(range(-2, 16), EN_STD, strict=False):
    ns += (
        f'      <namespace key="{k}" case="first-letter" />\n'
        if n is None
        else f'      <namespace key="{k}" case="first-letter">{n}</namespace>\n'
    )
for k, n, c in CUSTOM:
    ns += f'      <namespace key="{k}" case="{c}">{n}</namespace>\n'
tpl = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.9/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.9/ '
    'http://www.mediawiki.org/xml/export-0.9.xsd" version="0.9" xml:lang="en">\n'
    "  <siteinfo>\n    <sitename>Sitcom Archive</sitename>\n    <dbname>sitcomarchive</dbname>\n"
    "    <base>http://archive.example.org/wiki/Main_Page</base>\n"
    "    <generator>MediaWiki 1.24wmf20</generator>\n    <case>first-letter</case>\n"
    "    <namespaces>\n" + ns + "    </namespaces>\n  </siteinfo>\n"
    "  <page>\n    <title>Template:!!</title>\n    <ns>10</ns>\n    <id>4400017</id>\n"
    "    <revision>\n      <id>51234567</id>\n      <parentid>51230011</parentid>\n"
    "      <timestamp>2011-02-14T09:15:42Z</timestamp>\n"
    "      <contributor>\n        <username>Laugh Track</username>\n        <id>31337</id>\n      </contributor>\n"
    "      <minor/>\n      <comment/>\n"
    f'      <text xml:space="preserve" bytes="{nbytes(TPL)}">{esc(TPL)}</text>\n'
    f"      <sha1>{b36(TPL)}</sha1>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
    "    </revision>\n  </page>\n</mediawiki>\n"
)
write("Template-!!.xml", tpl)

# print facts for README
print("DUPE", DUPE_SHA, nbytes(DUPE_TEXT))
print("MAIN", MAIN_SHA, "SLOT", SLOT_SHA, "REV", REV_SHA)
for k, t in T.items():
    print(k, b36(t))
print("X", b36(X))
for k in "ABC":
    print(k + "+X", combined({"main": T[k], ROLE: X}))
print("ANON rev", b36(ANON_TEXT), "text-attr(stale)", b36("sitcom"), nbytes(ANON_TEXT))
print(
    "LOREM real",
    b36(LOREM),
    nbytes(LOREM),
    "page-level(stale)",
    lorem_page_sha_stale,
    "bytes attr",
    nbytes(LOREM) + 233,
)
print("CAT", b36(CAT))
print("TPL", b36(TPL), nbytes(TPL))

# ---------------------------------------------------------------- ImportTest::testUnknownXMLTags analogue (inline upstream)
UNK_TEXT = "Parkside Diner was renewed for a second season after the finale cliffhanger."
unk = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.10/ '
    'http://www.mediawiki.org/xml/export-0.10.xsd" version="0.10" xml:lang="en">\n'
    '  <page laughs="12" groans="40">\n'
    "    <title>Parkside Diner renewal</title>\n"
    "    <rating>Not part of the schema</rating>\n"
    "    <ns>0</ns>\n"
    '    <id laughs="12" groans="40">21</id>\n'
    "    <revision>\n"
    '      <id laughs="12" groans="40">22</id>\n'
    "      <rating>Not part of the schema</rating>\n"
    "      <timestamp>2016-02-05T10:11:12Z</timestamp>\n"
    "      <contributor>\n"
    "        <rating>Not part of the schema</rating>\n"
    '        <username laughs="12" groans="40">Quizmaster</username>\n'
    "        <id>7</id>\n"
    "      </contributor>\n"
    "      <model>wikitext</model>\n"
    "      <format>text/x-wiki</format>\n"
    f'      <text xml:space="preserve" bytes="0">{esc(UNK_TEXT)}</text>\n'
    f"      <sha1>{b36('')}</sha1>\n"
    "      <rating>Not part of the schema</rating>\n"
    "    </revision>\n"
    "  </page>\n"
    "  <rating>Not part of the schema</rating>\n"
    "</mediawiki>\n"
)
write("ImportTest.UnknownTags.xml", unk)
print("UNK real", b36(UNK_TEXT), nbytes(UNK_TEXT), "stale sha1(empty)", b36(""))
