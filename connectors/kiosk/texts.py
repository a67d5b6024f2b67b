"""What the kiosk says to visitors. Many are elderly: polite, short, and they are "bác"."""

from __future__ import annotations

# The payload the chat channels send for a person (intent request_human in bot/domain/core.yml).
HANDOVER_PAYLOAD = "/request_human"

EMPTY_AUDIO = "Cháu chưa nghe thấy tiếng bác. Bác bấm nút, nói rồi bấm lại nút giúp cháu ạ."
TOO_LONG = "Câu bác nói hơi dài ạ. Bác nói ngắn hơn, khoảng {seconds} giây, giúp cháu nhé."
GARBLED = "Cháu chưa nghe rõ ạ. Bác nói lại chậm hơn giúp cháu, hoặc gõ câu hỏi vào ô bên dưới."
NOT_HEARD = "Xin lỗi, cháu chưa nghe rõ. Bác nói lại giúp cháu được không ạ?"
STT_UNAVAILABLE = (
    "Hiện cháu chưa nghe được giọng nói. Bác vui lòng gõ câu hỏi vào ô bên dưới, "
    "hoặc bấm “Gặp cán bộ hướng dẫn” ạ."
)
TTS_UNAVAILABLE = "Hiện cháu chưa đọc to được câu trả lời, bác xem chữ trên màn hình giúp cháu ạ."
BUSY = "Bác chờ cháu một chút, cháu đang trả lời câu trước ạ."
SAY_AGAIN = "Vâng ạ. Bác nói lại câu hỏi giúp cháu nhé."
BAD_MESSAGE = "Cháu chưa hiểu thao tác vừa rồi. Bác thử lại giúp cháu ạ."
TEXT_TOO_LONG = "Câu hỏi dài quá ạ. Bác gõ ngắn hơn ({limit} chữ cái) giúp cháu nhé."
BUTTON_EXPIRED = "Lựa chọn này đã cũ rồi ạ. Bác hỏi lại giúp cháu nhé."
UNSUPPORTED_AUDIO = "Máy chưa thu được tiếng. Bác gõ câu hỏi vào ô bên dưới giúp cháu ạ."
YES, NO = "Đúng rồi", "Không phải"
