"""The console's parts, built once per gateway process and shared by its routes and hook."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import redis.asyncio as aioredis

from actions.catalogue import ProcedureCatalogue
from connectors.case_api import CaseApiClient
from connectors.console.accounts import Accounts
from connectors.console.delivery import Delivery
from connectors.console.handover import Handover
from connectors.console.hours import Office
from connectors.console.panel import StaffLookup
from connectors.console.procedures import ProcedureAnswers
from connectors.console.rasa_control import RasaControl
from connectors.console.review import ReviewQueue
from connectors.console.sessions import Sessions
from connectors.console.submissions import HandedSubmissions
from connectors.console.throttle import AddressThrottle
from connectors.console.watch import WatchedAssistant
from connectors.gateway.assistant import Assistant
from connectors.settings import Settings


@dataclass
class Console:
    settings: Settings
    redis: aioredis.Redis
    accounts: Accounts
    sessions: Sessions
    handover: Handover
    delivery: Delivery
    rasa: RasaControl
    lookup: StaffLookup
    case_api: CaseApiClient
    procedures: ProcedureAnswers
    review: ReviewQueue
    submissions: HandedSubmissions
    address_throttle: AddressThrottle

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        rasa_transport: httpx.AsyncBaseTransport | None = None,
        case_api_transport: httpx.AsyncBaseTransport | None = None,
    ) -> Console | None:
        """None without Redis: handover state must be shared by every gateway process."""
        if not settings.redis_url:
            return None
        c = settings.console
        redis = aioredis.from_url(
            settings.redis_url,
            decode_responses=True,
            socket_timeout=5.0,
            socket_connect_timeout=2.0,
        )
        handover = Handover(redis, office=Office(c.working_hours, c.fixed_now))
        rasa = RasaControl(settings.gateway.rasa_url, settings.rasa_auth_token, rasa_transport)
        case_api = CaseApiClient(settings, case_api_transport)
        catalogue = ProcedureCatalogue(case_api, ttl_s=settings.catalogue_ttl_s)
        return cls(
            settings=settings,
            redis=redis,
            accounts=Accounts(c.db_path, c.max_failed_logins, c.lockout_s),
            sessions=Sessions(redis, c.session_ttl_s),
            handover=handover,
            delivery=Delivery(redis),
            rasa=rasa,
            lookup=StaffLookup(settings.case_api_url, c.case_api_staff_token, case_api_transport),
            case_api=case_api,
            procedures=ProcedureAnswers(catalogue, rasa.domain),
            review=ReviewQueue(redis),
            submissions=HandedSubmissions(redis, handover),
            address_throttle=AddressThrottle(redis, c.max_failed_logins_per_ip, c.ip_window_s),
        )

    def watch(self, assistant: Assistant) -> Assistant:
        return WatchedAssistant(assistant, self.handover, self.rasa)

    async def aclose(self) -> None:
        await self.rasa.aclose()
        await self.lookup.aclose()
        await self.case_api.aclose()
        await self.redis.close()  # redis-py 4.6: aclose() came in 5.0
