"""Documents of a dossier: which checklist items a user says they have, and whether an
uploaded file is acceptable and which item it belongs to. Pure functions: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nlu.normalize import fold

Component = Mapping[str, Any]

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
}
ALLOWED_EXTENSIONS = {"jpg", "jpeg", "png", "pdf"}
# Words that start many item names and say nothing about which item it is.
LEADING_NOISE = frozenset(
    ["ban", "sao", "chinh", "co", "chung", "thuc", "cac", "mot", "nhung", "01", "02", "03"]
)
# Words that begin many different item names ("giấy chứng nhận …", "văn bản …"): a mention
# must go one word past them to name a particular item.
GENERIC_WORDS = frozenset(
    [
        "giay",
        "chung",
        "nhan",
        "van",
        "ban",
        "quyet",
        "dinh",
        "tai",
        "lieu",
        "to",
        "bang",
        "dang",
        "ky",
    ]
)


def _key_words(name: str) -> list[str]:
    words = fold(name.split("(")[0]).replace(",", " ").replace("/", " ").split()
    while words and words[0] in LEADING_NOISE:
        words = words[1:]
    return words


def _mentions(text_words: Sequence[str], key: Sequence[str]) -> bool:
    generic_prefix = 0
    while generic_prefix < len(key) and key[generic_prefix] in GENERIC_WORDS:
        generic_prefix += 1
    size = min(len(key), max(2, generic_prefix + 1))
    wanted = list(key[:size])
    return any(list(text_words[i : i + size]) == wanted for i in range(len(text_words) - size + 1))


def mentioned_components(text: str, components: Sequence[Component]) -> list[int]:
    """Indexes of the checklist items the text names ("tôi có tờ khai và mẫu nhãn rồi")."""
    text_words = fold(text).replace(",", " ").split()
    return [
        i
        for i, component in enumerate(components)
        if (key := _key_words(str(component.get("name", "")))) and _mentions(text_words, key)
    ]


def required_indexes(components: Sequence[Component]) -> list[int]:
    return [i for i, c in enumerate(components) if c.get("required", True)]


def attachment_problem(attachment: Mapping[str, Any], max_bytes: int) -> str | None:
    """Why a file cannot be accepted (Vietnamese), or None when it is fine."""
    name = str(attachment.get("file_name") or "")
    mime = str(attachment.get("mime_type") or "").lower()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if mime not in ALLOWED_TYPES and extension not in ALLOWED_EXTENSIONS:
        return "chỉ nhận ảnh JPG, PNG hoặc tệp PDF."
    size = attachment.get("size")
    if not isinstance(size, int) or size <= 0:
        return "tệp rỗng hoặc không đọc được kích thước."
    if size > max_bytes:
        return f"tệp lớn hơn {max_bytes // (1024 * 1024)} MB."
    return None


def component_for(
    attachment: Mapping[str, Any], components: Sequence[Component], taken: set[int]
) -> int | None:
    """The item a file belongs to: the one its caption or file name names, else the first
    required item that has no file yet, else the first optional one."""
    hint = f"{attachment.get('caption') or ''} {attachment.get('file_name') or ''}"
    hint = hint.replace("_", " ").replace("-", " ").replace(".", " ")
    for index in mentioned_components(hint, components):
        if index not in taken:
            return index
    for index in required_indexes(components):
        if index not in taken:
            return index
    optional = [i for i in range(len(components)) if i not in taken]
    return optional[0] if optional else None


def numbered(names: Sequence[str]) -> str:
    return "\n".join(f"{i}. {name}" for i, name in enumerate(names, start=1))
