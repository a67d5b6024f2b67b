"""Pure functions that turn catalogue records and statuses into short Vietnamese text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

Record = Mapping[str, Any]

MODE_LABELS = {
    "counter": "trực tiếp tại Bộ phận Một cửa",
    "post": "qua bưu chính (Bưu điện Việt Nam)",
    "online": "trực tuyến trên Cổng Dịch vụ công",
}
LEVEL_LABELS = {"central": "cấp Trung ương", "provincial": "cấp tỉnh"}
ORIGINAL_LABELS = {
    "original": "bản chính",
    "copy": "bản sao",
    "certified_copy": "bản sao có chứng thực",
}


def format_vnd(amount: int) -> str:
    """150000 -> '150.000 đồng' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def format_date(value: str | None) -> str:
    """ISO date or datetime -> dd/mm/yyyy; empty or unreadable -> 'chưa xác định'."""
    if not value:
        return "chưa xác định"
    try:
        parsed: date = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = date.fromisoformat(value[:10])
        except ValueError:
            return "chưa xác định"
    return parsed.strftime("%d/%m/%Y")


def submission_modes(record: Record) -> str:
    modes = [MODE_LABELS[m] for m in record.get("submission_modes", []) if m in MODE_LABELS]
    return "; ".join(modes) if modes else "chưa có thông tin"


def online_note(record: Record) -> str:
    if record.get("fully_online"):
        return "Làm được toàn trình trực tuyến."
    if "online" in record.get("submission_modes", []):
        return (
            "Nộp trực tuyến được, nhưng chưa toàn trình "
            "(một số bước cần bản giấy hoặc đến trực tiếp)."
        )
    return "Thủ tục này chưa nộp trực tuyến được."


def _component_line(component: Mapping[str, Any]) -> str:
    parts = [str(component.get("name", "")).strip()]
    if component.get("form"):
        parts.append(f"({component['form']})")
    line = " ".join(p for p in parts if p)
    details = []
    copies = component.get("copies")
    if isinstance(copies, int) and copies > 0:
        details.append(f"{copies:02d} bản")
    original = ORIGINAL_LABELS.get(str(component.get("original")))
    if original:
        details.append(original)
    return f"{line}: {', '.join(details)}" if details else line


def documents_list(components: Sequence[Mapping[str, Any]]) -> str:
    """Numbered required documents, then the ones needed only in some cases."""
    required = [c for c in components if c.get("required", True)]
    conditional = [c for c in components if not c.get("required", True)]
    lines = [f"{i}. {_component_line(c)}" for i, c in enumerate(required, start=1)]
    if conditional:
        lines.append("Chỉ cần trong một số trường hợp:")
        for c in conditional:
            condition = f" — {c['condition']}" if c.get("condition") else ""
            lines.append(f"• {_component_line(c)}{condition}")
    return "\n".join(lines) if lines else "Danh mục chưa có thông tin về thành phần hồ sơ."


def fee_text(fee: Mapping[str, Any]) -> str:
    lines = []
    for item in fee.get("items", []):
        amount = item.get("amount_vnd")
        unit = f"/{item['unit']}" if item.get("unit") and amount is not None else ""
        value = (
            format_vnd(int(amount)) + unit if amount is not None else "chưa xác minh được mức thu"
        )
        mark = "" if item.get("verified", True) else " (chưa xác minh)"
        lines.append(f"• {item.get('name', 'Lệ phí')}: {value}{mark}")
    if not lines:
        # No itemised amounts: the catalogue's own sentence is the best we have.
        lines.append(str(fee.get("text") or "").strip() or "Chưa có thông tin về lệ phí.")
    return "\n".join(lines)


def has_unverified(*parts: Mapping[str, Any]) -> bool:
    """True when a fee or time block (or any of its items) is flagged unverified."""
    for part in parts:
        if part.get("verified") is False:
            return True
        if any(item.get("verified") is False for item in part.get("items", [])):
            return True
    return False


def lateness(status: Mapping[str, Any]) -> str:
    if status.get("stage") in ("approved", "returned", "rejected"):
        return "Hồ sơ đã được giải quyết xong."
    if status.get("is_late"):
        days = status.get("days_overdue")
        return f"⚠️ Đã quá hạn {days} ngày" if days else "⚠️ Đã quá hạn"
    if not status.get("deadline"):
        return "Chưa xác định hạn giải quyết."
    return "Đang trong thời hạn giải quyết."
