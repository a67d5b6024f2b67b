"""The gateway's own words to citizens, for when the assistant itself cannot answer."""

from __future__ import annotations

APOLOGY = (
    "Xin lỗi, hệ thống đang bận nên tôi chưa trả lời được ngay. "
    "Bạn vui lòng gửi lại câu hỏi sau ít phút nhé."
)
UNSUPPORTED_KIND = (
    "Xin lỗi, tôi hiện đọc được tin nhắn chữ và tin nhắn thoại. "
    "Bạn vui lòng gõ câu hỏi giúp tôi nhé."
)
FILE_TOO_LARGE = (
    "Tệp bạn gửi lớn hơn {limit_mb} MB nên tôi chưa nhận được. Bạn vui lòng gửi tệp nhỏ hơn "
    "hoặc nộp trực tiếp tại Bộ phận Một cửa, 113 Trần Duy Hưng, Hà Nội."
)
FILE_FAILED = "Xin lỗi, tôi chưa tải được tệp bạn gửi. Bạn vui lòng gửi lại sau ít phút."
ATTACHMENT_RECEIVED = "Tôi đã nhận được tệp bạn gửi."
VOICE_NOT_UNDERSTOOD = (
    "Tôi đã nhận được tin nhắn thoại nhưng chưa nghe rõ nội dung. "
    "Bạn vui lòng gõ câu hỏi giúp tôi nhé."
)
BUTTON_EXPIRED = "Lựa chọn này đã hết hạn. Bạn vui lòng hỏi lại giúp tôi nhé."
