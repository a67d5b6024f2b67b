"""Hypothesis strategies for the fuzz run: generated values, and mutations of the real
webhook and REST payloads of tests/fakes/reference (samples of the platforms' documentation)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from tests.fakes.payloads import PAYLOADS, load

# Values that have broken parsers before: empty, huge, control characters, look-alike
# commands, numbers past 64 bits, a Zalo id typed as a number.
NASTY = st.sampled_from(
    [
        "", " ", "/", "/start", '/inform{"phone_last4": "5678"}', "/restart", "\x00", "\u202e",
        "a" * 5000, "🙂" * 300, "<script>alert(1)</script>", "{{7*7}}", "%s%s%n",
        "000.00.17.G17-241219-0001", 2**64, -(2**63) - 1, 1e308, -0.0, True, [], {},
    ]
)  # fmt: skip
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    NASTY,
)
JSON = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def samples(prefix: str) -> list[Any]:
    return [load(p.name) for p in sorted(PAYLOADS.glob(f"{prefix}*.json"))]


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node's path (the root included) of a JSON value."""
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*here, index))
    return found


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return root


def _delete(root: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return None
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return root


@st.composite
def mutated(draw: st.DrawFn, originals: list[Any]) -> Any:
    """A real payload with one to four nodes replaced, deleted, or given a sibling."""
    value = copy.deepcopy(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(value)))
        operation = draw(st.sampled_from(["replace", "delete", "add"]))
        # Copies: NASTY's [] and {} are shared objects that a later "add" would fill.
        if operation == "replace":
            value = _set(value, path, copy.deepcopy(draw(JSON)))
        elif operation == "delete":
            value = _delete(value, path)
        else:
            node = value
            for step in path:
                node = node[step]
            if isinstance(node, dict):
                node[draw(st.text(max_size=12))] = copy.deepcopy(draw(JSON))
            elif isinstance(node, list):
                node.append(copy.deepcopy(draw(JSON)))
    return value


@st.composite
def body(draw: st.DrawFn, originals: list[Any]) -> tuple[bytes, Any]:
    """(raw body, the JSON value it encodes or None): mostly mutated payloads, also entirely
    generated JSON, truncated or bit-flipped encodings, and random bytes."""
    kind = draw(
        st.sampled_from(["mutated"] * 5 + ["original", "generated", "cut", "flip", "bytes"])
    )
    if kind == "bytes":
        return draw(st.binary(max_size=600)), None
    value = draw(st.sampled_from(originals)) if kind == "original" else draw(mutated(originals))
    if kind == "generated":
        value = copy.deepcopy(draw(JSON))
    raw = json.dumps(value, ensure_ascii=draw(st.booleans())).encode()
    if kind == "cut":
        return raw[: draw(st.integers(0, max(0, len(raw) - 1)))], None
    if kind == "flip" and raw:
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ (1 << draw(st.integers(0, 7)))]) + raw[at + 1 :]
        return raw, None
    return raw, value
