"""Assembling the packaged Whisper base model: once, verified, atomic, repaired when broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voice.config import ModelSettings
from voice.model_setup import MANIFEST_NAME, ModelSetupError, assemble, resolve_model_dir, verify

REPO = Path(__file__).resolve().parents[2]
EXPECTED_SIZE = 94_371_840 + 50_845_767  # part1 + part2, as listed in the wheels' RECORD


@pytest.fixture(scope="module")
def assembled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("models") / "whisper-base")


def test_assembled_folder_is_complete(assembled: Path) -> None:
    names = sorted(p.name for p in assembled.iterdir())
    assert names == ["config.json", "model.bin", "tokenizer.json", "vocabulary.json", MANIFEST_NAME]
    manifest = json.loads((assembled / MANIFEST_NAME).read_text())
    assert manifest["size"] == EXPECTED_SIZE == (assembled / "model.bin").stat().st_size
    assert len(manifest["sha256"]) == 64 and verify(assembled)
    assert not [p for p in assembled.parent.iterdir() if p.name.startswith(".")], (
        "temp folders left behind"
    )


def test_sound_folder_is_not_rebuilt(assembled: Path) -> None:
    before = (assembled / "model.bin").stat().st_mtime_ns
    assert assemble(assembled) == assembled
    assert (assembled / "model.bin").stat().st_mtime_ns == before


def test_corrupt_model_is_rebuilt(assembled: Path) -> None:
    with (assembled / "model.bin").open("r+b") as fh:
        fh.seek(50_000_000)
        byte = fh.read(1)
        fh.seek(50_000_000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    assert not verify(assembled)
    assert resolve_model_dir(ModelSettings(cache_dir=assembled)) == assembled
    assert verify(assembled)


def test_truncated_model_fails_the_size_check(assembled: Path) -> None:
    os.truncate(assembled / "model.bin", 1000)
    assert not verify(assembled, full=False)
    assemble(assembled)
    assert verify(assembled)


def test_foreign_ctranslate2_folder_is_used_as_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{}")
    assert resolve_model_dir(ModelSettings(cache_dir=tmp_path)) == tmp_path
    assert (
        resolve_model_dir(ModelSettings(cache_dir=tmp_path / "unused", model_path=tmp_path))
        == tmp_path
    )
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_model_path_that_is_not_a_model_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelSetupError):
        resolve_model_dir(ModelSettings(model_path=tmp_path))


def test_cli_check_and_env(assembled: Path, tmp_path: Path) -> None:
    env = {**os.environ, "WHISPER_MODEL_DIR": str(assembled)}
    ok = subprocess.run(
        [sys.executable, "-m", "voice.model_setup", "--check"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "ok" in ok.stdout
    env["WHISPER_MODEL_DIR"] = str(tmp_path / "missing")
    missing = subprocess.run(
        [sys.executable, "-m", "voice.model_setup", "--check"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1
