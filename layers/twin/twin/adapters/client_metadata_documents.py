"""OAuth Client ID Metadata Documents, fetched with the care a URL chosen by anyone on the internet needs.

The `client_id` is an HTTPS URL the authorization server downloads: a way to make it send requests inside its
own network. So the host's addresses are resolved first and the connection goes to one of them only if every one
is public (never private, loopback, link-local or reserved), which also stops a DNS answer that changes between
the check and the connect; redirects are not followed; the whole fetch has a deadline and the body a size cap.
"""

import ipaddress
import ssl
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

import anyio
import httpcore

from twin.errors import ClientMetadataError

MAX_DOCUMENT_BYTES: Final = 5 * 1024
"""The size the Client ID Metadata Document draft says servers should accept at least."""
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class _PublicAddressesOnly(httpcore.AnyIOBackend):
    def __init__(self, *, allow_loopback: bool) -> None:
        self._allow_loopback = allow_loopback

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            answers = await anyio.getaddrinfo(host, port, type=0)
        except OSError:
            raise ClientMetadataError("unresolvable_host") from None
        addresses = [_unmapped(ipaddress.ip_address(answer[4][0])) for answer in answers]
        if not addresses or not all(self._allowed(address) for address in addresses):
            raise ClientMetadataError("private_address")
        # TLS still checks the certificate against `host`: httpcore names it in the handshake, not this address.
        return await super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)

    def _allowed(self, address: _Address) -> bool:
        if address.is_loopback:
            return self._allow_loopback
        return address.is_global and not address.is_multicast


class ClientMetadataFetcher:
    def __init__(self, *, timeout_seconds: float = 3, allow_loopback: bool = False) -> None:
        """`allow_loopback` is for tests, which serve documents from this machine."""
        self._timeout_seconds = timeout_seconds
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(),
            network_backend=_PublicAddressesOnly(allow_loopback=allow_loopback),
            max_connections=10,
            keepalive_expiry=0,
        )

    async def fetch(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname or parts.username is not None or parts.fragment:
            raise ClientMetadataError("not_an_https_url")
        try:
            with anyio.fail_after(self._timeout_seconds):
                return await self._get(url)
        except TimeoutError:
            raise ClientMetadataError("timed_out") from None
        except httpcore.TimeoutException:
            raise ClientMetadataError("timed_out") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, ssl.SSLError):
            raise ClientMetadataError("unreachable") from None

    async def _get(self, url: str) -> bytes:
        headers = [(b"Accept", b"application/json"), (b"User-Agent", b"digital-twin-oauth")]
        async with self._pool.stream("GET", url, headers=headers) as response:
            if response.status != 200:
                raise ClientMetadataError(f"status_{response.status}")
            body = bytearray()
            async for chunk in response.aiter_stream():
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise ClientMetadataError("too_large")
        return bytes(body)


def _unmapped(address: _Address) -> _Address:
    """`::ffff:10.0.0.1` is 10.0.0.1."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
