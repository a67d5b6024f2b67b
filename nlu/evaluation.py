"""Held-out NLU evaluation: per input style, intent macro F1 and entity F1, as a report.

Run: python -m nlu.evaluation --model models/assistant.tar.gz --report docs/nlu-report.md
Exits non-zero when a style falls under its target, so CI fails on a regression.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parent / "eval"
# Macro-F1 floors per style file; the build fails under them.
TARGETS = {"diacritics": 0.95, "no_diacritics": 0.92, "shorthand": 0.88, "speech": 0.88}
ENTITY_TYPES = ("tracking_code", "procedure")


@dataclass
class Example:
    text: str
    intent: str
    entities: list[dict[str, Any]]


@dataclass
class StyleResult:
    style: str
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    entity_counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    code_exact: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)


def load_examples(path: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().read(str(path))
    return [
        Example(m.get("text"), m.get("intent"), list(m.get("entities") or []))
        for m in data.intent_examples
    ]


def _fold_code(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def score_entities(
    result: StyleResult, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> None:
    """Exact-span matching per entity type; tracking codes also by canonical value."""
    for entity in ENTITY_TYPES:
        gold_spans = {(e["start"], e["end"]) for e in gold if e["entity"] == entity}
        pred_spans = {(e.get("start"), e.get("end")) for e in pred if e.get("entity") == entity}
        counts = result.entity_counts[entity]
        counts["tp"] += len(gold_spans & pred_spans)
        counts["fp"] += len(pred_spans - gold_spans)
        counts["fn"] += len(gold_spans - pred_spans)
    gold_codes = [e for e in gold if e["entity"] == "tracking_code"]
    if gold_codes:
        predicted_values = {
            _fold_code(str(e.get("value"))) for e in pred if e.get("entity") == "tracking_code"
        }
        for code in gold_codes:
            # Gold values of spoken codes carry the digits in the annotation's value.
            result.code_exact["total"] += 1
            if _fold_code(str(code["value"])) in predicted_values:
                result.code_exact["exact"] += 1


def f1(counts: Counter[str]) -> float:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    if tp == 0:
        return 0.0 if (fp or fn) else 1.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def macro_f1(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, dict[str, float]]]:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(gold))
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    per_intent = {
        label: {
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, label in enumerate(labels)
    }
    return float(sum(f) / len(f)) if len(f) else 0.0, per_intent


async def evaluate(model: Path, styles: list[str]) -> tuple[list[StyleResult], list[float]]:
    """Parse every held-out example; returns the results and each parse's time in ms."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results = []
    timings: list[float] = []
    for style in styles:
        result = StyleResult(style)
        for example in load_examples(EVAL_DIR / f"{style}.yml"):
            started = time.perf_counter()
            parse = await agent.parse_message(example.text)
            timings.append((time.perf_counter() - started) * 1000)
            predicted = (parse.get("intent") or {}).get("name") or "None"
            result.gold.append(example.intent)
            result.predicted.append(predicted)
            if predicted != example.intent:
                result.errors.append((example.text, example.intent, predicted))
            score_entities(result, example.entities, parse.get("entities") or [])
        results.append(result)
    return results, timings


def comparison_table(
    ours: list[StyleResult], ours_ms: list[float], plain: list[StyleResult], plain_ms: list[float]
) -> list[str]:
    """Our pipeline against the plain one on the same split, and their parse times."""
    lines = [
        "## Against the plain pipeline",
        "",
        "Same split, same DIET settings and seed; the plain pipeline (`nlu/baseline-config.yml`) "
        "has Rasa's WhitespaceTokenizer and no Vietnamese components.",
        "",
        "| style | ours macro F1 | plain macro F1 | gain | ours tracking codes exact "
        "| plain tracking codes exact |",
        "|---|---|---|---|---|---|",
    ]
    for mine, base in zip(ours, plain, strict=True):
        a, b = macro_f1(mine.gold, mine.predicted)[0], macro_f1(base.gold, base.predicted)[0]
        lines.append(
            f"| {mine.style} | {a:.3f} | {b:.3f} | {a - b:+.3f} | {_exact(mine)} | {_exact(base)} |"
        )
    ratio = statistics.median(ours_ms) / statistics.median(plain_ms)
    lines += [
        "",
        f"Parse time in this run, median over {len(ours_ms)} messages: ours "
        f"{statistics.median(ours_ms):.1f} ms, plain {statistics.median(plain_ms):.1f} ms: "
        f"**{ratio:.2f}×** (target ≤ 1.5×).",
        "",
    ]
    return lines


def _exact(result: StyleResult) -> str:
    codes = result.code_exact
    return f"{codes['exact']}/{codes['total']}" if codes["total"] else "n/a"


def confusion_table(results: list[StyleResult]) -> list[str]:
    pairs: Counter[tuple[str, str]] = Counter()
    for result in results:
        pairs.update((g, p) for g, p in zip(result.gold, result.predicted, strict=True) if g != p)
    lines = ["| gold intent | predicted | count |", "|---|---|---|"]
    lines += [f"| {g} | {p} | {n} |" for (g, p), n in pairs.most_common(30)]
    return lines if pairs else ["No confusions."]


def write_report(
    results: list[StyleResult],
    per_parse_ms: float,
    model: Path,
    report: Path,
    comparison: list[str] | None = None,
) -> bool:
    ok = True
    lines = [
        "# NLU evaluation on the held-out split",
        "",
        "Generated by `make nlu-eval` (`python -m nlu.evaluation --model models/assistant.tar.gz "
        "--baseline models/baseline.tar.gz --report docs/nlu-report.md`). "
        "The files in `nlu/eval/` are never trained on.",
        "",
        f"Model: `{model}`; mean parse time in this run {per_parse_ms:.1f} ms.",
        "",
        "| style | examples | intent macro F1 | target | tracking_code F1 | procedure F1 "
        "| codes exact |",
        "|---|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    summary: dict[str, Any] = {}
    for result in results:
        macro, per_intent = macro_f1(result.gold, result.predicted)
        target = TARGETS.get(result.style, 0.0)
        passed = macro >= target
        ok &= passed
        codes = result.code_exact
        exact = f"{codes['exact']}/{codes['total']}" if codes["total"] else "n/a"
        mark = "" if passed else " ❌"
        lines.append(
            f"| {result.style} | {len(result.gold)} | {macro:.3f}{mark} | {target:.2f} "
            f"| {f1(result.entity_counts['tracking_code']):.3f} "
            f"| {f1(result.entity_counts['procedure']):.3f} | {exact} |"
        )
        details += [
            f"## {result.style}",
            "",
            "| intent | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        details += [
            f"| {name} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} "
            f"| {m['support']} |"
            for name, m in per_intent.items()
        ]
        details.append("")
        if result.errors:
            details += ["Misclassified:", ""]
            details += [f"- `{text}`: {gold} → {pred}" for text, gold, pred in result.errors[:40]]
            details.append("")
        summary[result.style] = {"macro_f1": macro, "target": target, "per_intent": per_intent}
    lines += ["", *(comparison or []), "## Confusions (all styles)", "", *confusion_table(results)]
    lines += ["", *details]
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = Path("results") / "nlu-eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, help="plain-pipeline model to compare against")
    parser.add_argument("--report", type=Path, default=Path("docs/nlu-report.md"))
    parser.add_argument(
        "--styles", nargs="*", default=[s for s in TARGETS if (EVAL_DIR / f"{s}.yml").exists()]
    )
    args = parser.parse_args()
    results, timings = asyncio.run(evaluate(args.model, args.styles))
    comparison = None
    if args.baseline:
        plain, plain_timings = asyncio.run(evaluate(args.baseline, args.styles))
        comparison = comparison_table(results, timings, plain, plain_timings)
    mean_ms = statistics.fmean(timings) if timings else 0.0
    ok = write_report(results, mean_ms, args.model, args.report, comparison)
    print(args.report.read_text(encoding="utf-8").split("## Confusions")[0])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
