"""How the kernel runs reply."""

from __future__ import annotations

import httpx

from services.kit.outbound import non_public
from services.kit.runtime import Runtime, ServiceSpec
from services.kit.secrets import SecretBox
from services.reply import dispatch, intake, receipts, webhooks
from services.reply.adapters import DeliveryError, LoopbackAdapter
from services.reply.api import router
from services.reply.channels import senders
from services.reply.channels.base import TIMEOUT_SECONDS
from services.reply.config import reply_settings
from services.reply.consumers import CONSUMERS
from services.reply.delivery import ChannelRouter
from services.reply.models import metadata
from services.reply.transport import channel_transport


async def _public_only(request: httpx.Request) -> None:
    problem = await non_public(request.url)
    if problem is not None:
        raise DeliveryError(f"{problem}: replies go to the internet only", permanent=True)


def http_client(*, allow_private_networks: bool) -> httpx.AsyncClient:
    """The client channel senders share; unless allowed, it refuses non-public addresses, so a
    delivery account cannot make reply call inside the cluster."""
    hooks = {} if allow_private_networks else {"request": [_public_only]}
    return httpx.AsyncClient(
        timeout=TIMEOUT_SECONDS,
        follow_redirects=False,
        transport=channel_transport(httpx.Limits(max_connections=256, max_keepalive_connections=64)),
        event_hooks=hooks,
    )


async def _start(rt: Runtime) -> None:
    settings = reply_settings(rt)
    rt.state["http"] = http = http_client(allow_private_networks=settings.reply_allow_private_networks)
    rt.state["adapter"] = loopback = LoopbackAdapter()
    rt.state["router"] = channel_router = ChannelRouter(
        rt,
        senders(http),
        SecretBox.from_settings(settings),
        fallback=loopback if settings.loopback_without_account() else None,
    )
    await dispatch.start(rt, channel_router)
    intake.start(rt)
    await webhooks.start(rt, http)


async def _stop(rt: Runtime) -> None:
    await dispatch.stop(rt)
    await webhooks.stop(rt)
    http: httpx.AsyncClient | None = rt.state.pop("http", None)
    if http is not None:
        await http.aclose()


def spec() -> ServiceSpec:
    """Reply's routes, tables, consumers, its dispatcher and its webhook sender."""
    return ServiceSpec(
        name="reply",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(_start,),
        on_stop=(_stop,),
        retention=(receipts.prune_early_receipts,),
    )
