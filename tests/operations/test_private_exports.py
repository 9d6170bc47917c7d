"""export_wiki and export_mediawiki write files only their owner can read, never through a link.

A backup holds every user's e-mail address (and, with --with-passwords, the password
hashes): it is created with mode 0600 whatever the umask, and a destination that is a
symbolic link is refused with nothing written where the link points.
"""

import bz2
import gzip
import io
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from tests import factories

pytestmark = pytest.mark.django_db

EXPORTS = [
    pytest.param("export_wiki", ["--with-passwords"], "wiki.jsonl", id="export_wiki"),
    pytest.param("export_mediawiki", [], "wiki.xml", id="export_mediawiki"),
]


@pytest.fixture(autouse=True)
def permissive_umask():
    """The usual umask, under which open() makes a file everyone may read."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture(autouse=True)
def wiki(db):
    factories.make_user("fan", moderator=True)
    factories.make_episode()


def run(command, path, *args):
    call_command(command, str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("command", "args", "name"), EXPORTS)
def test_the_file_is_readable_by_its_owner_only(tmp_path, command, args, name):
    path = tmp_path / name
    run(command, path, *args)
    assert mode(path) == 0o600
    assert path.stat().st_size > 0


@pytest.mark.parametrize(("command", "args", "name"), EXPORTS)
def test_a_file_readable_by_all_is_replaced_by_a_private_one(tmp_path, command, args, name):
    path = tmp_path / name
    path.write_text("an older export")
    path.chmod(0o644)
    run(command, path, *args)
    assert mode(path) == 0o600
    assert path.read_text() != "an older export"


def test_the_backup_with_password_hashes_is_complete(tmp_path):
    path = tmp_path / "wiki.jsonl"
    run("export_wiki", path, "--with-passwords")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["with_passwords"] is True and lines[-1]["end"] is True
    assert os.listdir(tmp_path) == ["wiki.jsonl"]  # no temporary file left


@pytest.mark.parametrize("name", ["wiki.xml.gz", "wiki.xml.bz2"])
def test_a_compressed_mediawiki_export_is_private_and_whole(tmp_path, name):
    path = tmp_path / name
    run("export_mediawiki", path)
    assert mode(path) == 0o600
    opener = gzip.open if name.endswith(".gz") else bz2.open
    with opener(path, "rb") as stream:
        assert stream.read().rstrip().endswith(b"</mediawiki>")
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize(("command", "args", "name"), EXPORTS)
def test_a_symbolic_link_at_the_destination_is_refused(tmp_path, command, args, name):
    target = tmp_path / "someone-elses-file"
    target.write_text("not to be overwritten")
    target.chmod(0o644)
    link = tmp_path / name
    link.symlink_to(target)
    with pytest.raises(CommandError, match="symbolic link"):
        run(command, link, *args)
    assert target.read_text() == "not to be overwritten"
    assert mode(target) == 0o644
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert sorted(os.listdir(tmp_path)) == sorted([name, "someone-elses-file"])


def test_a_link_to_a_missing_file_is_refused_and_nothing_is_created(tmp_path):
    link = tmp_path / "wiki.jsonl"
    link.symlink_to(tmp_path / "created-through-the-link")
    with pytest.raises(CommandError, match="symbolic link"):
        run("export_wiki", link, "--with-passwords")
    assert not (tmp_path / "created-through-the-link").exists()


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    # export_mediawiki used to write to FILE.partial first, a name known in advance.
    target = tmp_path / "someone-elses-file"
    target.write_text("not to be overwritten")
    (tmp_path / "wiki.xml.partial").symlink_to(target)
    run("export_mediawiki", tmp_path / "wiki.xml")
    assert target.read_text() == "not to be overwritten"
    assert mode(tmp_path / "wiki.xml") == 0o600


def test_a_directory_at_the_destination_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a regular file"):
        run("export_wiki", tmp_path)
    assert os.listdir(tmp_path) == []


def test_a_failed_export_leaves_the_earlier_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "wiki.jsonl"
    path.write_text("the earlier backup")

    def fail_midway(out, **options):
        out.write("half a backup")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("apps.operations.backup.export_wiki", fail_midway)
    with pytest.raises(CommandError, match="No space left on device"):
        run("export_wiki", path)
    assert path.read_text() == "the earlier backup"
    assert os.listdir(tmp_path) == ["wiki.jsonl"]


def test_a_link_made_at_the_destination_during_the_export_is_refused(tmp_path, monkeypatch):
    path, target = tmp_path / "wiki.jsonl", tmp_path / "someone-elses-file"
    target.write_text("not to be overwritten")

    def export_while_a_link_is_made(out, **options):
        out.write("a backup")
        path.symlink_to(target)
        return {}

    monkeypatch.setattr("apps.operations.backup.export_wiki", export_while_a_link_is_made)
    with pytest.raises(CommandError, match="symbolic link"):
        run("export_wiki", path)
    assert target.read_text() == "not to be overwritten"
    assert sorted(os.listdir(tmp_path)) == ["someone-elses-file", "wiki.jsonl"]
