"""Backup of the whole wiki as one JSON-lines file, and its restore into an empty database.

The format is "fanwiki-backup", version 1: one JSON object per line, in ASCII.

1. A header: ``{"format": "fanwiki-backup", "version": 1, "exported_at": <ISO time>,
   "with_passwords": <bool>, "models": [<model labels, in file order>]}``.
2. One line per row, as Django's "python" serializer gives it
   (``{"model": "wiki.revision", "pk": 7, "fields": {...}}``), models in ``MODELS`` order so
   every foreign key points at a row already written. The one exception is
   ``Article.approved_revision``, which points forward (an article comes before its revisions):
   the import writes articles unpublished and sets it once the revisions are in.
   Many-to-many fields are lists inside the row: a statement's citations by pk, a user's groups
   by name and permissions by natural key (``[codename, app_label, model]``). Groups carry no
   pk: they are matched by name, so the "Moderators" group the migrations create is reused.
   Datetimes keep their microseconds. Password hashes are left out unless asked for; a user
   restored without one gets an unusable password.
3. A final line: ``{"end": true, "counts": {<model label>: <rows>}}``. A file without it, or
   whose counts differ from the rows read, is truncated or corrupt and is refused.

Export streams (rows are read in chunks and written line by line); import runs in one
transaction, keeps primary keys, inserts in batches and resets the sequences afterwards.
"""

from .common import BACKUP_FORMAT, MODELS, VERSION, BackupError
from .exporting import CHUNK_SIZE, export_wiki
from .importing import BATCH_SIZE, import_wiki

__all__ = [
    "BACKUP_FORMAT",
    "BATCH_SIZE",
    "CHUNK_SIZE",
    "MODELS",
    "VERSION",
    "BackupError",
    "export_wiki",
    "import_wiki",
]
