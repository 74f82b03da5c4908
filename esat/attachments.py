"""Attached files written out to be opened: nothing read from a file becomes a path unchecked.

An ``.esat`` file may come from anyone, so its ``blob_sha256`` and
``file_name`` are hostile until checked:

- a hash is exactly 64 lower-case hex digits (:func:`check_sha256`);
- a file name is reduced to a safe base name (:func:`safe_file_name`): no
  folder parts, separators, NUL or other controls, not ``.`` or ``..``, at
  most :data:`MAX_NAME_BYTES` bytes, with a fallback when nothing is left;
- the bytes are checked against the hash before they are written;
- copies go into a private folder (mode 0700) made for this run
  (:class:`OpenedCopies`), each in its own new sub-folder, created exclusively
  and never following a symlink, so no copy is reused or lands outside it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import EsatError, shown_quoted

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_NAME_BYTES = 120           # well inside every file system's 255-byte limit
FALLBACK_NAME = "attachment"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def check_sha256(value: object) -> str:
    """``value`` if it is a SHA-256 hash as ESAT writes it, else :class:`EsatError`."""
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise EsatError(f"the attachment's fingerprint {shown_quoted(value, 70)} is not a "
                        "SHA-256 hash; the file may have been tampered with, so it was not opened")
    return value


def safe_file_name(name: object) -> str:
    """A base name safe to create in a folder, keeping as much of ``name`` as is safe."""
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]          # the last part only
    text = _UNSAFE.sub("_", text).strip().strip(".").strip()
    if _RESERVED.match(text):
        text = "_" + text
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    suffix = suffix[:16]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
        text = f"{stem}.{suffix}" if suffix else stem
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    if not text or text in (".", ".."):
        text = FALLBACK_NAME
    return text


class OpenedCopies:
    """Where attachments are written to be opened: a private folder made for this run.

    ``root`` is one of ESAT's own folders; the run's folder is made inside it
    with :func:`tempfile.mkdtemp` (mode 0700) the first time it is needed.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._folder: Path | None = None

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="run-", dir=self.root))
            os.chmod(self._folder, 0o700)
        return self._folder

    def write(self, sha256: object, file_name: object, data: bytes) -> Path:
        """Write ``data`` as ``file_name`` after checking it against ``sha256``; returns the path."""
        sha256 = check_sha256(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EsatError(f"{safe_file_name(file_name)}: the attached file does not match its "
                            "fingerprint; the file may have been tampered with, so it was "
                            "not opened")
        folder = Path(tempfile.mkdtemp(prefix=sha256[:12] + "-", dir=self.folder))
        target = folder / safe_file_name(file_name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
            | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(target, flags, 0o600)
        except OSError as exc:
            raise EsatError(f"{target}: cannot be written ({exc.strerror or exc})") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(target, 0o400)       # a copy to look at: changes to it are not saved back
        return target
