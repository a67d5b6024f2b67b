"""Voice layer benchmark: WER per decoding setting, STT path overhead, memory, confidence.

Reproduce (2 cores, about 25 minutes)::

    nice .venv/bin/python benchmarks/voice_bench.py --out results/voice_bench.json

Audio is the espeak-ng Vietnamese domain set of ``voice.corpus`` (generated into a temp
dir). WER is word-level Levenshtein over lowercased, punctuation-free text, with digits
in the hypothesis spelled out (``voice.vi_numbers``) so "17" and "mười bảy" compare equal.
Whisper's temperature fallback samples, so each setting runs once per ``--seeds`` value
with CTranslate2's random seed fixed, and the mean is reported.
Optional: ``--nlu-url http://localhost:5005 --nlu-token T`` adds the share of utterances
whose intent (Rasa ``/model/parse``) is the same for the transcript as for the text.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import memory_mb
from voice.audio import SAMPLE_RATE, decode
from voice.config import SttSettings
from voice.corpus import DOMAIN_TERMS, Clip, synthesize_corpus
from voice.decoding import DecodingOptions, bias_text
from voice.stt import SpeechToText
from voice.vi_numbers import digits_to_words, number_to_words

REPO = Path(__file__).resolve().parents[1]
LONG_PROMPT = (
    "Các thủ tục hành chính của Bộ Khoa học và Công nghệ: cấp mã số mã vạch, đăng ký chuyển "
    "giao công nghệ, giấy phép tiến hành công việc bức xạ, đăng ký hoạt động khoa học và "
    "công nghệ, chứng nhận doanh nghiệp khoa học và công nghệ, bảo hộ nhãn hiệu, đánh giá "
    "sự phù hợp, lệ phí, hồ sơ, giấy chứng nhận, thời hạn giải quyết, bộ phận một cửa."
)
SHORT_PROMPT = "Hỏi về thủ tục hành chính: mã số mã vạch, lệ phí, hồ sơ, giấy chứng nhận."
FULL_TEMPS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
MAX_BIAS_WORDS_LIST = 16  # five DOMAIN_TERMS (15 words), the list first measured


def settings_matrix() -> dict[str, DecodingOptions]:
    """Every setting keeps faster-whisper's no-speech veto (0.6) unless its name says "off"."""
    hot = bias_text(DOMAIN_TERMS, max_words=MAX_BIAS_WORDS_LIST)
    one = DecodingOptions(beam_size=1, no_speech_threshold=0.6)
    five = replace(one, beam_size=5)
    return {
        "none/beam1": one,
        "none/beam5": five,
        "none/beam1/no-fallback": replace(one, temperature=(0.0,)),
        "none/beam1/temps-to-1.0": replace(one, temperature=FULL_TEMPS),
        "none/beam1/rep-penalty-1.1": replace(one, repetition_penalty=1.1),
        "none/beam1/no-repeat-4gram": replace(one, no_repeat_ngram_size=4),
        "none/beam1/no-speech-veto-off": replace(one, no_speech_threshold=None),
        "none/beam5/no-speech-veto-off": replace(five, no_speech_threshold=None),
        "hotwords/beam1": replace(one, hotwords=hot),
        "hotwords/beam5": replace(five, hotwords=hot),
        "hotwords-1term/beam1": replace(one, hotwords="mã số mã vạch"),
        "hotwords-1term/beam1/veto-off": DecodingOptions(beam_size=1, hotwords="mã số mã vạch"),
        "short-prompt/beam1": replace(one, initial_prompt=SHORT_PROMPT),
        "short-prompt/beam5": replace(five, initial_prompt=SHORT_PROMPT),
        "long-prompt/beam1": replace(one, initial_prompt=LONG_PROMPT),
        "long-prompt/beam5": replace(five, initial_prompt=LONG_PROMPT),
    }


def words_for_wer(text: str) -> list[str]:
    """Lowercase, drop punctuation, spell digits (leading-zero or long runs digit by digit)."""
    text = unicodedata.normalize("NFC", text).lower()

    def spell(match: re.Match[str]) -> str:
        run = match.group(0)
        if run.startswith("0") or len(run) > 4:
            return f" {digits_to_words(run)} "
        return f" {number_to_words(int(run))} "

    text = re.sub(r"\d+", spell, text)
    return re.sub(r"[^\w\s]", " ", text).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def corpus_wer(pairs: list[tuple[str, str]]) -> float:
    errors = sum(edit_distance(words_for_wer(r), words_for_wer(h)) for r, h in pairs)
    return errors / max(sum(len(words_for_wer(r)) for r, _ in pairs), 1)


@dataclass
class Row:
    setting: str
    wer: float
    wer_per_seed: list[float]
    median_s: float
    worst: str


def run_once(
    stt: SpeechToText, options: DecodingOptions, clips: list[Clip], seed: int
) -> tuple[float, list[float], list[dict[str, Any]]]:
    import ctranslate2

    ctranslate2.set_random_seed(seed)  # temperature fallback samples: make runs repeatable
    stt.decoding = options
    pairs, times, details = [], [], []
    for clip in clips:
        start = time.perf_counter()
        result = stt.transcribe_sync(clip.path.read_bytes())
        times.append(time.perf_counter() - start)
        pairs.append((clip.text, result.text))
        details.append(
            {
                "key": clip.key,
                "hyp": result.text,
                "wer": round(corpus_wer([(clip.text, result.text)]), 3),
                "confidence": result.confidence,
            }
        )
    return corpus_wer(pairs), times, details


def run_setting(
    stt: SpeechToText, name: str, options: DecodingOptions, clips: list[Clip], seeds: list[int]
) -> tuple[Row, list[dict[str, Any]]]:
    wers: list[float] = []
    times: list[float] = []
    first: list[dict[str, Any]] = []
    for seed in seeds:
        wer, seed_times, details = run_once(stt, options, clips, seed)
        wers.append(round(wer, 3))
        times += seed_times
        first = first or details
    worst = max(first, key=lambda d: d["wer"])
    row = Row(
        setting=name,
        wer=round(statistics.mean(wers), 3),
        wer_per_seed=wers,
        median_s=round(statistics.median(times), 3),
        worst=f"{worst['key']}: {worst['hyp'][:60]}",
    )
    return row, first


def bare_transcribe(stt: SpeechToText, audio: bytes) -> str:
    """What a caller would write without our layer: faster-whisper on the raw bytes."""
    segments, _ = stt.model.transcribe(
        io.BytesIO(audio), language="vi", vad_filter=True, **stt.decoding.kwargs()
    )
    return " ".join(s.text.strip() for s in segments)


def clip_seconds(clip: Clip) -> float:
    return len(decode(clip.path.read_bytes(), max_seconds=60)) / SAMPLE_RATE


def overhead(stt: SpeechToText, clips: list[Clip], rounds: int) -> dict[str, Any]:
    """Median per utterance, our async path (bytes → normalised transcript) vs bare, interleaved."""
    import ctranslate2

    chosen = [c for c in clips if 2.0 <= clip_seconds(c) <= 6.0]
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        for clip in chosen:
            audio = clip.path.read_bytes()
            ctranslate2.set_random_seed(0)
            t0 = time.perf_counter()
            bare_transcribe(stt, audio)
            t1 = time.perf_counter()
            ctranslate2.set_random_seed(0)
            asyncio.run(stt.transcribe(audio))
            t2 = time.perf_counter()
            bare.append(t1 - t0)
            ours.append(t2 - t1)
    med_ours, med_bare = statistics.median(ours), statistics.median(bare)
    ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    return {
        "clips": len(chosen),
        "rounds": rounds,
        "median_ours_s": round(med_ours, 3),
        "median_bare_s": round(med_bare, 3),
        "ratio_of_medians": round(med_ours / med_bare, 3),
        "median_of_ratios": round(statistics.median(ratios), 3),
    }


def confidence_table(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For candidate thresholds: share sent to confirmation, and WER on each side."""
    rows = []
    for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        low = [d["wer"] for d in details if d["confidence"] < threshold]
        high = [d["wer"] for d in details if d["confidence"] >= threshold]
        rows.append(
            {
                "threshold": threshold,
                "confirm_share": round(len(low) / len(details), 2),
                "mean_wer_confirmed": round(statistics.mean(low), 3) if low else None,
                "mean_wer_accepted": round(statistics.mean(high), 3) if high else None,
            }
        )
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_memory(clips: list[Clip]) -> dict[str, Any]:
    """Start ``python -m voice``, send clips to /stt, read its resident memory."""
    port = _free_port()
    env = {**os.environ, "VOICE_TTS_ONLINE": "0"}
    cmd = [sys.executable, "-m", "voice", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(240):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.5)
            idle = memory_mb(proc.pid)
            for clip in clips:
                body = clip.path.read_bytes()
                client.post("/stt", content=body, headers={"Content-Type": "audio/wav"})
            busy = memory_mb(proc.pid)
        return {
            "rss_idle_mb": idle["VmRSS"],
            "rss_after_mb": busy["VmRSS"],
            "peak_mb": busy["VmHWM"],
            "requests": len(clips),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def intent_agreement(
    url: str, token: str | None, clips: list[Clip], transcripts: dict[str, str]
) -> dict[str, Any]:
    """Share of utterances whose Rasa intent is the same for transcript and reference text."""
    with httpx.Client(base_url=url, timeout=30) as client:

        def parse(text: str) -> str:
            params = {"token": token} if token else None
            reply = client.post("/model/parse", json={"text": text}, params=params)
            reply.raise_for_status()
            return str(reply.json()["intent"]["name"])

        pairs = {c.key: (parse(c.text), parse(transcripts[c.key])) for c in clips}
    same = sum(ref == hyp for ref, hyp in pairs.values())
    return {
        "utterances": len(clips),
        "same_intent_share": round(same / len(clips), 3),
        "per_utterance": {
            key: {"text_intent": ref, "transcript_intent": hyp, "hyp": transcripts[key]}
            for key, (ref, hyp) in pairs.items()
        },
    }


def tts_latency(workdir: Path, repeats: int = 3) -> dict[str, Any]:
    """Median seconds of ``TextToSpeech.synthesize`` per fake-Google behaviour (fresh cache)."""
    from tests.voice.fake_google_tts import FakeGoogle, refusing_proxy_url
    from voice.config import TtsSettings
    from voice.corpus import speak_to_wav
    from voice.tts import TextToSpeech

    payload = speak_to_wav("Xin chào bác", workdir / "hello.wav").read_bytes()
    fake = FakeGoogle(payload).start()
    refused_url, refused_sock = refusing_proxy_url()
    text = "Lệ phí cấp mã số mã vạch là 1.000.000 đồng. Thời hạn giải quyết là 15 ngày."
    results: dict[str, Any] = {}
    try:
        for mode in ("audio", "cache-hit", "429", "503", "hang", "refused"):
            os.environ["HTTPS_PROXY"] = refused_url if mode == "refused" else fake.proxy_url
            fake.mode = "audio" if mode == "cache-hit" else mode
            times, engines = [], set()
            for i in range(repeats):
                cache_dir = workdir / ("cache" if mode == "cache-hit" else f"cache-{mode}-{i}")
                tts = TextToSpeech(TtsSettings(cache_dir=cache_dir))
                if mode == "cache-hit" and i == 0:
                    asyncio.run(tts.synthesize(text))
                started = time.perf_counter()
                audio = asyncio.run(tts.synthesize(text))
                times.append(time.perf_counter() - started)
                engines.add(audio.engine + (" (cached)" if audio.cached else ""))
            results[mode] = {
                "median_s": round(statistics.median(times), 3),
                "engine": sorted(engines),
            }
    finally:
        os.environ.pop("HTTPS_PROXY", None)
        fake.stop()
        refused_sock.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results/voice_bench.json"))
    parser.add_argument("--settings", nargs="*", help="subset of setting names (default: all)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--rounds", type=int, default=2, help="overhead rounds over 2–6 s clips")
    parser.add_argument("--skip-service", action="store_true", help="skip the memory check")
    parser.add_argument("--tts-only", action="store_true", help="only the TTS latency part")
    parser.add_argument(
        "--chosen-only",
        action="store_true",
        help="only the default decoding setting, once (no matrix, no overhead comparison)",
    )
    parser.add_argument("--nlu-url")
    parser.add_argument("--nlu-token")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="voice-bench-"))
    tts_report = tts_latency(workdir)
    print("tts latency", tts_report, flush=True)
    if args.tts_only:
        return 0
    clips = synthesize_corpus(workdir / "corpus")
    stt = SpeechToText.load(SttSettings.from_env(), normalizer=str.lower)
    stt.transcribe_sync(clips[0].path.read_bytes())  # warm-up
    chosen = stt.decoding
    report: dict[str, Any] = {"utterances": len(clips), "settings": [], "details": {}}
    report["tts_latency"] = tts_report
    for name, options in settings_matrix().items():
        if args.chosen_only or (args.settings and name not in args.settings):
            continue
        row, details = run_setting(stt, name, options, clips, args.seeds)
        report["settings"].append(asdict(row))
        report["details"][name] = details
        print(f"{row.setting:28s} WER {row.wer:.3f} {row.wer_per_seed}  median {row.median_s:.2f}s"
              f"  worst {row.worst}", flush=True)  # fmt: skip
    stt.decoding = chosen
    details = run_setting(stt, "chosen", chosen, clips, args.seeds[:1])[1]
    report["chosen"] = asdict(chosen)
    report["details"]["chosen"] = details
    report["confidence"] = confidence_table(details)
    print("confidence", report["confidence"], flush=True)
    if not args.chosen_only:
        report["overhead"] = overhead(stt, clips, args.rounds)
        print("overhead", report["overhead"], flush=True)
    if not args.skip_service:
        report["service_memory"] = service_memory(clips[:12])
        print("service memory", report["service_memory"], flush=True)
    if args.nlu_url:
        transcripts = {d["key"]: d["hyp"] for d in details}
        report["intent"] = intent_agreement(args.nlu_url, args.nlu_token, clips, transcripts)
        intent = report["intent"]
        print("intent", intent["same_intent_share"], f"of {intent['utterances']}", flush=True)
        for key, row in intent["per_utterance"].items():
            print(f"  {key:22s} {row['text_intent']:28s} {row['transcript_intent']}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
