"""Writes fan-wiki.xml and fan-wiki.later.xml in tests/operations/mediawiki_dumps (our own
text): python make_fan_wiki.py tests/operations/mediawiki_dumps."""

import hashlib
import sys
from xml.sax.saxutils import escape, quoteattr


def b36(text):
    n = int(hashlib.sha1(text.encode()).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(31, "0")


CASINO_1 = """{{Infobox episode
| season = 2
| episode = 22
| airdate = {{Start date|2006|5|11}}
| production = 2022
}}
'''Casino Night''' is the last episode of the second season.<ref name="nbc">{{cite web |url=https://www.nbc.com/the-office/casino-night |title=Casino Night |publisher=NBC |date=May 11, 2006 |access-date=2021-04-30}}</ref>

== Production ==
The episode was written by Steve Carell.<ref>{{cite book |last=Greene |first=Andy |title=The Office: The Untold Story |publisher=Dutton |year=2020 |page=112}}</ref>
[[Category:Season 2 episodes]]
[[Category:Season finales|Casino]]"""

CASINO_2 = (
    CASINO_1.replace("Steve Carell.", "Steve Carell, his only script for the season.")
    + """

== Trivia ==
* The kiss was filmed in one take.<ref name="nbc"/>
* Jim tells Pam he is in love with her in the parking lot.<ref>[https://www.example.com/office-kiss Office kiss oral history]</ref>
** The scene was shot at night.
{{Quote|I'm in love with you.|Jim}}"""
)

CASINO_3 = CASINO_2.replace(
    "{{Quote|I'm in love with you.|Jim}}",
    "{{Quote|I'm in love with you.|Jim}}\n\nSee also [[Booze Cruise|the cruise episode]] and [[The Dundies]].<ref>{{cite episode |title=Casino Night |series=The Office |network=NBC |airdate=May 11, 2006 |time=18:32}}</ref>\n\n[[File:Casino night kiss.jpg|thumb|The kiss]]\n{{Spoiler}}",
)

DUNDIES_1 = """{{Episode Infobox
|season=2
|episode=1
|airdate=September 20, 2005
|prodcode=2001
}}
'''The Dundies''' opens the second season.<ref>{{cite news |url=https://www.nbc.com/the-office/casino-night |title=Casino Night |work=NBC}}</ref> Michael hosts the awards at Chili's.
[[Category:Season 2 episodes]]"""
DUNDIES_2 = DUNDIES_1.replace(
    "at Chili's.",
    "at Chili's.<ref>{{cite video |url=https://video.example.com/dundies |title=Dundies commentary |people=Greg Daniels |time=04:10}}</ref>",
)
DUNDIES_3 = (
    DUNDIES_2
    + """

{| class="wikitable"
! Award !! Winner
|-
| Whitest Sneakers || Pam
|-
| Hottest in the Office || Ryan
|}"""
)

PAM_1 = """'''Pam Beesly''' is the receptionist.<ref>Interview with Jenna Fischer, ''Fresh Air'', 2007</ref>
[[Category:Characters]]"""
PAM_2 = (
    PAM_1
    + "\n\nShe draws in her spare time.<ref>{{cite interview |last=Fischer |first=Jenna |title=On playing Pam |interviewer=Terry Gross |url=https://radio.example.org/fischer |date=2007-03-01}}</ref>"
)
PAM_3 = (
    PAM_2
    + """\n\nAn ''odd'' note: <script>alert(1)</script><span onclick="alert(2)">click</span> [javascript:alert(3) bad link] {{Link|url=javascript:alert(4)}}"""
)

TALK_1 = """== Was the kiss improvised? ==
I read that the kiss was improvised. --[[User:Jane Doe|Jane]] 10:00, 2 May 2021 (UTC)
: It was scripted. --[[User:Bob|Bob]] 11:00, 2 May 2021 (UTC)"""

TALK_2 = (
    TALK_1
    + """
:: Are you sure? [[Special:Contributions/192.0.2.7|192.0.2.7]] 07:00, 4 May 2021 (UTC)
I think it was both.

== Filming location ==
Where was the parking lot? --[[User:Carol|Carol]] ([[User talk:Carol|talk]]) 07:30, 4 May 2021 (UTC)"""
)


def revision(rid, parent, ts, who, comment, text):
    contributor = (
        f"<ip>{who[3:]}</ip>"
        if who.startswith("ip:")
        else f"<username>{escape(who)}</username><id>{abs(hash(who)) % 1000}</id>"
    )
    return f"""    <revision>
      <id>{rid}</id>{
        f'''
      <parentid>{parent}</parentid>'''
        if parent
        else ""
    }
      <timestamp>{ts}</timestamp>
      <contributor>{contributor}</contributor>{
        f'''
      <comment>{escape(comment)}</comment>'''
        if comment
        else ""
    }
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text bytes="{len(text.encode())}" sha1="{b36(text)}" xml:space="preserve">{
        escape(text)
    }</text>
      <sha1>{b36(text)}</sha1>
    </revision>
"""


def page(title, ns, pid, revisions, redirect=None):
    r = f"\n    <redirect title={quoteattr(redirect)} />" if redirect else ""
    return (
        f"""  <page>
    <title>{escape(title)}</title>
    <ns>{ns}</ns>
    <id>{pid}</id>{r}
"""
        + "".join(revisions)
        + "  </page>\n"
    )


def dump(extra=False):
    pages = [
        page(
            "Casino Night",
            0,
            10,
            [
                revision(1001, None, "2021-05-01T10:00:00Z", "Jane Doe", "New page", CASINO_1),
                revision(1002, 1001, "2021-05-03T09:30:00Z", "Bob", "Trivia", CASINO_2),
                revision(1003, 1002, "2021-05-05T18:00:00Z", "ip:203.0.113.9", "", CASINO_3),
            ]
            + (
                [
                    revision(
                        1010,
                        1003,
                        "2021-06-01T08:00:00Z",
                        "Carol",
                        "Typo",
                        CASINO_3.replace("last episode", "final episode"),
                    )
                ]
                if extra
                else []
            ),
        ),
        page(
            "The Dundies",
            0,
            11,
            [
                revision(1004, None, "2021-05-01T11:00:00Z", "Bob", "Start", DUNDIES_1),
                revision(1005, 1004, "2021-05-02T11:00:00Z", "Carol", "Commentary", DUNDIES_2),
                revision(1006, 1005, "2021-05-04T11:00:00Z", "Jane Doe", "Awards table", DUNDIES_3),
            ],
        ),
        page(
            "Pam Beesly",
            0,
            12,
            [
                revision(1007, None, "2021-05-01T12:00:00Z", "Carol", "Character page", PAM_1),
                revision(1008, 1007, "2021-05-02T12:00:00Z", "Jane Doe", "Interview", PAM_2),
                revision(1009, 1008, "2021-05-06T12:00:00Z", "ip:198.51.100.4", "odd", PAM_3),
            ],
        ),
        page(
            "Casino night kiss",
            0,
            13,
            [
                revision(
                    1011,
                    None,
                    "2021-05-02T10:00:00Z",
                    "Bob",
                    "Redirect",
                    "#REDIRECT [[Casino Night]]",
                )
            ],
            redirect="Casino Night",
        ),
        page(
            "The kiss",
            0,
            14,
            [
                revision(
                    1012,
                    None,
                    "2021-05-02T10:05:00Z",
                    "Bob",
                    "Redirect",
                    "#REDIRECT [[Casino night kiss]]",
                )
            ],
            redirect="Casino night kiss",
        ),
        page(
            "Pam",
            0,
            15,
            [
                revision(
                    1013,
                    None,
                    "2021-05-02T10:06:00Z",
                    "Carol",
                    "",
                    "#REDIRECT [[Pam Beesly#Early life]]",
                )
            ],
            redirect="Pam Beesly",
        ),
        page(
            "Talk:Casino Night",
            1,
            16,
            [
                revision(1014, None, "2021-05-02T11:00:00Z", "Bob", "reply", TALK_1),
                revision(1017, 1014, "2021-05-04T08:00:00Z", "Carol", "", TALK_2),
            ],
        ),
        page(
            "Category:Characters",
            14,
            17,
            [revision(1015, None, "2021-05-01T09:00:00Z", "Jane Doe", "", "People of the show.")],
        ),
    ]
    if extra:
        pages.append(
            page(
                "Booze Cruise",
                0,
                18,
                [
                    revision(
                        1016,
                        None,
                        "2021-06-02T08:00:00Z",
                        "Carol",
                        "New",
                        "'''Booze Cruise''' is the eleventh episode.<ref>{{cite web|url=https://www.nbc.com/the-office/casino-night|title=Casino Night}}</ref>",
                    )
                ],
            )
        )
    return (
        """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Dunder Wiki</sitename>
    <dbname>dunder</dbname>
    <base>https://dunder.example.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.39.3</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Media</namespace>
      <namespace key="-1" case="first-letter">Special</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="2" case="first-letter">User</namespace>
      <namespace key="6" case="first-letter">File</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
    </namespaces>
  </siteinfo>
"""
        + "".join(pages)
        + "</mediawiki>\n"
    )


with open(sys.argv[1] + "/fan-wiki.xml", "w") as out:
    out.write(dump())
with open(sys.argv[1] + "/fan-wiki.later.xml", "w") as out:
    out.write(dump(extra=True))
