"""The browser assets, served by the console itself: never from a CDN at run time.

htmx, its SSE extension and Apache ECharts come from the npm registry (`package.json`, installed by
`make venv` with `npm ci`); only the files listed here are served from there. The
console's own stylesheet and script are in the package (`static/`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from console.settings import ConsoleSettings

OWN = Path(__file__).parent / "static"
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "sse.min.js": "htmx-ext-sse/dist/sse.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
}
CACHE = {"Cache-Control": "public, max-age=86400"}


class AssetsMissing(RuntimeError):
    """The npm packages are not installed where the settings say."""


def vendor_files(settings: ConsoleSettings) -> dict[str, Path]:
    """Each served vendor file and where it lies; AssetsMissing when one is absent."""
    found = {name: settings.assets_dir / path for name, path in VENDOR.items()}
    missing = [str(p) for p in found.values() if not p.is_file()]
    if missing:
        raise AssetsMissing(
            f"the console's browser assets are missing ({', '.join(missing)}): run `make venv` "
            "(npm ci in services/console) or set CONSOLE_ASSETS_DIR"
        )
    return found


def mount(app: FastAPI, settings: ConsoleSettings) -> None:
    """Serve `/static/vendor/<file>` from the npm packages and `/static/*` from the package."""
    for name, path in vendor_files(settings).items():
        app.router.routes.append(Route(f"/static/vendor/{name}", _file(path), methods=["GET"]))
    app.mount("/static", StaticFiles(directory=OWN), name="static")


def _file(path: Path) -> Callable[[Request], Awaitable[Response]]:
    async def serve(_request: Request) -> Response:
        return FileResponse(path, media_type="text/javascript", headers=CACHE)

    return serve
