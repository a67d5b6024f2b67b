"""What the console and the handover say, to citizens and to staff."""

from __future__ import annotations

# Said by the gateway to the citizen.
QUEUED = (
    "Bạn đang ở vị trí số {position} trong hàng chờ gặp cán bộ. "
    "Cán bộ sẽ trả lời bạn ngay tại đây sớm nhất có thể."
)
CLOSED = (
    "Hiện đã ngoài giờ làm việc. Cán bộ sẽ làm việc lại lúc {when}. "
    "Bạn có thể để lại lời nhắn ngay tại đây, cán bộ sẽ xem đầu tiên khi bắt đầu làm việc."
)
CLOSED_NO_DATE = (
    "Hiện đã ngoài giờ làm việc. Bạn có thể để lại lời nhắn ngay tại đây, "
    "cán bộ sẽ xem đầu tiên khi bắt đầu làm việc."
)
MESSAGE_LEFT = (
    "Đã ghi lại lời nhắn của bạn. Cán bộ sẽ trả lời bạn từ {when}. "
    'Nếu muốn hỏi tiếp trợ lý ảo, bạn gõ "trợ lý ảo".'
)
MESSAGE_LEFT_NO_DATE = (
    "Đã ghi lại lời nhắn của bạn. Cán bộ sẽ trả lời khi bắt đầu làm việc. "
    'Nếu muốn hỏi tiếp trợ lý ảo, bạn gõ "trợ lý ảo".'
)
BACK_TO_ASSISTANT = (
    "Dạ, trợ lý ảo tiếp tục hỗ trợ bạn. Lời nhắn bạn đã để lại vẫn được chuyển tới cán bộ."
)
# What the citizen types to go back to the assistant, as nlu.normalize.match_key folds it
# ("Trợ lý ảo", "tro ly ao", "TRỢ LÝ ẢO!" all give "tro li ao").
BACK_TO_ASSISTANT_KEYS = frozenset({"tro li ao", "gap tro li ao", "hoi tro li ao"})
TAKEN_OVER = "Cán bộ {agent} đang hỗ trợ bạn."
HANDED_BACK = "Trợ lý ảo tiếp tục hỗ trợ bạn."

# Beginnings of the assistant's own answers (bot/domain/core.yml) that the handover watches:
# utter_request_human, and utter_default (not understood).
REQUEST_HUMAN_PREFIX = "Dạ, tôi đã ghi nhận bạn muốn gặp cán bộ"
FALLBACK_PREFIX = "Xin lỗi, tôi chưa hiểu ý bạn"

# Shown to staff.
LOGIN_FAILED = "Sai tên đăng nhập hoặc mật khẩu."
LOGIN_THROTTLED = "Có quá nhiều lần đăng nhập sai từ máy này. Vui lòng thử lại sau ít phút."
LOGIN_LOCKED = "Tài khoản tạm khóa 15 phút vì nhập sai mật khẩu nhiều lần."
CSRF_FAILED = "Phiên làm việc không hợp lệ (thiếu mã CSRF). Vui lòng tải lại trang."
NOT_SIGNED_IN = "Vui lòng đăng nhập."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
HELD_BY_OTHER = "Cuộc trò chuyện đang do cán bộ khác hỗ trợ."
NOT_HELD = "Bạn chưa nhận cuộc trò chuyện này."
RASA_FAILED = "Không tạm dừng/tiếp tục được trợ lý ảo. Vui lòng thử lại."
RASA_DOWN = "Trợ lý ảo không phản hồi. Vui lòng thử lại."
BAD_INTENT = "Ý định đã chọn không có trong danh sách của trợ lý ảo."
NO_MESSAGE = "Không tìm thấy tin nhắn của người dân này."
NO_SUBMISSION = "Không tìm thấy hồ sơ được chuyển cho cán bộ."

# Web chat (said to citizens).
WEBCHAT_NOT_JSON = "Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại."
WEBCHAT_TOO_LONG = "Tin nhắn dài quá {limit} ký tự. Bạn vui lòng chia thành nhiều tin ngắn hơn."
WEBCHAT_EMPTY = "Bạn vui lòng nhập nội dung tin nhắn."
WEBCHAT_BAD_SESSION = "Phiên trò chuyện không hợp lệ. Vui lòng tải lại trang."
WEBCHAT_BAD_BUTTON = "Lựa chọn này đã hết hạn. Bạn vui lòng nhập câu hỏi."
WEBCHAT_SLOW_DOWN = "Bạn gửi hơi nhanh. Vui lòng đợi một chút rồi gửi tiếp."
