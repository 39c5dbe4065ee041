"""Standard Webhooks signing and verification: the receiver's every refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from notify import signing
from notify.signing import MemorySeenIds, WebhookVerificationError, sign, verify

NOW = 1_800_000_000
BODY = b'{"kind":"acknowledgement","body":"\xe6\x82\xa8\xe5\xa5\xbd"}'


def reason(body: bytes, headers: dict[str, str], secrets: list[str], **kwargs: object) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, headers, secrets, seen=MemorySeenIds(), now=NOW, **kwargs)  # type: ignore[arg-type]
    return caught.value.reason


def test_the_signature_is_hmac_sha256_of_id_timestamp_and_body() -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    expected = hmac.new(b"k" * 32, b"msg_1.1800000000." + BODY, hashlib.sha256).digest()

    headers = sign([secret], "msg_1", BODY, timestamp=NOW)

    assert headers["webhook-signature"] == "v1," + base64.b64encode(expected).decode()
    assert (headers["webhook-id"], headers["webhook-timestamp"]) == ("msg_1", str(NOW))


def test_a_genuine_webhook_is_accepted() -> None:
    secret = signing.new_secret()
    headers = sign([secret], "msg_1", BODY, timestamp=NOW)

    assert verify(BODY, headers, [secret], seen=MemorySeenIds(), now=NOW + 10) == "msg_1"


def test_a_tampered_body_is_refused() -> None:
    secret = signing.new_secret()
    headers = sign([secret], "msg_1", BODY, timestamp=NOW)

    assert (
        reason(BODY.replace(b"acknowledgement", b"progress"), headers, [secret]) == "bad_signature"
    )


def test_a_wrong_secret_is_refused() -> None:
    headers = sign([signing.new_secret()], "msg_1", BODY, timestamp=NOW)

    assert reason(BODY, headers, [signing.new_secret()]) == "bad_signature"


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_a_stale_or_future_timestamp_is_refused(offset: int) -> None:
    secret = signing.new_secret()
    headers = sign([secret], "msg_1", BODY, timestamp=NOW + offset)

    assert reason(BODY, headers, [secret]) == "stale"


def test_a_replayed_id_is_refused() -> None:
    secret = signing.new_secret()
    seen = MemorySeenIds()
    headers = sign([secret], "msg_1", BODY, timestamp=NOW)
    verify(BODY, headers, [secret], seen=seen, now=NOW)

    with pytest.raises(WebhookVerificationError) as caught:
        verify(BODY, headers, [secret], seen=seen, now=NOW + 1)

    assert caught.value.reason == "replayed"


def test_a_refused_forgery_does_not_burn_the_genuine_id() -> None:
    secret = signing.new_secret()
    seen = MemorySeenIds()
    forged = sign([signing.new_secret()], "msg_1", BODY, timestamp=NOW)
    with pytest.raises(WebhookVerificationError):
        verify(BODY, forged, [secret], seen=seen, now=NOW)

    genuine = sign([secret], "msg_1", BODY, timestamp=NOW)
    assert verify(BODY, genuine, [secret], seen=seen, now=NOW) == "msg_1"


def test_during_a_rotation_a_receiver_with_either_secret_accepts() -> None:
    new, old = signing.new_secret(), signing.new_secret()
    headers = sign([new, old], "msg_1", BODY, timestamp=NOW)

    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(BODY, headers, [old], seen=MemorySeenIds(), now=NOW) == "msg_1"
    assert verify(BODY, headers, [new], seen=MemorySeenIds(), now=NOW) == "msg_1"
    assert reason(BODY, headers, [signing.new_secret()]) == "bad_signature"


def test_missing_headers_are_refused() -> None:
    headers = sign([signing.new_secret()], "msg_1", BODY, timestamp=NOW)
    del headers["webhook-timestamp"]

    assert reason(BODY, headers, []) == "missing_headers"


def test_header_names_are_case_insensitive() -> None:
    secret = signing.new_secret()
    headers = {k.title(): v for k, v in sign([secret], "msg_1", BODY, timestamp=NOW).items()}

    assert verify(BODY, headers, [secret], seen=MemorySeenIds(), now=NOW) == "msg_1"


def test_a_secret_is_whsec_and_base64() -> None:
    assert signing.new_secret().startswith("whsec_")
    assert len(signing.key_of(signing.new_secret())) == 32
    with pytest.raises(ValueError, match="base64"):
        signing.key_of("whsec_not base64!")
