"""Episode codes, the fans' shorthand for an episode: S02E22 (also s2e22 and 2x22)."""

import re

_CODE = re.compile(r"s(\d{1,2})\s*e(\d{1,3})|(\d{1,2})\s*x\s*(\d{1,3})", re.IGNORECASE)


def episode_code(season: int, number: int) -> str:
    return f"S{season:02d}E{number:02d}"


def parse_episode_code(text: str) -> tuple[int, int] | None:
    """(season, episode) from fan shorthand: S02E22, s2e22, 2x22; None otherwise."""
    match = _CODE.fullmatch((text or "").strip())
    if not match:
        return None
    season, number = (match[1], match[2]) if match[1] else (match[3], match[4])
    return int(season), int(number)
