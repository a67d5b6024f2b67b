"""`python -m connectors.outbox_worker`: submits queued applications once the core API is back.

Each due job is claimed with a lease, posted with its own Idempotency-Key (so a retry after a
crash returns the application already made), and the citizen is told in their conversation.
A job that keeps failing is handed to staff after Outbox.max_attempts tries.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

import httpx
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from connectors.case_api import CaseApiClient, CaseApiUnavailable, Rejected
from connectors.notifier import Notifier
from connectors.outbox import Outbox, OutboxJob
from connectors.settings import Settings

logger = logging.getLogger("outbox_worker")


async def process_one(outbox: Outbox, client: CaseApiClient, notifier: Notifier) -> bool:
    """Handle one due job; False when none was due."""
    job = await outbox.claim()
    if job is None:
        return False
    try:
        result = await client.submit_application(job.payload, job.id)
    except CaseApiUnavailable as err:
        if not await outbox.retry_later(job, str(err)):
            await announce_handover(notifier, job)
        logger.info("core API still unavailable; attempt %d", job.attempts)
        return True
    except Rejected as err:
        await outbox.hand_to_staff(job, f"refused: {err.status}")
        await announce_handover(notifier, job)
        return True
    # Complete first: a notification failure must not resubmit (the key would dedupe anyway).
    await outbox.complete(job)
    logger.info("queued submission accepted")
    try:
        await notifier.notify(
            job.sender_id,
            "EXTERNAL_submission_accepted",
            {"tracking_code": result.get("tracking_code"), "deadline": result.get("deadline")},
        )
    except (httpx.HTTPError, OSError) as err:
        logger.warning("could not notify the conversation: %s", type(err).__name__)
    return True


async def announce_handover(notifier: Notifier, job: OutboxJob) -> None:
    try:
        await notifier.notify(
            job.sender_id, "EXTERNAL_submission_handed_to_staff", {"procedure": job.procedure_name}
        )
    except (httpx.HTTPError, OSError) as err:
        logger.warning("could not notify the conversation: %s", type(err).__name__)


async def run(settings: Settings, poll_s: float, stop: asyncio.Event) -> None:
    if settings.redis_url is None:
        raise SystemExit("REDIS_URL is required: the outbox lives in Redis")
    redis = Redis.from_url(settings.redis_url, socket_timeout=5.0)
    outbox = Outbox(
        redis,
        lease_s=settings.outbox_lease_s,
        base_delay_s=settings.outbox_base_delay_s,
        max_delay_s=settings.outbox_max_delay_s,
        max_attempts=settings.outbox_max_attempts,
    )
    client = CaseApiClient(settings)
    async with httpx.AsyncClient(base_url=settings.rasa_url, timeout=10.0) as rasa_http:
        notifier = Notifier(rasa_http, redis, settings.rasa_auth_token)
        while not stop.is_set():
            try:
                worked = await process_one(outbox, client, notifier)
            # Redis restarting: wait and go on. redis-py's errors are not the built-in ones
            # (the reliability run's Redis restart killed the worker before this caught them).
            except (OSError, ConnectionError, RedisConnectionError, RedisTimeoutError) as err:
                logger.warning("outbox unavailable: %s", type(err).__name__)
                worked = False
            if not worked:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll_s)
    await client.aclose()
    await redis.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks when idle")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = asyncio.Event()

    async def start() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run(Settings.from_env(), args.poll, stop)

    asyncio.run(start())


if __name__ == "__main__":
    main()
