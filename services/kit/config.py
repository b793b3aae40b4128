"""Settings shared by every service, read from `WEBCARE_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = ("ingest", "classify", "routing", "reply", "reporting")

_PLACEHOLDERS = {"changeme", "change-me", "secret", "admin", "password"}


class KitSettings(BaseSettings):
    """Infrastructure settings; each service extends this class with its own."""

    model_config = SettingsConfigDict(env_prefix="WEBCARE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1_048_576

    bus: Literal["memory", "kafka"] = "memory"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = 3
    # Records a consumer takes per poll and handles in one transaction (when that many wait).
    kafka_max_batch: int = Field(default=2000, ge=1, le=100_000)
    kafka_replication_factor: int = 1
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None  # CA bundle for SSL / SASL_SSL; the system's CAs when unset
    consumer_group_prefix: str = "webcare"  # several environments can share one cluster

    # `{service}` is replaced by the service name: every service owns its own database.
    database_url: str = "sqlite+aiosqlite:///.webcare/{service}.db"
    database_pool_size: int = 20  # connections a process opens at most, and keeps

    tenant: str = "demo"
    admin_api_key: SecretStr | None = None

    handler_attempts: int = 3
    handler_backoff_seconds: float = 0.2
    outbox_relay_seconds: float = 2.0
    # Handled event ids are kept this long: longer than any topic can redeliver an event.
    inbox_retention_days: int = Field(default=14, ge=1)
    retention_interval_seconds: float = Field(default=3600.0, gt=0)

    otlp_endpoint: str | None = None
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> KitSettings:
        key = self.admin_api_key.get_secret_value() if self.admin_api_key else None
        weak = key is not None and (key.lower() in _PLACEHOLDERS or len(key) < 24)
        if self.environment == "production" and weak:
            raise ValueError("WEBCARE_ADMIN_API_KEY must be a random string of 24 or more characters")
        return self

    def database_url_for(self, service: str) -> str:
        """The database URL of one service."""
        return self.database_url.replace("{service}", service)


class SecretKeySettings(KitSettings):
    """Settings of a service that keeps channel-account secrets (ingest, reply)."""

    # Fernet keys (urlsafe base64, 32 bytes) that encrypt channel-account secrets at rest, separated
    # by commas: the first encrypts, all decrypt, so a key can be rotated. Required in production; in
    # development a key is made once and kept in `secrets_key_file`.
    secrets_key: SecretStr | None = None
    secrets_key_file: Path = Path(".webcare/ingest-secrets.key")

    @model_validator(mode="after")
    def _key_in_production(self) -> SecretKeySettings:
        if self.environment == "production" and self.secrets_key is None:
            raise ValueError("WEBCARE_SECRETS_KEY is required in production (Fernet key, see README)")
        return self
