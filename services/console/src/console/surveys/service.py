"""What the surveys pages ask of the services: surveys' campaigns, samples, tasks,
responses and results, intake-free; and routing's corrective actions of a campaign.

One call per list, whatever its length: the sample comes with each household's unit and
whether it answered, responses with their units, in one request each.
"""

from __future__ import annotations

from typing import Any

from console.backend.client import Api

PAGE_SIZE = 100
MANY = 500
ACTION_PAGES = 5


async def campaigns(
    api: Api, *, status: str | None, site_id: str | None, cursor: str | None
) -> dict[str, Any]:
    """One page of the person's sites' campaigns, newest first."""
    found: dict[str, Any] = await api.get(
        "surveys", "/v1/campaigns", status=status, site_id=site_id, limit=50, cursor=cursor
    )
    return found


async def campaign(api: Api, campaign_id: str) -> dict[str, Any]:
    """One campaign."""
    found: dict[str, Any] = await api.get("surveys", f"/v1/campaigns/{campaign_id}")
    return found


async def frame(api: Api, site_id: str) -> dict[str, int]:
    """The site's sampling frame now: households per building."""
    found = await api.get("surveys", f"/v1/sites/{site_id}/frame")
    return {str(b): int(n) for b, n in found["buildings"].items()}


async def sample_size(api: Api, *, population: int, confidence: float, margin: float) -> int:
    """The random sample the precision asks for, as surveys' helper counts it."""
    found = await api.get(
        "surveys",
        "/v1/sampling/size",
        population=population,
        confidence=confidence,
        margin=margin,
    )
    return int(found["size"])


async def create(api: Api, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Plan a campaign, once per form."""
    found: dict[str, Any] = await api.post("surveys", "/v1/campaigns", body, key=key)
    return found


async def draw(api: Api, campaign_id: str, *, key: str) -> dict[str, Any]:
    """Draw the campaign's sample, once per form."""
    found: dict[str, Any] = await api.post(
        "surveys", f"/v1/campaigns/{campaign_id}/draw", {}, key=key
    )
    return found


async def close(api: Api, campaign_id: str, *, key: str) -> dict[str, Any]:
    """Close the campaign now; its results become final."""
    found: dict[str, Any] = await api.post(
        "surveys", f"/v1/campaigns/{campaign_id}/close", None, key=key
    )
    return found


async def sample(
    api: Api, campaign_id: str, *, key: bool, cursor: str | None = None, limit: int = PAGE_SIZE
) -> dict[str, Any]:
    """One page of the sample's key (or random) households."""
    found: dict[str, Any] = await api.get(
        "surveys",
        f"/v1/campaigns/{campaign_id}/sample",
        key=str(key).lower(),
        limit=limit,
        cursor=cursor,
    )
    return found


async def member(api: Api, campaign_id: str, household_id: str) -> dict[str, Any] | None:
    """One household of the sample, or None when it is not in it."""
    found = await api.get(
        "surveys", f"/v1/campaigns/{campaign_id}/sample", household_id=household_id, limit=1
    )
    items = found["items"]
    return dict(items[0]) if items else None


async def tasks(
    api: Api, campaign_id: str, *, status: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> dict[str, Any]:
    """The interviewer tasks of a campaign, open or done."""
    found: dict[str, Any] = await api.get(
        "surveys",
        f"/v1/campaigns/{campaign_id}/tasks",
        status=status,
        limit=limit,
        cursor=cursor,
    )
    return found


async def enter(api: Api, campaign_id: str, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Store an interviewer's entry, once per form."""
    found: dict[str, Any] = await api.post(
        "surveys", f"/v1/campaigns/{campaign_id}/responses", body, key=key
    )
    return found


async def responses(
    api: Api,
    campaign_id: str,
    *,
    recheck: str | None = None,
    commented: bool | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> dict[str, Any]:
    """One page of a campaign's responses (the re-check queue, or those with a comment)."""
    found: dict[str, Any] = await api.get(
        "surveys",
        f"/v1/campaigns/{campaign_id}/responses",
        recheck=recheck,
        commented=None if commented is None else str(commented).lower(),
        limit=limit,
        cursor=cursor,
    )
    return found


async def verify(
    api: Api, campaign_id: str, response_id: str, body: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """A supervisor's verdict on a re-check entry, once per form."""
    found: dict[str, Any] = await api.post(
        "surveys", f"/v1/campaigns/{campaign_id}/responses/{response_id}/recheck", body, key=key
    )
    return found


async def results(api: Api, campaign_id: str) -> dict[str, Any]:
    """The campaign's results: provisional while it is open, final once closed."""
    found: dict[str, Any] = await api.get("surveys", f"/v1/campaigns/{campaign_id}/results")
    return found


async def actions_of(api: Api, *, site_id: str, campaign_id: str) -> dict[str, dict[str, Any]]:
    """The corrective actions routing opened for the campaign's topics under target, by
    topic. Routing lists a site's survey actions (it has no campaign filter); a site has a
    handful a year, so a few pages hold them all."""
    found: dict[str, dict[str, Any]] = {}
    cursor = None
    for _ in range(ACTION_PAGES):
        page = await api.get(
            "routing",
            "/v1/corrective-actions",
            site_id=site_id,
            source="survey",
            limit=MANY,
            cursor=cursor,
        )
        for action in page["items"]:
            if action["campaign_id"] == campaign_id and action["topic"]:
                found[action["topic"]] = action
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return found
