"""One host, one API: the Ingress sends every path a service serves to that service, and a reply's
path to reply although routing owns the shorter /v1/conversations."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute

from services.cli import SPECS
from tests.integration.deploy.chart import Manifest, component, of_kind

Render = Callable[[str], list[Manifest]]

# Who owns which path (ARCHITECTURE.md and the issue); routes that do not exist yet are included.
OWNERS = {
    "/v1/messages": "ingest",
    "/v1/webhooks": "ingest",
    "/v1/chat": "ingest",
    "/v1/channel-accounts": "ingest",
    "/v1/monitoring-rules": "ingest",
    "/v1/classify": "classify",
    "/v1/classifications": "classify",
    "/v1/classification-rules": "classify",
    "/v1/taxonomy-topics": "classify",
    "/v1/private-data-patterns": "classify",
    "/v1/agents": "routing",
    "/v1/conversations": "routing",
    "/v1/api-keys": "routing",
    "/v1/queues": "routing",
    "/v1/routing-policy": "routing",
    "/v1/sla-policy": "routing",
    "/v1/vip-customers": "routing",
    "/v1/customers": "routing",
    "/v1/calendars": "routing",
    "/v1/conversations/[^/]+/(replies|reply-suggestions)": "reply",
    "/v1/reply-templates": "reply",
    "/v1/reply-policy": "reply",
    "/v1/reply-approvals": "reply",
    "/v1/reply-coaching": "reply",
    "/v1/delivery-accounts": "reply",
    "/v1/quality-reviews": "reply",
    "/v1/webhook-subscriptions": "reply",
    "/v1/webhook-dead-letters": "reply",
    "/v1/reports": "reporting",
    "/v1/public": "reporting",
    "/v1/surveys": "reporting",
}


def _paths(ingress: Manifest) -> list[tuple[str, str, str]]:
    """(path, pathType, backend Service) in the Ingress's order."""
    return [
        (path["path"], path["pathType"], path["backend"]["service"]["name"])
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]


def _route(ingress: Manifest, request_path: str) -> str | None:
    """The Service ingress-nginx picks with use-regex: paths become `^path` regexes tried longest first."""
    candidates = sorted(_paths(ingress), key=lambda item: len(item[0]), reverse=True)
    for path, _, service in candidates:
        if re.match("^" + path, request_path):
            return service
    return None


@pytest.fixture
def ingress(rendered: Render) -> Manifest:
    """The production value set's Ingress."""
    (ingress,) = of_kind(rendered("production"), "Ingress")
    return ingress


def test_each_owned_path_goes_to_its_owner_on_one_host(ingress: Manifest, rendered: Render) -> None:
    services = {s["metadata"]["name"]: component(s) for s in of_kind(rendered("production"), "Service")}
    assert len(ingress["spec"]["rules"]) == 1
    assert ingress["spec"]["rules"][0]["host"] == "webcare.acme.example"
    assert ingress["spec"]["tls"] == [{"hosts": ["webcare.acme.example"], "secretName": "webcare-tls"}]
    table = {path: services[backend] for path, _, backend in _paths(ingress)}
    assert table == OWNERS
    assert all(
        port_name == "http"
        for port_name in (
            p["backend"]["service"]["port"]["name"]
            for r in ingress["spec"]["rules"]
            for p in r["http"]["paths"]
        )
    )


def test_the_replies_path_is_a_regular_expression_listed_first(ingress: Manifest) -> None:
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/use-regex"] == "true"
    first_path, first_type, _ = _paths(ingress)[0]
    assert (first_path, first_type) == (
        "/v1/conversations/[^/]+/(replies|reply-suggestions)",
        "ImplementationSpecific",
    )
    assert all(kind == "Prefix" for _, kind, _ in _paths(ingress)[1:])


@pytest.mark.parametrize(
    ("request_path", "owner"),
    [
        ("/v1/conversations/0192f3/replies", "reply"),
        ("/v1/conversations/0192f3/replies/0193/approve", "reply"),
        ("/v1/conversations/0192f3/reply-suggestions", "reply"),
        ("/v1/delivery-accounts/acct-1", "reply"),
        ("/v1/conversations/0192f3/resolve", "routing"),
        ("/v1/conversations", "routing"),
        ("/v1/messages", "ingest"),
        ("/v1/reports/summary", "reporting"),
    ],
)
def test_requests_reach_the_service_that_answers_them(
    ingress: Manifest, request_path: str, owner: str
) -> None:
    assert _route(ingress, request_path) == f"wc-webcare-{owner}"


@pytest.mark.parametrize("service", list(SPECS))
def test_every_route_a_service_serves_is_routed_to_it(ingress: Manifest, service: str) -> None:
    routes = [r.path for r in SPECS[service]().router().routes if isinstance(r, APIRoute)]
    assert routes
    for path in routes:
        concrete = re.sub(r"\{[^}]+\}", "0192f3a1", path)
        assert _route(ingress, concrete) == f"wc-webcare-{service}", path
