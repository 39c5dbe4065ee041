"""Where webhooks may go: in production only HTTPS to public addresses.

A webhook URL comes from a person (an app's hook, a staff member's integration); without
this check it could make notify call its own network (SSRF). Every address the host
resolves to is checked, so a name that points inside cannot pass.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeTargetError(ValueError):
    """The URL may not be called from this deployment; `zh`: why, in Chinese."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


def is_public(address: str) -> bool:
    """True for a globally routable address (not private, loopback, link-local, …)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check(url: str, *, production: bool) -> None:
    """UnsafeTargetError unless `url` may be called; outside production anything goes."""
    if not production:
        return
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeTargetError(
            "production webhooks must be https:// URLs",
            "生产环境的接口推送地址必须是 https:// 网址",
        )
    port = parts.port or 443
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise UnsafeTargetError(
            f"the webhook host does not resolve: {exc}", f"接口推送地址的主机名无法解析：{exc}"
        ) from exc
    addresses = {info[4][0] for info in found}
    if not addresses or not all(is_public(str(a)) for a in addresses):
        raise UnsafeTargetError(
            "the webhook host resolves to a private or reserved address",
            "接口推送地址的主机名解析为内网或保留地址",
        )
