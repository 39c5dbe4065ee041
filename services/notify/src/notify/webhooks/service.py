"""Use cases of webhook subscriptions: subscribe, read, change, pause and resume, rotate the
secret, unsubscribe. They take a session and never commit.

Who sees a subscription: its owner (the callcenter principal that made it) or an admin, and
only when every site it covers is one of the principal's; for anyone else it does not exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, insert, not_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify import signing
from notify.channels import targets
from notify.deliveries.models import delivery
from notify.settings import NotifySettings
from notify.webhooks import rules
from notify.webhooks.models import webhook_subscription as table
from notify.webhooks.models import webhook_subscription_site as sites
from notify.webhooks.schemas import (
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionPage,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)
from shared.clock import utcnow
from shared.http.auth import Principal, Role
from shared.http.errors import NotFoundError, ProblemError
from shared.http.pagination import decode_cursor, page_of

WHAT = "Webhook subscription"


def visible(principal: Principal) -> Any:
    """WHERE clause: the subscriptions the principal may see."""
    clause = not_(
        exists().where(
            sites.c.subscription_id == table.c.id, not_(principal.site_filter(sites.c.site_id))
        )
    )
    if not principal.has_any(Role.ADMIN):
        clause = clause & (table.c.owner == principal.sub)
    return clause


def _may_cover(principal: Principal, site_ids: list[str]) -> list[str]:
    """The distinct sites, each one the principal may act on (403 otherwise)."""
    unique = sorted(set(site_ids))
    for site_id in unique:
        if site_id == rules.EVERY_SITE and not principal.all_sites:
            raise ProblemError(
                403,
                "Only a principal of every site may subscribe to every site",
                zh="只有可访问全部管理处的用户才能订阅全部管理处",
            )
        principal.may_act_on(site_id)
    return unique


def _filer(principal: Principal, asked: str | None) -> str:
    if asked is None or asked == principal.sub:
        return principal.sub
    if not principal.has_any(Role.ADMIN):
        raise ProblemError(
            403,
            "A call-center subscribes to the complaints it files itself",
            zh="呼叫中心只能订阅自己登记的投诉",
        )
    return asked


async def check_target(url: str, settings: NotifySettings) -> None:
    """422 unless notify may call `url` from this deployment (https, public, in production)."""
    try:
        await targets.check(url, production=settings.is_production)
    except targets.UnsafeTargetError as exc:
        raise ProblemError(422, exc.detail, zh=exc.zh) from None


async def create_subscription(
    session: AsyncSession,
    *,
    data: WebhookSubscriptionCreate,
    by: Principal,
    settings: NotifySettings,
) -> WebhookSubscriptionCreated:
    """Subscribe; the answer shows the secret (given or generated) this once."""
    covered = _may_cover(by, data.site_ids)
    filer = _filer(by, data.filer)
    await check_target(data.url, settings)
    now = utcnow()
    secret = data.secret or signing.new_secret()
    values = {
        "owner": by.sub,
        "filer": filer,
        "url": data.url,
        "description": data.description,
        "event_types": sorted(set(data.event_types)),
        "secret": secret,
        "status": rules.ACTIVE,
        "consecutive_failures": 0,
        "created_at": now,
        "updated_at": now,
    }
    created = await session.execute(insert(table).values(values).returning(table.c.id))
    ident = int(created.scalar_one())
    await _set_sites(session, ident, covered)
    read = await _read(session, ident)
    return WebhookSubscriptionCreated(**read.model_dump(), secret=secret)


async def _set_sites(session: AsyncSession, ident: int, covered: list[str]) -> None:
    await session.execute(delete(sites).where(sites.c.subscription_id == ident))
    rows = [{"subscription_id": ident, "site_id": s} for s in covered]
    await session.execute(insert(sites), rows)


async def _read(session: AsyncSession, ident: int) -> WebhookSubscriptionRead:
    row = (await session.execute(select(table).where(table.c.id == ident))).one()
    return (await _reads(session, [row]))[0]


async def _reads(session: AsyncSession, rows: list[Any]) -> list[WebhookSubscriptionRead]:
    ids = [row.id for row in rows]
    covered: dict[int, list[str]] = {ident: [] for ident in ids}
    query = select(sites).where(sites.c.subscription_id.in_(ids)).order_by(sites.c.site_id)
    for site in (await session.execute(query)).all():
        covered[site.subscription_id].append(site.site_id)
    return [
        WebhookSubscriptionRead.model_validate({**row._mapping, "site_ids": covered[row.id]})
        for row in rows
    ]


async def get_or_404(
    session: AsyncSession, *, subscription_id: int, principal: Principal
) -> WebhookSubscriptionRead:
    """One subscription the principal may see."""
    query = select(table).where(table.c.id == subscription_id, visible(principal))
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFoundError(WHAT, str(subscription_id))
    return (await _reads(session, [row]))[0]


async def list_subscriptions(
    session: AsyncSession,
    *,
    principal: Principal,
    site_id: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> WebhookSubscriptionPage:
    """The subscriptions the principal may see, oldest first."""
    query = select(table).where(visible(principal))
    if site_id is not None:
        of_site = select(sites.c.subscription_id).where(sites.c.site_id == site_id)
        query = query.where(table.c.id.in_(of_site))
    if status is not None:
        query = query.where(table.c.status == status)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(table.c.id > int(after[0]))
    rows = list((await session.execute(query.order_by(table.c.id).limit(limit + 1))).all())
    page = page_of(await _reads(session, rows), limit=limit, key=lambda s: (s.id,))
    return WebhookSubscriptionPage(items=page.items, next_cursor=page.next_cursor)


async def update_subscription(
    session: AsyncSession,
    *,
    subscription_id: int,
    data: WebhookSubscriptionUpdate,
    principal: Principal,
    settings: NotifySettings,
) -> WebhookSubscriptionRead:
    """Change the fields given; pausing holds its deliveries, resuming sends them."""
    current = await get_or_404(session, subscription_id=subscription_id, principal=principal)
    now = utcnow()
    values: dict[str, Any] = {"updated_at": now}
    if data.url is not None:
        await check_target(data.url, settings)
        values["url"] = data.url
    if data.event_types is not None:
        values["event_types"] = sorted(set(data.event_types))
    if "description" in data.model_fields_set:
        values["description"] = data.description
    if data.site_ids is not None:
        await _set_sites(session, subscription_id, _may_cover(principal, data.site_ids))
    if data.status == rules.PAUSED and current.status == rules.ACTIVE:
        values.update(status=rules.PAUSED, paused_reason=rules.REQUESTED, paused_at=now)
    elif data.status == rules.ACTIVE and current.status == rules.PAUSED:
        await _retry_failed(session, subscription_id, current.failing_since, now)
        values.update(
            status=rules.ACTIVE,
            paused_reason=None,
            paused_at=None,
            consecutive_failures=0,
            failing_since=None,
        )
    await session.execute(update(table).where(table.c.id == subscription_id).values(values))
    return await _read(session, subscription_id)


async def _retry_failed(
    session: AsyncSession, subscription_id: int, since: datetime | None, now: datetime
) -> None:
    """Queue again, from scratch, the deliveries that failed for good during the failure
    streak that paused the subscription (the receiver is back: it should have them)."""
    if since is None:
        return
    await session.execute(
        update(delivery)
        .where(
            delivery.c.subscription_id == subscription_id,
            delivery.c.status == "failed",
            delivery.c.failed_at >= since,
        )
        .values(status="queued", attempts=0, next_attempt_at=now, failed_at=None)
    )


async def rotate_secret(
    session: AsyncSession,
    *,
    subscription_id: int,
    principal: Principal,
    settings: NotifySettings,
) -> WebhookSecretRotated:
    """A new secret, shown this once; the old one signs beside it for the grace period."""
    await get_or_404(session, subscription_id=subscription_id, principal=principal)
    old = await session.scalar(select(table.c.secret).where(table.c.id == subscription_id))
    secret = signing.new_secret()
    until = utcnow() + timedelta(hours=settings.webhook_rotation_hours)
    await session.execute(
        update(table)
        .where(table.c.id == subscription_id)
        .values(
            secret=secret, previous_secret=old, previous_secret_until=until, updated_at=utcnow()
        )
    )
    return WebhookSecretRotated(id=subscription_id, secret=secret, previous_secret_until=until)


async def delete_subscription(
    session: AsyncSession, *, subscription_id: int, principal: Principal
) -> None:
    """Unsubscribe: what was still queued for it is cancelled; its log goes with it."""
    await get_or_404(session, subscription_id=subscription_id, principal=principal)
    await session.execute(
        update(delivery)
        .where(delivery.c.subscription_id == subscription_id, delivery.c.status == "queued")
        .values(status="cancelled", next_attempt_at=None)
    )
    await session.execute(delete(sites).where(sites.c.subscription_id == subscription_id))
    await session.execute(delete(table).where(table.c.id == subscription_id))
