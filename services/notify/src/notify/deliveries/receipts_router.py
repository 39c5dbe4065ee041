"""The SMS gateway's delivery receipts: a sent SMS becomes delivered (or failed).

The gateway cannot hold a staff token, so this route is public and checks the gateway's
own key instead (`Authorization: Bearer <NOTIFY_SMS_GATEWAY_KEY>`), compared in constant
time. A receipt names the delivery by the `reference` notify sent (`delivery-<id>`).
"""

from __future__ import annotations

import hmac
from typing import Literal

from fastapi import APIRouter, Header
from pydantic import BaseModel, ConfigDict, Field

from notify.deliveries import outcomes
from notify.settings import NotifySettings
from shared.http.app import DatabaseDep, RuntimeDep
from shared.http.errors import NotFoundError, ProblemError
from shared.http.params import BIGINT_MAX
from shared.http.writing import writing

router = APIRouter(prefix="/hooks", tags=["sms gateway"])
PREFIX = "delivery-"


class SmsReceipt(BaseModel):
    """What the gateway reports about one SMS."""

    model_config = ConfigDict(extra="ignore")

    reference: str = Field(max_length=100, description="the reference notify sent")
    status: Literal["delivered", "failed"]
    error: str | None = Field(default=None, max_length=500)


class ReceiptRead(BaseModel):
    delivery_id: int
    recorded: bool = Field(description="false when the delivery had already settled")


def _check_key(runtime: RuntimeDep, authorization: str | None) -> None:
    settings = runtime.settings
    key = settings.sms_gateway_key if isinstance(settings, NotifySettings) else ""
    offered = (authorization or "").removeprefix("Bearer ")
    if not key or not hmac.compare_digest(offered.encode(), key.encode()):
        raise ProblemError(
            401,
            "Receipts need the SMS gateway's key as a bearer token",
            zh="短信回执须以短信网关的密钥作为 Bearer 令牌",
        )


def _delivery_id(reference: str) -> int:
    number = reference.removeprefix(PREFIX)
    if not reference.startswith(PREFIX) or not number.isdigit() or int(number) > BIGINT_MAX:
        raise NotFoundError("Delivery", reference)
    return int(number)


@router.post(
    "/sms-receipts",
    summary="A delivery receipt from the SMS gateway",
    responses={
        401: {"description": "The gateway's key is missing or wrong."},
        404: {"description": "The reference names no delivery notify sent."},
    },
)
async def post_sms_receipt(
    body: SmsReceipt,
    runtime: RuntimeDep,
    db: DatabaseDep,
    authorization: str | None = Header(default=None),
) -> ReceiptRead:
    _check_key(runtime, authorization)
    delivery_id = _delivery_id(body.reference)
    async with writing(db) as session:
        if body.status == "delivered":
            recorded = await outcomes.delivered(session, delivery_id=delivery_id, channel="sms")
        else:
            error = f"SMS gateway: {body.error or 'not delivered'}"
            recorded = await outcomes.receipt_failed(
                session, delivery_id=delivery_id, error=error, channel="sms"
            )
    return ReceiptRead(delivery_id=delivery_id, recorded=recorded)
