"""The phone channel's table: a phone task is one call a person makes to deliver one
message (opened by `channels.phone`, worked through `notify.phone_tasks`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlmodel import Field

from notify.db import NotifyModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime

_Seq = BigInteger().with_variant(Integer(), "sqlite")


class PhoneTask(NotifyModel, table=True):
    """A work item for the call-center: call this number and say this."""

    __tablename__ = "phone_task"
    __table_args__ = (Index("ix_phone_task_site_id_status_id", "site_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=_Seq)
    delivery_id: int = Field(sa_type=_Seq, unique=True)
    site_id: str = Field(sa_type=String(64))
    recipient_key: str = Field(sa_type=String(100))
    phone: str = Field(default="", sa_type=String(24))
    kind: str = Field(sa_type=String(40))
    subject: str = Field(sa_type=Text)
    body: str = Field(sa_type=Text)
    status: str = Field(default="open", sa_type=String(10), description="open, done, cancelled")
    created_at: datetime = Field(sa_type=UtcDateTime())
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    done_by: str | None = Field(default=None, sa_type=String(64))
    reached: bool | None = None
    note: str | None = Field(default=None, sa_type=Text)


phone_task = table_of(PhoneTask)
