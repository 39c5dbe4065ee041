"""Load the demo group into the running services, through their APIs, as `make run` does.

One site (`demo`, 翠湖花园) in every service: intake's directory (two buildings, a few
households), routing's organisation and rules (`services/routing/demo/group.yaml`),
notify's office settings and staff contacts. Loading again changes nothing. Then it
prints how to file a complaint and watch it move.

    .venv/bin/python scripts/demo.py        # waits for the services, loads, exits
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from intake.settings import IntakeSettings
from routing.loader import read_file
from shared.http.auth import issue_token

ROOT = Path(__file__).resolve().parents[1]
SITE = "demo"
RESIDENT_PHONE = "13800138000"
SERVICES = {"intake": 8001, "routing": 8002, "surveys": 8003, "notify": 8004, "console": 8005}
NEXT = """demo: site 'demo' (翠湖花园) is loaded in every service.

Open the console: {console}/sign-in
  sign in as 前台 周敏 (the desk), type 13800138000 and record a complaint for 赵先生;
  then as the engineering handler it went to (钱师傅 or 何师傅) to accept and resolve it,
  and as 陈经理 / 赵工 to see what is escalated to them. Open a second browser (or a
  private window) to watch a queue update by itself while the first one works.

Or file a complaint over the API, for 赵先生 (2栋 1201, a household in the directory):
  curl -X POST http://127.0.0.1:8001/v1/complaints -H 'Content-Type: application/json' \\
    -H "Authorization: Bearer $(make -s token ROLE=callcenter SITES=demo SUB=cc-desk)" \\
    -d '{complaint}'
and watch the engineering department's mail in the `mail` lines of this log, and what
赵先生 receives by SMS (the acknowledgement, then the reply with the callback link) in the
`sms` lines."""
HOUSEHOLDS = [
    {"building": "1栋", "unit": f"{floor}0{door}", "floor": floor, "name": name, "email": mail}
    for floor, door, name, mail in [
        (3, 1, "李女士", "li.1301@demo.careloop.test"),
        (5, 2, "王先生", "wang.1502@demo.careloop.test"),
        (8, 1, "陈女士", "chen.1801@demo.careloop.test"),
    ]
] + [
    {"building": "2栋", "unit": "1201", "floor": 12, "name": "赵先生", "phones": [RESIDENT_PHONE]},
]


def url(service: str, path: str) -> str:
    """`path` on a service at its port (`<SERVICE>_PORT` or its default)."""
    port = os.environ.get(f"{service.upper()}_PORT", str(SERVICES[service]))
    return f"http://127.0.0.1:{port}{path}"


def wait_ready(client: httpx.Client, within: float = 120.0) -> None:
    """Until every service's /readyz answers 200."""
    deadline = time.monotonic() + within
    for service in SERVICES:
        while True:
            try:
                if client.get(url(service, "/readyz")).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"demo: {service} is not ready after {within:.0f} s; see its log")
            time.sleep(0.5)


def call(client: httpx.Client, method: str, service: str, path: str, body: Any) -> None:
    """One admin request; a 409 (already there) is as good as done."""
    response = client.request(method, url(service, path), json=body)
    if response.status_code >= 400 and response.status_code != 409:
        sys.exit(f"demo: {method} {service}{path} answered {response.status_code}: {response.text}")


def staff_contacts(site: Any) -> dict[str, Any]:
    """Notify's directory of the site's staff: each one's demo e-mail address."""
    return {
        "staff": [
            {
                "staff_id": member.id,
                "role": member.role,
                "department": member.department,
                "name": member.name,
                "email": f"{member.id}@demo.careloop.test",
            }
            for member in site.staff
        ]
    }


def load(client: httpx.Client) -> None:
    """The demo site in intake, routing and notify."""
    (site,) = [s for s in read_file(ROOT / "services/routing/demo/group.yaml") if s.site_id == SITE]
    call(client, "POST", "intake", "/v1/sites", {"id": SITE, "code": "CH", "name": "翠湖花园"})
    call(client, "POST", "intake", f"/v1/sites/{SITE}/directory-import", {"rows": HOUSEHOLDS})
    organisation = site.model_dump(mode="json", exclude={"site_id", "rules"})
    call(client, "PUT", "routing", f"/v1/sites/{SITE}/organisation", organisation)
    if site.rules is not None:
        rules = site.rules.model_dump(mode="json", exclude_none=True)
        call(client, "PUT", "routing", f"/v1/sites/{SITE}/rules", rules)
    office = {"name": site.site_name, "contact_phone": "0755-88886666", "callback_delay_hours": 1}
    call(client, "PUT", "notify", f"/v1/sites/{SITE}/settings", office)
    call(client, "PUT", "notify", f"/v1/sites/{SITE}/staff-contacts", staff_contacts(site))


def complaint(client: httpx.Client) -> dict[str, Any]:
    """The complaint the demo suggests: from 赵先生's household, in his unit, so that he
    hears back (the acknowledgement, the reply, the callback) on his phone."""
    found = client.get(url("intake", f"/v1/sites/{SITE}/households"), params={"q": RESIDENT_PHONE})
    if found.status_code != 200 or not found.json()["items"]:
        sys.exit(f"demo: the household with {RESIDENT_PHONE} is not in the directory: {found.text}")
    household = found.json()["items"][0]
    return {
        "site_id": SITE,
        "channel": "call_center",
        "kind": "complaint",
        "category": "maintenance",
        "description": "电梯异响，晚上尤其明显",
        "reporter": {"type": "household", "household_id": household["id"]},
        "location": {"unit_id": household["unit_id"]},
    }


def main() -> None:
    """Wait for the services, load the demo group and say what to try."""
    token = issue_token(IntakeSettings(), sub="demo-loader", roles=["admin"], sites=["*"])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=30) as client:
        wait_ready(client)
        load(client)
        body = json.dumps(complaint(client), ensure_ascii=False)
    print(NEXT.replace("{console}", url("console", "")).replace("{complaint}", body), flush=True)


if __name__ == "__main__":
    main()
