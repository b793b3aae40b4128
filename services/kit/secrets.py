"""Channel-account secrets, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256): ingest keeps
the secrets that verify deliveries, reply the credentials that send answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from services.kit.config import SecretKeySettings


class SecretBox:
    """Encrypts a channel account's secrets as one token; decrypts with any of the configured keys."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def from_settings(cls, settings: SecretKeySettings) -> SecretBox:
        """The box for the configured keys, or for the development key file (made on first use)."""
        if settings.secrets_key is not None:
            raw = settings.secrets_key.get_secret_value()
            return cls([part.strip().encode() for part in raw.split(",") if part.strip()])
        return cls([_development_key(settings.secrets_key_file)])

    def seal(self, secrets: dict[str, str]) -> str:
        """The encrypted token for a set of named secrets."""
        return self._fernet.encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict[str, str]:
        """The named secrets in a token; ValueError when no configured key opens it."""
        if not token:
            return {}
        try:
            data: dict[str, str] = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise ValueError("channel-account secrets cannot be decrypted with the configured keys") from exc
        return data


def _development_key(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
