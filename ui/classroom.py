"""The address students type: this machine's LAN address, found with the standard library alone.

A UDP socket "connected" to an address asks the operating system which of this machine's addresses
would be used to reach it — no packet is sent, so this works in a room with no internet. Private
targets first (a classroom network is usually one), then a public one for machines whose only route
is the default route; loopback or nothing at all means there is no LAN to share.
"""
from __future__ import annotations

import ipaddress
import socket

# any address in each private range will do: connect() on a UDP socket only picks a route
PROBES = ("10.255.255.255", "172.16.255.255", "192.168.255.255", "192.0.2.1")
WILDCARDS = ("0.0.0.0", "::", "")


def lan_address(probes: tuple[str, ...] = PROBES) -> str | None:
    """This machine's IPv4 address on the local network, or None if it has none but loopback."""
    for target in probes:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))  # the discard port; connect() on UDP sends nothing
                address = probe.getsockname()[0]
            except OSError:
                continue
        if not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    return None


def serves_the_room(listen_address: str | None) -> bool:
    """True when the server listens on every interface (``--server.address 0.0.0.0``)."""
    return (listen_address or "").strip() in WILDCARDS[:2]


def student_url(port: int, address: str | None = None) -> str | None:
    """``http://<LAN address>:<port>`` — what students open; None without a LAN address."""
    address = address or lan_address()
    return f"http://{address}:{int(port)}" if address else None


def banner(port: int, address: str | None = None) -> str:
    """The lines a lecturer reads in the terminal when the app serves a classroom."""
    url = student_url(port, address)
    if url is None:
        return ("  Backprop Lab is listening on every interface, but this machine has no network address "
                "besides loopback:\n  connect it to the classroom network, then share http://<its address>:"
                f"{int(port)}")
    return f"  Students open:  {url}\n  (this computer: http://localhost:{int(port)})"
