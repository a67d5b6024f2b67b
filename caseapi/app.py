"""The Starlette application: routes of the core case-management API contract."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from caseapi import deadlines, demo, stages, tracking
from caseapi.catalogue import Catalogue, load_file, summary
from caseapi.config import Settings
from caseapi.ratelimit import FailureLimiter
from caseapi.status import status_view
from caseapi.storage import IdempotencyConflict, NotFound, Storage, TransitionNotAllowed
from caseapi.validation import (
    IDEMPOTENCY_KEY_RE,
    STAFF_ID_RE,
    clean_text,
    validate_application,
)
from caseapi.web import (
    AccessLogMiddleware,
    ApiError,
    api_error_handler,
    http_error_handler,
    read_json,
    server_error_handler,
)

log = logging.getLogger("caseapi")
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
PHONE_LAST4_RE = re.compile(r"^\d{4}$")
SUFFIX_RE = re.compile(r"^[0-9A-Z.\-]{4,40}$")
NO_STORE = {"Cache-Control": "no-store"}
T = TypeVar("T")


def request_hash(body: Any) -> str:
    """Fingerprint of a JSON body, independent of key order and whitespace."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Api:
    """Route handlers sharing the storage, the catalogue and the clock."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.clock = clock
        self.limiter = FailureLimiter(max_failures=settings.max_phone_failures)
        self._storage: Storage | None = None
        self._catalogue: Catalogue | None = None
        self._openapi = b""

    # -- lifecycle ----------------------------------------------------------

    @property
    def storage(self) -> Storage:
        assert self._storage is not None, "storage is opened in the lifespan"
        return self._storage

    @property
    def catalogue(self) -> Catalogue:
        assert self._catalogue is not None, "catalogue is loaded in the lifespan"
        return self._catalogue

    def startup(self) -> None:
        """Open the database, refresh the catalogue copy, seed demo files once."""
        self._openapi = OPENAPI_FILE.read_bytes()
        records, digest = load_file()
        storage = Storage(self.settings.db_path)
        if storage.get_meta("catalogue_sha256") != digest:
            storage.replace_catalogue(records, digest)
        self._catalogue = Catalogue(storage.load_catalogue())
        if self.settings.seed_demo and storage.get_meta("demo_seeded") is None:
            if storage.count_applications() == 0:
                n = demo.seed(storage, self._catalogue.get, self.now())
                log.info("seeded %d demo applications", n)
            storage.set_meta("demo_seeded", self.now().isoformat(timespec="seconds"))
        self._storage = storage
        log.info(
            "ready: %d procedures, %d applications, unit %s, staff access %s",
            len(self._catalogue.procedures),
            storage.count_applications(),
            self.settings.unit_code,
            "on" if self.settings.staff_token else "off",
        )

    def shutdown(self) -> None:
        if self._storage is not None:
            self._storage.close()
            self._storage = None

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(self.startup)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(self.shutdown)

    # -- helpers ------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock().astimezone(deadlines.VN_TZ)

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking storage call in a worker thread."""
        return await anyio.to_thread.run_sync(functools.partial(fn, *args))

    def require_staff(self, request: Request) -> None:
        """Raise unless the request carries the configured bearer token."""
        token = self.settings.staff_token
        if not token:
            raise ApiError(
                503, "staff_access_not_configured", message="staff access not configured"
            )
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), token.encode("utf-8")
        ):
            raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})

    # -- public endpoints ---------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def openapi(self, request: Request) -> Response:
        return Response(self._openapi, media_type="application/yaml; charset=utf-8")

    async def list_procedures(self, request: Request) -> Response:
        q = request.query_params.get("q") or None
        field_name = request.query_params.get("field") or None
        raw_limit = request.query_params.get("limit") or ""
        limit: int | None = None
        if raw_limit:
            if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 500:
                raise ApiError(
                    422, "validation_error", fields={"limit": "Phải là số nguyên từ 1 đến 500."}
                )
            limit = int(raw_limit)
        if q is not None and len(q) > 500:
            raise ApiError(422, "validation_error", fields={"q": "Tối đa 500 ký tự."})
        found = self.catalogue.find(q, field_name)
        shown = found if limit is None else found[:limit]
        return JSONResponse({"items": [summary(p, s) for p, s in shown], "total": len(found)})

    async def get_procedure(self, request: Request) -> Response:
        procedure = self.catalogue.get(request.path_params["code"])
        if procedure is None:
            raise ApiError(404, "procedure_not_found")
        return JSONResponse(procedure)

    async def create_application(self, request: Request) -> Response:
        body = await read_json(request)
        key = request.headers.get("idempotency-key")
        if key is not None and not IDEMPOTENCY_KEY_RE.match(key):
            raise ApiError(
                422,
                "validation_error",
                fields={"Idempotency-Key": "1 đến 200 ký tự ASCII in được, không có khoảng trắng."},
            )
        code = body.get("procedure_code") if isinstance(body, dict) else None
        procedure = self.catalogue.get(code) if isinstance(code, str) else None
        if procedure is not None and "online" not in procedure["submission_modes"]:
            raise ApiError(
                422,
                "online_filing_not_allowed",
                procedure_code=procedure["code"],
                submission_modes=procedure["submission_modes"],
                message="Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp trực tiếp "
                "hoặc qua dịch vụ bưu chính.",
            )
        app_in, errors = validate_application(body)
        if procedure is None and isinstance(body, dict) and "procedure_code" not in errors:
            errors["procedure_code"] = "Không có thủ tục nào mang mã này."
        if app_in is None or procedure is None:
            raise ApiError(422, "validation_error", fields=errors)
        now = self.now()
        pt = procedure["processing_time"]
        deadline = deadlines.compute_deadline(now.date(), pt["days"], pt["day_kind"])
        try:
            created = await self.db(
                self.storage.create_application,
                app_in,
                procedure,
                self.settings.unit_code,
                now,
                deadline,
                key,
                request_hash(body),
            )
        except IdempotencyConflict:
            raise ApiError(
                409,
                "idempotency_key_reused",
                message="This Idempotency-Key was used with a different body.",
            ) from None
        except tracking.SequenceExhausted:
            raise ApiError(503, "daily_sequence_exhausted") from None
        headers = {"Location": f"/applications/{created.body['tracking_code']}"}
        if created.replayed:
            headers["Idempotent-Replayed"] = "true"
        else:
            log.info(
                "application created %s procedure=%s",
                created.body["tracking_code"],
                procedure["code"],
            )
        return JSONResponse(created.body, status_code=201, headers=headers)

    async def get_application(self, request: Request) -> Response:
        code = tracking.normalize_tracking_code(request.path_params["tracking_code"])
        if "authorization" in request.headers:
            return await self._staff_read(request, code)
        found = await self.db(self.storage.get_application, code)
        if found is None:
            raise ApiError(404, "application_not_found")
        row, history = found
        digits = request.query_params.get("phone_last4", "").strip()
        if not digits:
            # A probe without digits guesses nothing, so it is not counted.
            raise ApiError(403, "phone_mismatch")
        if self.limiter.blocked(code):
            raise ApiError(
                429,
                "too_many_attempts",
                headers={"Retry-After": str(self.limiter.retry_after(code))},
            )
        if not PHONE_LAST4_RE.match(digits) or not hmac.compare_digest(digits, row["phone_last4"]):
            self.limiter.record_failure(code)
            raise ApiError(403, "phone_mismatch")
        return JSONResponse(status_view(row, history, self.now()), headers=NO_STORE)

    async def _staff_read(self, request: Request, code: str) -> Response:
        self.require_staff(request)
        staff_id = request.headers.get("x-staff-id", "").strip()
        if not STAFF_ID_RE.match(staff_id):
            raise ApiError(
                400,
                "staff_id_required",
                message="Send X-Staff-Id (letters, digits, . _ @ -, up to 64).",
            )
        await self.db(self.storage.add_audit, staff_id, "read_status", code, self.now())
        found = await self.db(self.storage.get_application, code)
        if found is None:
            raise ApiError(404, "application_not_found")
        return JSONResponse(status_view(found[0], found[1], self.now()), headers=NO_STORE)

    async def find_applications(self, request: Request) -> Response:
        digits = request.query_params.get("phone_last4", "").strip()
        suffix = tracking.normalize_tracking_code(request.query_params.get("suffix", ""))
        errors = {}
        if not PHONE_LAST4_RE.match(digits):
            errors["phone_last4"] = "Cần đúng 4 chữ số cuối của số điện thoại."
        if not SUFFIX_RE.match(suffix):
            errors["suffix"] = "Cần ít nhất 4 ký tự cuối của mã hồ sơ (ví dụ 241219-0001)."
        if errors:
            raise ApiError(422, "validation_error", fields=errors)
        rows = await self.db(self.storage.find_by_suffix, suffix, digits)
        items = [
            {
                "tracking_code": r["tracking_code"],
                "procedure_name": r["procedure_name"],
                "stage_label": stages.STAGE_LABELS[r["stage"]],
            }
            for r in rows
        ]
        return JSONResponse(items, headers=NO_STORE)

    # -- staff endpoints ----------------------------------------------------

    async def transition(self, request: Request) -> Response:
        self.require_staff(request)
        code = tracking.normalize_tracking_code(request.path_params["tracking_code"])
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiError(422, "validation_error", fields={"body": "Cần một đối tượng JSON."})
        errors = {}
        target = body.get("to")
        if not stages.is_stage(target):
            errors["to"] = "Giai đoạn phải là một trong: " + ", ".join(stages.STAGE_LABELS)
        actor = clean_text(body.get("actor"), 64)
        if actor is None:
            errors["actor"] = "Cần mã cán bộ thực hiện (tối đa 64 ký tự)."
        note = None
        if body.get("note") not in (None, ""):
            note = clean_text(body.get("note"), 2000, multiline=True)
            if note is None:
                errors["note"] = "Ghi chú tối đa 2000 ký tự, không chứa ký tự điều khiển."
        if errors or actor is None:
            raise ApiError(422, "validation_error", fields=errors)
        assert isinstance(target, str)
        try:
            await self.db(self.storage.transition, code, target, note, actor, self.now())
        except NotFound:
            raise ApiError(404, "application_not_found") from None
        except TransitionNotAllowed as exc:
            extra: dict[str, Any] = {
                "from": exc.current,
                "to": exc.target,
                "allowed": sorted(stages.TRANSITIONS[exc.current]),
            }
            raise ApiError(409, "transition_not_allowed", **extra) from None
        log.info("transition %s -> %s", code, target)
        found = await self.db(self.storage.get_application, code)
        assert found is not None
        return JSONResponse(status_view(found[0], found[1], self.now()), headers=NO_STORE)

    async def audit(self, request: Request) -> Response:
        self.require_staff(request)
        raw = request.query_params.get("limit") or "100"
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            raise ApiError(
                422, "validation_error", fields={"limit": "Phải là số nguyên từ 1 đến 1000."}
            )
        items, total = await self.db(self.storage.list_audit, int(raw))
        return JSONResponse({"items": items, "total": total}, headers=NO_STORE)


def create_app(settings: Settings, clock: Callable[[], datetime] = deadlines.now_vn) -> Starlette:
    """Build the ASGI app; the database is opened when the lifespan starts."""
    if not tracking.is_valid_unit_code(settings.unit_code):
        raise ValueError(f"CASE_API_UNIT_CODE has the wrong shape: {settings.unit_code!r}")
    api = Api(settings, clock)
    routes = [
        Route("/health", api.health, methods=["GET"]),
        Route("/openapi.yaml", api.openapi, methods=["GET"]),
        Route("/procedures", api.list_procedures, methods=["GET"]),
        Route("/procedures/{code}", api.get_procedure, methods=["GET"]),
        Route("/applications", api.create_application, methods=["POST"]),
        Route("/applications", api.find_applications, methods=["GET"]),
        Route("/applications/{tracking_code}", api.get_application, methods=["GET"]),
        Route("/applications/{tracking_code}/transitions", api.transition, methods=["POST"]),
        Route("/audit", api.audit, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(AccessLogMiddleware)],
        exception_handlers={
            ApiError: api_error_handler,
            HTTPException: http_error_handler,
            Exception: server_error_handler,
        },
        lifespan=api.lifespan,
    )
    app.state.api = api
    return app
