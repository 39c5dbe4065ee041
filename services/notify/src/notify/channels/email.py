"""E-mail over SMTP (aiosmtplib): accepted by the server counts as sent."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib

from notify.channels.base import Outgoing, SendResult
from notify.settings import NotifySettings


class EmailChannel:
    """Sends each delivery as one plain-text UTF-8 e-mail."""

    name = "email"

    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    def compose(self, delivery: Outgoing) -> EmailMessage:
        """The e-mail of one delivery."""
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = delivery.address
        message["Subject"] = delivery.subject
        message["Message-ID"] = make_msgid(idstring=f"delivery-{delivery.id}")
        message["Content-Language"] = delivery.locale
        message.set_content(delivery.body, charset="utf-8")
        return message

    async def send(self, delivery: Outgoing) -> SendResult:
        """Hand the e-mail to the SMTP server; a 5xx refusal is permanent."""
        s = self.settings
        try:
            await aiosmtplib.send(
                self.compose(delivery),
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username or None,
                password=s.smtp_password or None,
                use_tls=s.smtp_tls == "tls",
                start_tls=s.smtp_tls == "starttls",
                timeout=s.send_timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            return SendResult.failed(f"SMTP refused the recipient: {_codes(exc)}", permanent=True)
        except aiosmtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.code < 600
            return SendResult.failed(f"SMTP {exc.code}: {exc.message}", permanent=permanent)
        except (aiosmtplib.SMTPException, OSError) as exc:
            return SendResult.failed(f"SMTP unreachable: {exc!r}")
        return SendResult.sent()


def _codes(exc: aiosmtplib.SMTPRecipientsRefused) -> str:
    return ", ".join(str(r.code) for r in exc.recipients)
