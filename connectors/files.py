"""The demo's local file backends: pages into a folder, any other artefact written atomically.

Like every publisher this one reconciles: it compares the bytes it would
write with what is on disk (by SHA-256) and writes only files that differ,
so an unchanged page keeps its modification time and a re-run is a no-op.

Every write is atomic: the data goes to a temporary file in the target's
folder, is flushed to disk, then `os.replace`d over the target. A crash
leaves either the old file or the new one, never half of either (at worst a
stray `.*.tmp` file, which the next run ignores).

File names come from page keys and attachment names through `safe_name`,
which cannot produce a path separator or a leading dot, so no key
("../../etc/passwd", "/abs", "C:\\x") can write outside the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from pathlib import Path

from art.model import Page, PublishOutcome

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 120
_SUFFIX = re.compile(r"(.*?)(\.[A-Za-z0-9]{1,8})?", re.DOTALL)
_CHUNK = 1 << 16


def safe_name(name: str) -> str:
    """A file name made from arbitrary text, always inside its folder.

    Runs of characters other than ASCII letters, digits, '.', '_' and '-'
    become one '-'; leading dots and dashes are dropped (no "..", no hidden
    files). When that changed anything beyond turning ':' or a space into '-',
    or left the name empty or over-long, a short hash of the original goes
    before the suffix, so that such keys do not collide on one file.
    ("health:demo-art" -> "health-demo-art"; "../../etc" -> "etc-1a2b3c4d".)
    """
    stem, suffix = _SUFFIX.fullmatch(name).groups(default="")  # type: ignore[union-attr]
    clean_stem = _UNSAFE.sub("-", stem).strip(".-")
    lossy = not clean_stem or clean_stem + suffix != re.sub(r"[: ]", "-", name)
    if len(clean_stem) + len(suffix) > _MAX_NAME:
        clean_stem, lossy = clean_stem[: _MAX_NAME - len(suffix)].rstrip(".-"), True
    if lossy:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        clean_stem = f"{clean_stem}-{digest}" if clean_stem else digest
    return clean_stem + suffix


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when there is no such file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def write_bytes_atomically(path: Path, data: bytes) -> bool:
    """Make `path` hold exactly `data`; return False (and touch nothing) when it already does.

    Creates missing parent folders. The new file gets the permissions of the
    one it replaces, or the usual ones (0666 less the umask) when it is new.
    """
    path = Path(path)
    if file_digest(path) == hashlib.sha256(data).hexdigest():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):  # keep the mode of the file replaced
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return True


def _fsync_directory(folder: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


class FolderPublisher:
    """Publishes pages as files in `out_dir` (the config's `confluence.pages_dir`).

    A page with key K becomes `<slug>.storage.xml` (the Confluence storage
    body), `<slug>.html` (the preview) and `<slug>_attachments/<name>` per
    attachment, where slug = `safe_name(K)`. Attachments the page no longer
    has are removed from its folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)

    def paths(self, page: Page) -> dict[Path, bytes]:
        """Every file the page should consist of, with its bytes."""
        slug = safe_name(page.key)
        files = {
            self._inside(self.out_dir / f"{slug}.storage.xml"): page.storage.encode("utf-8"),
            self._inside(self.out_dir / f"{slug}.html"): page.preview_html.encode("utf-8"),
        }
        folder = self.attachments_dir(page)
        for name, data in page.attachments.items():
            target = self._inside(folder / safe_name(name))
            if target in files:
                raise ValueError(f"attachments {name!r} and another map to the file {target.name}")
            files[target] = bytes(data)
        return files

    def attachments_dir(self, page: Page) -> Path:
        return self._inside(self.out_dir / f"{safe_name(page.key)}_attachments")

    def publish_page(self, page: Page, *, dry_run: bool = False) -> PublishOutcome:
        """Reconcile the page's files with `page`; with `dry_run`, only say what would happen."""
        files = self.paths(page)
        stale = self._stale_attachments(page, files)
        storage_path = next(iter(files))
        existed = storage_path.exists()
        differs = [path for path, data in files.items() if not _holds(path, data)]
        if not differs and not stale:
            return PublishOutcome.UNCHANGED
        if not dry_run:
            for path in differs:
                write_bytes_atomically(path, files[path])
            for path in stale:
                path.unlink(missing_ok=True)
            folder = self.attachments_dir(page)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return PublishOutcome.UPDATED if existed else PublishOutcome.CREATED

    def _stale_attachments(self, page: Page, files: dict[Path, bytes]) -> list[Path]:
        folder = self.attachments_dir(page)
        if not folder.is_dir():
            return []
        return sorted(path for path in folder.iterdir() if path.is_file() and path not in files)

    def _inside(self, path: Path) -> Path:
        """`path`, after checking it resolves inside the output folder (belt and braces)."""
        root = self.out_dir.resolve()
        if root not in path.resolve().parents:
            raise ValueError(f"refusing to write outside {self.out_dir}: {path}")
        return path


def _holds(path: Path, data: bytes) -> bool:
    return file_digest(path) == hashlib.sha256(data).hexdigest()
