"""A small Vietnamese domain utterance set, spoken by espeak-ng, for tests and benchmarks.

Texts are written as they are spoken (numbers in words), so they double as WER
references. Audio is generated on demand, never committed.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

UTTERANCES: tuple[tuple[str, str], ...] = (
    ("docs_barcode", "Thủ tục cấp mã số mã vạch cần những giấy tờ gì"),
    ("fee_barcode", "Lệ phí đăng ký mã số mã vạch là bao nhiêu tiền"),
    ("time_certificate", "Bao lâu thì tôi nhận được giấy chứng nhận"),
    ("status_ask", "Tôi muốn tra cứu tình trạng hồ sơ của tôi"),
    ("code_partial", "Mã hồ sơ của tôi là không không không chấm không không chấm mười bảy"),
    ("phone_last4", "Bốn số cuối điện thoại của tôi là năm sáu bảy tám"),
    ("phone_full", "Số điện thoại của tôi là không chín một hai ba bốn năm sáu bảy tám"),
    ("submit_transfer", "Tôi cần nộp hồ sơ đăng ký chuyển giao công nghệ"),
    ("where_radiation", "Giấy phép tiến hành công việc bức xạ làm ở đâu"),
    ("time_limit", "Thời hạn giải quyết hồ sơ là bao nhiêu ngày làm việc"),
    ("office_hours", "Cho tôi hỏi giờ làm việc của bộ phận một cửa"),
    ("online_submit", "Tôi có thể nộp hồ sơ trực tuyến được không"),
    ("fee_confirm", "Phí thẩm định là một trăm năm mươi nghìn đồng phải không"),
    ("handover_officer", "Tôi muốn gặp cán bộ để được hướng dẫn"),
    ("status_approved", "Hồ sơ của tôi đã được duyệt chưa"),
    ("docs_id_card", "Cần mang theo căn cước công dân không"),
    ("docs_science_reg", "Đăng ký hoạt động khoa học và công nghệ cần những gì"),
    ("cert_enterprise", "Làm sao để được chứng nhận doanh nghiệp khoa học và công nghệ"),
    ("trademark", "Tôi muốn đăng ký bảo hộ nhãn hiệu"),
    ("conformity", "Thủ tục cấp giấy chứng nhận hoạt động đánh giá sự phù hợp"),
    ("code_unit", "Mã đơn vị là giê không sáu"),
    ("date_submitted", "Tôi nộp hồ sơ ngày mười chín tháng mười hai"),
    ("result_when", "Khi nào tôi được nhận kết quả"),
    ("docs_certified_copy", "Tôi có phải nộp bản sao có chứng thực không"),
    ("goodbye", "Xin cảm ơn, tôi không cần hỏi thêm nữa"),
    ("fee_where", "Cho cháu hỏi nộp lệ phí ở đâu"),
    ("fee_transfer", "Có thể thanh toán bằng chuyển khoản được không"),
    ("reissue", "Tôi bị mất giấy chứng nhận, xin cấp lại thế nào"),
    ("returned_file", "Hồ sơ bị trả lại thì tôi phải làm gì"),
    ("handover_staff", "Cho tôi nói chuyện với nhân viên"),
    ("amend_barcode", "Sửa đổi thông tin trên giấy chứng nhận mã số mã vạch"),
    ("renew_barcode", "Gia hạn giấy chứng nhận mã số mã vạch mất bao lâu"),
    ("code_sequence", "Số hồ sơ của tôi là hai bốn một hai một chín gạch không không không một"),
    ("fee_license", "Lệ phí cấp giấy phép là hai triệu đồng đúng không"),
    ("docs_general", "Tôi cần những giấy tờ gì để đăng ký"),
    ("opening_time", "Văn phòng một cửa mở cửa lúc mấy giờ"),
)

# Domain key words a caller would pass as hotwords (short on purpose: see decoding.py).
DOMAIN_TERMS: tuple[str, ...] = (
    "mã số mã vạch",
    "hồ sơ",
    "lệ phí",
    "giấy chứng nhận",
    "chuyển giao công nghệ",
    "một cửa",
)


@dataclass(frozen=True)
class Clip:
    """One synthesized utterance on disk."""

    key: str
    text: str
    path: Path


def speak_to_wav(text: str, path: Path, *, voice: str = "vi", rate: int = 160) -> Path:
    """Have espeak-ng read ``text`` into a WAV file (text on stdin: no argument parsing)."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), "--stdin"],
        input=text.encode("utf-8"),
        check=True,
        capture_output=True,
        timeout=30,
    )
    return path


def synthesize_corpus(out_dir: Path, *, rate: int = 160) -> list[Clip]:
    """Write every utterance as ``<key>.wav`` in ``out_dir`` (reusing files already there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clips = []
    for key, text in UTTERANCES:
        path = out_dir / f"{key}.wav"
        if not path.exists() or path.stat().st_size == 0:
            speak_to_wav(text, path, rate=rate)
        clips.append(Clip(key, text, path))
    return clips
