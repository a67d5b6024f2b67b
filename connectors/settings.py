"""The one place where the assistant's processes read their environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from connectors.console.hours import WorkingHours, parse_holidays, parse_hours, parse_weekdays


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError as err:
        raise ValueError(f"{name} must be a number, got {raw!r}") from err


def _int_env(name: str, default: int) -> int:
    value = _float_env(name, float(default))
    if value != int(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def _str_env(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return raw.strip() if raw and raw.strip() else default


def _bool_env(name: str, default: bool) -> bool:
    """1/true/yes is on; anything else set is off; unset or blank is the default."""
    raw = _str_env(name)
    return default if raw is None else raw in ("1", "true", "yes")


@dataclass(frozen=True)
class TelegramSettings:
    """Telegram Bot API. Secrets use repr=False so a printed Settings never shows them."""

    bot_token: str | None = field(default=None, repr=False)
    # With a secret the gateway serves the webhook; with only the token it polls (local dev).
    webhook_secret: str | None = field(default=None, repr=False)
    # When set, the gateway registers this public URL with setWebhook at startup.
    webhook_url: str | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    # Retries of one request after a 429 inside PTB's rate limiter; the sender keeps retrying
    # after that too, so a reply is delayed, never dropped.
    rate_limit_retries: int = 5

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token)

    @property
    def polling(self) -> bool:
        return bool(self.bot_token) and not self.webhook_secret


@dataclass(frozen=True)
class ZaloSettings:
    """Zalo Official Account Open API v3."""

    app_id: str | None = None
    # Signs webhooks (X-ZEvent-Signature); not the same secret as the app secret.
    oa_secret_key: str | None = field(default=None, repr=False)
    # Sent as the `secret_key` header of the OAuth refresh call.
    app_secret: str | None = field(default=None, repr=False)
    # Seeds only: once Redis holds a pair, the persisted pair wins (a refresh token works once).
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    api_base_url: str = "https://openapi.zalo.me"
    oauth_url: str = "https://oauth.zaloapp.com/v4/oa/access_token"
    signature_max_age_s: float = 300.0
    reply_window_s: float = 48 * 3600.0
    reply_window_max: int = 8
    timeout_s: float = 5.0

    @property
    def enabled(self) -> bool:
        return bool(self.app_id and self.oa_secret_key)


@dataclass(frozen=True)
class GatewaySettings:
    """The channel gateway: where it finds Rasa and how much work it accepts."""

    rasa_url: str = "http://localhost:5005"
    # Several Rasa servers sharing Redis (RASA_URLS, comma-separated); rasa_url when empty.
    rasa_urls: tuple[str, ...] = ()
    rasa_connect_timeout_s: float = 2.0
    # A turn takes ~0.3 s; past this the citizen gets an apology instead of silence.
    rasa_read_timeout_s: float = 10.0
    max_body_bytes: int = 256 * 1024
    max_attachment_bytes: int = 10 * 1024 * 1024
    media_dir: str = "var/media"
    # Messages of one user waiting behind the one in progress; beyond it the webhook answers
    # 503 so the platform redelivers later instead of the gateway growing without bound.
    user_queue_size: int = 20
    max_pending: int = 5000
    max_concurrent_users: int = 64
    # Zalo redelivers for about two hours; a day covers every retry.
    dedup_ttl_s: float = 24 * 3600.0

    @property
    def rasa_servers(self) -> tuple[str, ...]:
        return self.rasa_urls or (self.rasa_url,)


@dataclass(frozen=True)
class ConsoleSettings:
    """The call-centre console: staff accounts, sessions and the core API's staff access."""

    db_path: str = "var/console.sqlite3"
    # Secure cookies need TLS; set CONSOLE_SECURE_COOKIES=1 behind the HTTPS proxy.
    secure_cookies: bool = False
    session_ttl_s: float = 8 * 3600.0
    max_failed_logins: int = 10
    lockout_s: float = 15 * 60.0
    # Failed sign-ins from one IP address (any account) within the window before it must wait.
    max_failed_logins_per_ip: int = 30
    ip_window_s: float = 15 * 60.0
    case_api_staff_token: str | None = field(default=None, repr=False)
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    # Tests only: a fixed "now" for the working-hours calendar (CONSOLE_NOW, ISO with offset).
    fixed_now: datetime | None = None


@dataclass(frozen=True)
class VoiceSettings:
    """The voice service (python -m voice) as the gateway reaches it; empty URL: voice off."""

    # `make run` and the stack start the service on 8300 and pass VOICE_URL to the gateway;
    # without it voice notes still reach the assistant, as attachments only.
    url: str | None = None
    connect_timeout_s: float = 1.0
    # Whisper base takes ~1.5 s per utterance on 2 cores and a burst queues behind it; past
    # this the citizen hears an apology rather than waiting on.
    read_timeout_s: float = 20.0
    # Zalo voice messages live on Zalo's CDN: fetched with these bounds (the voice service
    # itself refuses more than 10 MB).
    download_max_bytes: int = 10 * 1024 * 1024
    download_timeout_s: float = 10.0
    # Production refuses CDN URLs that resolve to private addresses; tests serve the audio
    # from the local fake Zalo server and turn this on.
    allow_private_downloads: bool = False

    @property
    def enabled(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class KioskSettings:
    """The reception kiosk page (/kiosk): how long a visitor may be silent, how much they say."""

    # After this long without a touch or a word the screen and conversation are cleared.
    idle_timeout_s: float = 90.0
    # Elderly visitors: answers are read at the slower rate.
    slow_speech: bool = True
    # One utterance: MediaRecorder's Opus is ~4 KB/s, so these allow 16 kHz WAV as well.
    max_audio_bytes: int = 1024 * 1024
    max_audio_seconds: float = 20.0
    max_text_chars: int = 500


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field has a default that works on a developer machine."""

    case_api_url: str = "http://localhost:8000"
    # The whole call budget stays under 3 s so a citizen never waits longer for an apology.
    case_api_connect_timeout_s: float = 1.0
    case_api_read_timeout_s: float = 2.0
    catalogue_ttl_s: float = 600.0
    redis_url: str | None = None
    # Rasa's internal HTTP API, used by the outbox worker to tell a conversation its file is in.
    rasa_url: str = "http://localhost:5005"
    # Several Rasa servers sharing Redis (RASA_URLS, comma-separated); rasa_url when empty.
    rasa_urls: tuple[str, ...] = ()
    rasa_auth_token: str | None = None
    max_attachment_bytes: int = 10 * 1024 * 1024
    # Outbox worker: a claimed job is retried after the lease if its worker died mid-attempt.
    outbox_lease_s: float = 60.0
    outbox_base_delay_s: float = 2.0
    outbox_max_delay_s: float = 300.0
    outbox_max_attempts: int = 20
    gateway: GatewaySettings = field(default_factory=GatewaySettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    zalo: ZaloSettings = field(default_factory=ZaloSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            case_api_url=os.environ.get("CASE_API_URL", cls.case_api_url).rstrip("/"),
            case_api_connect_timeout_s=_float_env(
                "CASE_API_CONNECT_TIMEOUT", cls.case_api_connect_timeout_s
            ),
            case_api_read_timeout_s=_float_env(
                "CASE_API_READ_TIMEOUT", cls.case_api_read_timeout_s
            ),
            catalogue_ttl_s=_float_env("CATALOGUE_TTL", cls.catalogue_ttl_s),
            redis_url=os.environ.get("REDIS_URL") or None,
            rasa_url=os.environ.get("RASA_URL", cls.rasa_url).rstrip("/"),
            rasa_auth_token=os.environ.get("RASA_AUTH_TOKEN") or None,
            outbox_lease_s=_float_env("OUTBOX_LEASE_S", cls.outbox_lease_s),
            outbox_base_delay_s=_float_env("OUTBOX_BASE_DELAY_S", cls.outbox_base_delay_s),
            outbox_max_delay_s=_float_env("OUTBOX_MAX_DELAY_S", cls.outbox_max_delay_s),
            outbox_max_attempts=_int_env("OUTBOX_MAX_ATTEMPTS", cls.outbox_max_attempts),
            gateway=_gateway_from_env(),
            telegram=_telegram_from_env(),
            zalo=_zalo_from_env(),
            console=_console_from_env(),
            voice=_voice_from_env(),
            kiosk=_kiosk_from_env(),
        )

    def secrets(self) -> list[str]:
        """Every secret value in use, for the log filter that masks them."""
        values = [
            self.telegram.bot_token,
            self.telegram.webhook_secret,
            self.zalo.oa_secret_key,
            self.zalo.app_secret,
            self.zalo.access_token,
            self.zalo.refresh_token,
            self.rasa_auth_token,
            self.console.case_api_staff_token,
        ]
        return [value for value in values if value]


def _gateway_from_env() -> GatewaySettings:
    d = GatewaySettings()
    return GatewaySettings(
        rasa_url=(_str_env("RASA_URL") or d.rasa_url).rstrip("/"),
        rasa_urls=tuple(
            url.strip().rstrip("/")
            for url in (_str_env("RASA_URLS") or "").split(",")
            if url.strip()
        ),
        rasa_connect_timeout_s=_float_env("RASA_CONNECT_TIMEOUT", d.rasa_connect_timeout_s),
        rasa_read_timeout_s=_float_env("RASA_READ_TIMEOUT", d.rasa_read_timeout_s),
        max_body_bytes=_int_env("GATEWAY_MAX_BODY_BYTES", d.max_body_bytes),
        max_attachment_bytes=_int_env("GATEWAY_MAX_ATTACHMENT_BYTES", d.max_attachment_bytes),
        media_dir=_str_env("GATEWAY_MEDIA_DIR") or d.media_dir,
        user_queue_size=_int_env("GATEWAY_USER_QUEUE_SIZE", d.user_queue_size),
        max_pending=_int_env("GATEWAY_MAX_PENDING", d.max_pending),
        max_concurrent_users=_int_env("GATEWAY_MAX_CONCURRENT_USERS", d.max_concurrent_users),
        dedup_ttl_s=_float_env("GATEWAY_DEDUP_TTL", d.dedup_ttl_s),
    )


def _telegram_from_env() -> TelegramSettings:
    d = TelegramSettings()
    return TelegramSettings(
        bot_token=_str_env("TELEGRAM_BOT_TOKEN"),
        webhook_secret=_str_env("TELEGRAM_WEBHOOK_SECRET"),
        webhook_url=_str_env("TELEGRAM_WEBHOOK_URL"),
        api_base_url=_str_env("TELEGRAM_API_BASE_URL") or d.api_base_url,
        file_base_url=_str_env("TELEGRAM_FILE_BASE_URL") or d.file_base_url,
        rate_limit_retries=_int_env("TELEGRAM_RATE_LIMIT_RETRIES", d.rate_limit_retries),
    )


def _zalo_from_env() -> ZaloSettings:
    d = ZaloSettings()
    return ZaloSettings(
        app_id=_str_env("ZALO_APP_ID"),
        oa_secret_key=_str_env("ZALO_OA_SECRET_KEY"),
        app_secret=_str_env("ZALO_APP_SECRET"),
        access_token=_str_env("ZALO_ACCESS_TOKEN"),
        refresh_token=_str_env("ZALO_REFRESH_TOKEN"),
        api_base_url=(_str_env("ZALO_API_BASE_URL") or d.api_base_url).rstrip("/"),
        oauth_url=_str_env("ZALO_OAUTH_URL") or d.oauth_url,
        signature_max_age_s=_float_env("ZALO_SIGNATURE_MAX_AGE", d.signature_max_age_s),
        reply_window_s=_float_env("ZALO_REPLY_WINDOW", d.reply_window_s),
        reply_window_max=_int_env("ZALO_REPLY_WINDOW_MAX", d.reply_window_max),
        timeout_s=_float_env("ZALO_TIMEOUT", d.timeout_s),
    )


def _voice_from_env() -> VoiceSettings:
    d = VoiceSettings()
    url = _str_env("VOICE_URL")
    return VoiceSettings(
        url=url.rstrip("/") if url else None,
        connect_timeout_s=_float_env("VOICE_CONNECT_TIMEOUT", d.connect_timeout_s),
        read_timeout_s=_float_env("VOICE_READ_TIMEOUT", d.read_timeout_s),
        download_max_bytes=_int_env("VOICE_DOWNLOAD_MAX_BYTES", d.download_max_bytes),
        download_timeout_s=_float_env("VOICE_DOWNLOAD_TIMEOUT", d.download_timeout_s),
        allow_private_downloads=_bool_env("VOICE_ALLOW_PRIVATE_DOWNLOADS", False),
    )


def _console_from_env() -> ConsoleSettings:
    d = ConsoleSettings()
    return ConsoleSettings(
        db_path=_str_env("CONSOLE_DB") or d.db_path,
        secure_cookies=_bool_env("CONSOLE_SECURE_COOKIES", False),
        session_ttl_s=_float_env("CONSOLE_SESSION_TTL", d.session_ttl_s),
        max_failed_logins=_int_env("CONSOLE_MAX_FAILED_LOGINS", d.max_failed_logins),
        lockout_s=_float_env("CONSOLE_LOCKOUT_S", d.lockout_s),
        max_failed_logins_per_ip=_int_env(
            "CONSOLE_MAX_FAILED_LOGINS_PER_IP", d.max_failed_logins_per_ip
        ),
        ip_window_s=_float_env("CONSOLE_IP_WINDOW_S", d.ip_window_s),
        case_api_staff_token=_str_env("CASE_API_STAFF_TOKEN"),
        working_hours=_working_hours_from_env(),
        fixed_now=_fixed_now_from_env(),
    )


def _kiosk_from_env() -> KioskSettings:
    d = KioskSettings()
    return KioskSettings(
        idle_timeout_s=_float_env("KIOSK_IDLE_TIMEOUT", d.idle_timeout_s),
        slow_speech=_bool_env("KIOSK_SLOW_SPEECH", True),
        max_audio_bytes=_int_env("KIOSK_MAX_AUDIO_BYTES", d.max_audio_bytes),
        max_audio_seconds=_float_env("KIOSK_MAX_AUDIO_SECONDS", d.max_audio_seconds),
        max_text_chars=_int_env("KIOSK_MAX_TEXT_CHARS", d.max_text_chars),
    )


def _working_hours_from_env() -> WorkingHours:
    """CONSOLE_HOURS=07:30-17:00, CONSOLE_WORKDAYS=1-5 (ISO, Monday = 1), CONSOLE_TZ, and the
    holidays: CONSOLE_HOLIDAYS (comma-separated ISO dates) or CONSOLE_HOLIDAYS_FILE (one a
    line), replacing the built-in 2026-2027 list."""
    d = WorkingHours()
    opens, closes = parse_hours(_str_env("CONSOLE_HOURS") or "07:30-17:00")
    holidays = d.holidays
    holiday_file = _str_env("CONSOLE_HOLIDAYS_FILE")
    if holiday_file:
        holidays = parse_holidays(Path(holiday_file).read_text(encoding="utf-8").splitlines())
    elif _str_env("CONSOLE_HOLIDAYS") is not None:
        holidays = parse_holidays([_str_env("CONSOLE_HOLIDAYS") or ""])
    return WorkingHours(
        opens=opens,
        closes=closes,
        weekdays=parse_weekdays(_str_env("CONSOLE_WORKDAYS") or "1-5"),
        holidays=holidays,
        zone=_str_env("CONSOLE_TZ") or d.zone,
    )


def _fixed_now_from_env() -> datetime | None:
    raw = _str_env("CONSOLE_NOW")
    if raw is None:
        return None
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError(f"CONSOLE_NOW needs a UTC offset, got {raw!r}")
    return moment
