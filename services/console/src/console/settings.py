"""The console's settings: the shared ones, read with the `CONSOLE_` prefix first.

Every field below is read from `CONSOLE_<FIELD>` (e.g. `CONSOLE_ROUTING_URL`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import model_validator

from shared.settings import MIN_SECRET_LENGTH, ServiceSettings, UnsafeSettingsError

SERVICE_DIR = Path(__file__).resolve().parents[2]
DEVELOPMENT_SESSION_SECRET = "careloop-console-development-session-secret"  # noqa: S105


class ConsoleSettings(ServiceSettings):
    service_name: ClassVar[str] = "console"
    default_port: ClassVar[int] = 8005

    intake_url: str = "http://127.0.0.1:8001"
    routing_url: str = "http://127.0.0.1:8002"
    surveys_url: str = "http://127.0.0.1:8003"
    notify_url: str = "http://127.0.0.1:8004"
    api_timeout: float = 15.0
    """Seconds a page waits for one call to a service before it says the service is slow."""
    public_url: str = ""
    """Where people open the console (the OpenID Connect redirect); default http://host:port."""
    session_secret: str = DEVELOPMENT_SESSION_SECRET
    """Encrypts the tokens kept with each session; production refuses the development one."""
    session_hours: float = 10.0
    """A session ends this long after sign-in at the latest (sooner when its token expires)."""
    oidc_issuer: str = ""
    """The identity provider (discovery at <issuer>/.well-known/openid-configuration)."""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email"
    oidc_service_token: Literal["access_token", "id_token"] = "access_token"  # noqa: S105
    """Which of the provider's tokens the console sends to the services: the access token
    when the provider issues careloop's JWTs (audience careloop, roles and sites claims),
    the ID token when the client id is `careloop` and the ID token carries those claims."""
    assets_dir: Path = SERVICE_DIR / "node_modules"
    """Where `npm ci` put htmx and its SSE extension (make venv; the image copies them)."""
    live_keepalive: float = 15.0
    """Seconds between comments on an idle live-update stream, so proxies keep it open."""

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    def base_url(self) -> str:
        """The console's own public address, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @model_validator(mode="after")
    def _refuse_unsafe_console(self) -> ConsoleSettings:
        if not self.is_production:
            return self
        if self.session_secret == DEVELOPMENT_SESSION_SECRET:
            raise UnsafeSettingsError(
                "CARELOOP_ENV=production refuses the development session secret: set "
                f"CONSOLE_SESSION_SECRET to a random value of at least {MIN_SECRET_LENGTH} "
                "characters"
            )
        if len(self.session_secret) < MIN_SECRET_LENGTH:
            raise UnsafeSettingsError(
                f"CONSOLE_SESSION_SECRET needs at least {MIN_SECRET_LENGTH} characters"
            )
        if not self.oidc_enabled:
            raise UnsafeSettingsError(
                "CARELOOP_ENV=production signs people in through OpenID Connect only: set "
                "CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID and CONSOLE_OIDC_CLIENT_SECRET"
            )
        return self
