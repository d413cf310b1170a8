"""Domain errors raised by services. Views turn them into form errors or problem documents."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str = "", errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class Malformed(DomainError):
    status = 400
    title = "Malformed request"


class ValidationFailed(DomainError):
    """Values that break a rule; errors maps a field name to its messages."""

    status = 422
    title = "Invalid values"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class TooManyAttempts(DomainError):
    """A limit of tries is reached; retry_after: seconds until it lifts (the Retry-After header)."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str = "", errors: dict[str, list[str]] | None = None, retry_after: int | None = None):
        super().__init__(detail, errors)
        self.retry_after = retry_after


class UnsupportedMedia(DomainError):
    status = 415
    title = "Unsupported media type"


class TooLarge(DomainError):
    status = 413
    title = "Content too large"


def collect(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)
