"""A directory of synthesized phrases, keyed by a hash of the text and every voice setting.

A hit never touches the network. Writes go to a temporary file renamed into place, so
concurrent writers and a crash mid-write leave either the old entry or a whole new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


class PhraseCache:
    """``<root>/<k[:2]>/<key>.<ext>`` files; entries are immutable once written."""

    def __init__(self, root: Path, *, ext: str = "mp3") -> None:
        self.root = root
        self.ext = ext

    @staticmethod
    def key(text: str, **settings: object) -> str:
        """Stable hash of the exact text and the settings that change the audio."""
        blob = json.dumps({"text": text, **settings}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.{self.ext}"

    def get(self, key: str) -> bytes | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        return data or None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
