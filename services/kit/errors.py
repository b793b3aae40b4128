"""One error type with an HTTP status and a stable code; one renderer for all of them."""

from __future__ import annotations

from typing import Any, ClassVar


class WebcareError(Exception):
    """Base of every error the platform reports on purpose."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        if code is not None:
            self.code = code  # type: ignore[misc]

    def body(self) -> dict[str, Any]:
        """The JSON error body."""
        return {"error": self.code, "detail": self.detail}


class Malformed(WebcareError):
    status, code = 400, "malformed"


class Unauthenticated(WebcareError):
    status, code = 401, "unauthenticated"


class Forbidden(WebcareError):
    status, code = 403, "forbidden"


class NotFound(WebcareError):
    status, code = 404, "not_found"


class Conflict(WebcareError):
    status, code = 409, "conflict"


class TooLarge(WebcareError):
    status, code = 413, "too_large"


class Unprocessable(WebcareError):
    status, code = 422, "unprocessable"


class Unavailable(WebcareError):
    status, code = 503, "unavailable"


class PermanentEventError(Exception):
    """An event that can never be handled (undecodable, breaks the contract): dead-letter it at once."""
