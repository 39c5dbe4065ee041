"""Contacts: households follow intake's events in version order; their preferences are
notify's own and survive intake's upserts; opt-outs hold for non-essential messages only."""

from __future__ import annotations

import pytest
from notify_harness import Notify, eventually, hex_id, household, is_problem, removed

from notify.contacts.service import household_recipients
from shared.db.engine import reading

pytestmark = pytest.mark.integration


async def recipients(notify: Notify, site_id: str, **scope: object) -> set[tuple[str, str]]:
    async with reading(notify.db) as session:
        found = await household_recipients(session, site_id=site_id, **scope)  # type: ignore[arg-type]
    return {(r.key, r.channel) for r in found}


async def test_a_household_is_reached_on_every_channel_it_has_an_address_for(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    one = household(site, phones=["13800000001", "13800000002"], email="zhang@example.cn")
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)

    contact = await notify.contact(one.household_id)
    assert contact["reached_on"] == ["sms", "email"]
    assert contact["phone"] == "138******01"  # masked; the first phone is the SMS number
    assert contact["email"] == "z***@example.cn"
    found = await recipients(notify, site, essential=False)
    key = f"household:{one.household_id}"
    assert found == {(key, "sms"), (key, "email")}


async def test_preferences_survive_intake_upserts_and_old_versions_change_nothing(
    notify: Notify,
) -> None:
    site = hex_id("site-")
    one = household(site, phones=["13800000001"], email="zhang@example.cn")
    await notify.upsert(one, version=1)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    chosen = {
        "channels": ["email", "phone_task"],
        "preferred_channel": "phone_task",
        "locale": "en",
        "opted_out": True,
    }
    patched = await notify.ok("PATCH", f"/v1/contacts/{one.household_id}", json=chosen)
    assert patched["reached_on"] == ["phone_task", "email"]

    moved = one.model_copy(update={"phones": ["13900000009"], "email": None})
    await notify.upsert(moved, version=3)
    assert await eventually(
        lambda: notify.has_contact(one.household_id, email=None, phone="139******09"), True
    )
    await notify.upsert(one, version=2)  # late and older: ignored
    await notify.upsert(moved.model_copy(update={"unit": "202"}), version=4)
    assert await eventually(lambda: notify.has_contact(one.household_id, unit="202"), True)

    contact = await notify.contact(one.household_id)
    assert contact["phone"] == "139******09"
    assert (contact["channels"], contact["preferred_channel"]) == (
        ["email", "phone_task"],
        "phone_task",
    )
    assert (contact["locale"], contact["opted_out"]) == ("en", True)
    assert contact["reached_on"] == ["phone_task"]  # no e-mail address any more


async def test_opted_out_households_get_essential_messages_only(notify: Notify) -> None:
    site = hex_id("site-")
    keen = household(site, phones=["13800000001"])
    quiet = household(site, phones=["13800000002"])
    for one in (keen, quiet):
        await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(quiet.household_id), True)
    await notify.ok("PATCH", f"/v1/contacts/{quiet.household_id}", json={"opted_out": True})

    general = await recipients(notify, site, essential=False)
    safety = await recipients(notify, site, essential=True)

    assert general == {(f"household:{keen.household_id}", "sms")}
    assert safety == {(f"household:{h.household_id}", "sms") for h in (keen, quiet)}


async def test_scope_and_channels_narrow_the_recipients(notify: Notify) -> None:
    site = hex_id("site-")
    a = household(
        site, phones=["13800000001"], email="a@example.cn", building_id="b1", unit_id="u1"
    )
    b = household(site, phones=["13800000002"], building_id="b1", unit_id="u2")
    c = household(site, phones=["13800000003"], building_id="b2", unit_id="u3")
    elsewhere = household(hex_id("site-"), phones=["13800000004"], building_id="b1")
    for one in (a, b, c, elsewhere):
        await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(c.household_id), True)
    assert await eventually(lambda: notify.has_contact(elsewhere.household_id), True)

    def keys(found: set[tuple[str, str]]) -> set[str]:
        return {k.split(":")[1] for k, _ in found}

    assert keys(await recipients(notify, site, essential=False)) == {
        a.household_id,
        b.household_id,
        c.household_id,
    }
    assert keys(await recipients(notify, site, essential=False, building_ids=["b1"])) == {
        a.household_id,
        b.household_id,
    }
    assert keys(
        await recipients(notify, site, essential=False, unit_ids=["u3"], building_ids=["b1"])
    ) == {a.household_id, b.household_id, c.household_id}
    assert await recipients(notify, site, essential=False, channels=["email"]) == {
        (f"household:{a.household_id}", "email")
    }


async def test_a_removed_household_is_reached_no_more(notify: Notify) -> None:
    site = hex_id("site-")
    one = household(site, phones=["13800000001"])
    await notify.upsert(one, version=1)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    await notify.emit(
        removed(site, one.household_id), aggregate_id=one.household_id, aggregate_version=2
    )

    assert await eventually(lambda: notify.has_contact(one.household_id, removed=True), True)
    assert await recipients(notify, site, essential=True) == set()


async def test_preferences_are_validated_and_site_scoped(notify: Notify) -> None:
    site = hex_id("site-")
    one = household(site, phones=["13800000001"])
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    path = f"/v1/contacts/{one.household_id}"

    wrong = await notify.request(
        "PATCH", path, json={"channels": ["sms"], "preferred_channel": "email"}
    )
    unknown = await notify.request("PATCH", path, json={"channels": ["pigeon"]})
    outsider = notify.headers(roles=["callcenter"], sites=[hex_id("site-")])
    hidden = await notify.request("PATCH", path, json={"locale": "en"}, as_=outsider)
    surveyor = notify.headers(roles=["surveyor"], sites=[site])
    refused = await notify.request("PATCH", path, json={"locale": "en"}, as_=surveyor)

    assert is_problem(wrong, 422)
    assert is_problem(unknown, 422)
    assert is_problem(hidden, 404)
    assert is_problem(refused, 403)
    assert (await notify.contact(one.household_id))["locale"] is None


async def test_contacts_are_listed_by_site_in_pages(notify: Notify) -> None:
    site = hex_id("site-")
    ones = [household(site, phones=[f"1380000000{i}"]) for i in range(3)]
    for one in ones:
        await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(ones[-1].household_id), True)
    assert await eventually(lambda: notify.has_contact(ones[0].household_id), True)

    first = await notify.ok("GET", "/v1/contacts", params={"site_id": site, "limit": 2})
    second = await notify.ok(
        "GET", "/v1/contacts", params={"site_id": site, "limit": 2, "cursor": first["next_cursor"]}
    )

    listed = [c["household_id"] for c in first["items"] + second["items"]]
    assert listed == sorted(h.household_id for h in ones)
    assert second["next_cursor"] is None
