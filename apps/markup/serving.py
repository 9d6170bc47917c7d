"""What changes in stored HTML when a page is served to one reader."""

from .images import drop_external_images
from .spoiler_sections import close_spoilers
from .wikilinks import fold_links, mark_missing_links, retarget_links


def apply_reader_settings(
    html: str,
    *,
    watched: tuple[int, int] | None,
    existing: set[str],
    folded: dict[str, tuple[str, str]] | None = None,
    moved: dict[str, tuple[str, str, bool]] | None = None,
) -> str:
    """Close spoilers beyond what the reader has watched; mark links to missing articles;
    point links to an article's former title (``moved``) at where it is now.

    ``html`` is the renderer's stored output; only the exact tags it generates
    are rewritten, and nothing from the request is inserted. Images from
    elsewhere, in text stored before they were refused, are dropped.
    """
    html = drop_external_images(html)
    if watched is not None:
        html = close_spoilers(html, watched=watched)
    if folded:
        html = fold_links(html, folded=folded)
    html = mark_missing_links(html, existing=existing)
    # After marking: a link to a former title exists (``existing`` has the old slug).
    return retarget_links(html, moved=moved) if moved else html
