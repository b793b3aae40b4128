"""Channel accounts: registered per tenant, secrets encrypted at rest and never shown."""

from __future__ import annotations

from sqlalchemy import text

from services.ingest import accounts
from services.kit.auth import Role
from tests.unit.conftest import Api


async def test_an_account_shows_its_secret_names_but_never_their_values(api: Api) -> None:
    created = await api.channel_account(
        "facebook", "1040001", name="Telco DE", secrets={"app_secret": "s3cr3t-app", "verify_token": "vt-1"}
    )
    assert created["secret_names"] == ["app_secret", "verify_token"]
    assert "s3cr3t-app" not in str(created)
    shown = await api.call("GET", f"/v1/channel-accounts/{created['id']}")
    listed = await api.call("GET", "/v1/channel-accounts", params={"channel": "facebook"})
    assert shown.status_code == 200 and listed.status_code == 200
    assert "s3cr3t-app" not in shown.text + listed.text
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]


async def test_secrets_are_encrypted_at_rest(api: Api) -> None:
    await api.channel_account("x", "4711", secrets={"consumer_secret": "plain-consumer-secret"})
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        stored = (await session.execute(text("SELECT secrets FROM channel_accounts"))).scalar_one()
    assert "plain-consumer-secret" not in stored
    account = await accounts.find(rt, "x", "4711")
    assert account is not None and account.secret("consumer_secret") == "plain-consumer-secret"


async def test_a_verify_token_finds_its_account(api: Api) -> None:
    created = await api.channel_account("whatsapp", "106540352242922", secrets={"verify_token": "vt-wa"})
    rt = api.app.state.runtimes["ingest"]
    found = await accounts.find_by_verify_token(rt, accounts.VERIFY_TOKEN_CHANNELS, "vt-wa")
    assert found is not None and found.id == created["id"]
    assert await accounts.find_by_verify_token(rt, accounts.VERIFY_TOKEN_CHANNELS, "vt-other") is None


async def test_a_channel_id_belongs_to_one_tenant(api: Api) -> None:
    await api.channel_account("facebook", "1040001")
    api.add_key("other-tenant-admin-key-0123456789", tenant="other", role=Role.admin)
    again = await api.call(
        "POST",
        "/v1/channel-accounts",
        key="other-tenant-admin-key-0123456789",
        json={"channel": "facebook", "external_id": "1040001"},
    )
    assert again.status_code == 409, again.text


async def test_feeds_are_per_tenant_and_other_tenants_cannot_see_an_account(api: Api) -> None:
    mine = await api.channel_account("feed", "https://news.example/rss")
    api.add_key("other-tenant-admin-key-0123456789", tenant="other", role=Role.admin)
    key = "other-tenant-admin-key-0123456789"
    theirs = await api.call(
        "POST",
        "/v1/channel-accounts",
        key=key,
        json={"channel": "feed", "external_id": "https://news.example/rss"},
    )
    assert theirs.status_code == 201, theirs.text
    hidden = await api.call("GET", f"/v1/channel-accounts/{mine['id']}", key=key)
    assert hidden.status_code == 404


async def test_patch_replaces_named_secrets_and_delete_refuses_later_deliveries(api: Api) -> None:
    created = await api.channel_account("x", "4711", secrets={"consumer_secret": "a", "access_token": "t"})
    patched = await api.call(
        "PATCH",
        f"/v1/channel-accounts/{created['id']}",
        json={"secrets": {"consumer_secret": "b", "access_token": ""}},
    )
    assert patched.status_code == 200 and patched.json()["secret_names"] == ["consumer_secret"]
    rt = api.app.state.runtimes["ingest"]
    account = await accounts.find(rt, "x", "4711")
    assert account is not None and account.secret("consumer_secret") == "b"
    assert (await api.call("DELETE", f"/v1/channel-accounts/{created['id']}")).status_code == 204
    assert await accounts.find(rt, "x", "4711") is None


async def test_only_admins_manage_accounts_and_bad_input_is_a_4xx(api: Api) -> None:
    api.add_key("agent-key-0123456789-abcdef", tenant="acme", role=Role.agent)
    denied = await api.call("GET", "/v1/channel-accounts", key="agent-key-0123456789-abcdef")
    assert denied.status_code == 403
    bad = await api.call("POST", "/v1/channel-accounts", json={"channel": "fax", "external_id": "1"})
    assert bad.status_code == 422
    missing = await api.call("GET", "/v1/channel-accounts/nope")
    assert missing.status_code == 404


async def test_a_feed_account_needs_an_http_url_and_a_sane_interval(api: Api) -> None:
    bad_url = await api.call(
        "POST", "/v1/channel-accounts", json={"channel": "feed", "external_id": "ftp://x/rss"}
    )
    assert bad_url.status_code == 422, bad_url.text
    too_often = await api.call(
        "POST",
        "/v1/channel-accounts",
        json={"channel": "feed", "external_id": "https://news.example/rss", "settings": {"poll_seconds": 1}},
    )
    assert too_often.status_code == 422, too_often.text
    created = await api.channel_account("feed", "https://news.example/rss")
    patched = await api.call(
        "PATCH", f"/v1/channel-accounts/{created['id']}", json={"settings": {"poll_seconds": 5}}
    )
    assert patched.status_code == 422, patched.text


async def test_a_mailbox_is_registered_by_its_lower_case_address(api: Api) -> None:
    created = await api.channel_account("email", "Service@Telco.DE")
    assert created["external_id"] == "service@telco.de"
    bad = await api.call(
        "POST", "/v1/channel-accounts", json={"channel": "email", "external_id": "kein-postfach"}
    )
    assert bad.status_code == 422, bad.text
