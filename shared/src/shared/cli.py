"""`careloop`: operator commands shared by every service.

careloop token --role handler --sites site-a,site-b   # a development token
careloop parked list --service routing                # what is parked, and why
careloop parked replay --service routing [--id ID]    # move parked messages back
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import ClassVar

import aio_pika

from shared.bus import parking
from shared.http.auth import Role, issue_token
from shared.settings import ServiceSettings

SERVICES = ("intake", "routing", "surveys", "notify")


def settings_for(service: str) -> ServiceSettings:
    """Settings read from the environment as `service` would read them."""

    class Named(ServiceSettings):
        service_name: ClassVar[str] = service

    return Named()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `careloop` command."""
    args = _parser().parse_args(argv)
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careloop", description="careloop operator commands")
    commands = parser.add_subparsers(required=True)

    token = commands.add_parser("token", help="print a development token (HS256)")
    token.add_argument(
        "--role", default="admin", help=f"comma-separated roles: {', '.join(r.value for r in Role)}"
    )
    token.add_argument("--sites", default="*", help="comma-separated site ids, or *")
    token.add_argument("--sub", default="dev", help="the subject (user id)")
    token.add_argument("--name", default=None, help="the person's name (the subject's when absent)")
    token.add_argument("--hours", type=int, default=8, help="validity in hours")
    token.set_defaults(run=_token)

    parked = commands.add_parser("parked", help="list or replay parked messages")
    parked.add_argument("action", choices=("list", "replay"))
    parked.add_argument(
        "--service", required=True, help=f"whose parking queue: {', '.join(SERVICES)}"
    )
    parked.add_argument("--id", dest="message_id", help="replay only this message id")
    parked.set_defaults(run=_parked)
    return parser


def _token(args: argparse.Namespace) -> int:
    roles = [r.strip() for r in args.role.split(",") if r.strip()]
    unknown = sorted(set(roles) - {r.value for r in Role})
    if unknown:
        print(f"unknown role(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    settings = settings_for("intake")
    if settings.is_production:
        print("refusing to mint tokens with CARELOOP_ENV=production", file=sys.stderr)
        return 2
    print(
        issue_token(
            settings,
            sub=args.sub,
            name=args.name or None,
            roles=roles,
            sites=sites,
            ttl_seconds=args.hours * 3600,
        )
    )
    return 0


def _parked(args: argparse.Namespace) -> int:
    return asyncio.run(_parked_async(args))


async def _parked_async(args: argparse.Namespace) -> int:
    settings = settings_for(args.service)
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        parking_queue = settings.queue_name(".parking")
        if args.action == "list":
            found = await parking.list_parked(channel, parking_queue)
            for item in found:
                print(
                    f"{item.message_id}\t{item.type}\t{item.reason}\t{item.parked_at}\t{item.error}"
                )
            print(f"{len(found)} parked in {parking_queue}", file=sys.stderr)
            return 0
        moved = await parking.replay(
            channel, parking_queue, settings.queue_name(), message_id=args.message_id
        )
        print(f"replayed {moved} message(s) into {settings.queue_name()}", file=sys.stderr)
        return 0 if moved or args.message_id is None else 1
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(main())
