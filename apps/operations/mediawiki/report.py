"""The import's report as lines of text (the command prints them)."""

from .importer import Report


def report_lines(report: Report) -> list[str]:
    head = "Dry run: nothing was written." if report.dry_run else "Import finished."
    lines = [
        f"{head} From {report.site or 'the dump'} (authors as {report.prefix}>Name):",
        f"  pages imported: {report.pages_imported}; already up to date: {report.pages_unchanged}",
        f"  revisions imported: {report.revisions_imported}; "
        f"already here: {report.revisions_known}",
        f"  accounts made: {report.accounts_created}",
        f"  references: {report.references} "
        f"({report.references_without_place} with neither quote nor page or time)",
        f"  sources: {report.sources_created} new, {report.sources_reused} already here",
        f"  other names from redirects: {report.other_names}",
        f"  articles linked to an episode: {report.episodes_linked}",
        f"  talk pages: {report.talk_pages}, with {report.talk_posts} new post(s)",
        f"  files stored: {report.files_imported}",
    ]
    for why, pages in sorted(report.skipped.items()):
        lines.append(f"  skipped: {pages} {why}")
    templates = report.unmapped_templates()
    if templates:
        lines.append("Templates with no mapping (kept as code in the text):")
        for name, uses, on_pages in templates:
            more = len(on_pages) - 5
            shown = ", ".join(on_pages[:5]) + (f" and {more} more" if more > 0 else "")
            lines.append(f"  {name}: {uses} use(s) on {len(on_pages)} page(s): {shown}")
    if report.missing_files:
        lines.append(f"Files not imported ({len(report.missing_files)}):")
        for name, where in sorted(report.missing_files.items()):
            lines.append(f"  {name} (on {', '.join(sorted(where)[:3])})")
    if report.to_review:
        lines.append(f"Pages in the category “Imported pages to review”: {len(report.to_review)}")
    if report.notes:
        lines.append("Kept in a weaker form:")
        for page, notes in sorted(report.notes.items()):
            lines.extend(f"  {page}: {note}" for note in sorted(notes))
    if report.problems:
        lines.append("Problems:")
        lines.extend(f"  {problem}" for problem in report.problems)
    return lines
