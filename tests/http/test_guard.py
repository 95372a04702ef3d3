"""The address guard, as tables: which addresses are public, which URLs are refused, what allow_hosts permits."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.http.conftest import StubResolver
from worker.errors import BlockedURLError, FetchError
from worker.http.guard import check_url, is_public_address, parse_allow_entry, parse_ip_host, vet_url

PUBLIC_IP = "93.184.216.34"
NAMES = {
    "news.example": [PUBLIC_IP],
    "v6news.example": ["2606:4700::6810:84e5"],
    "internal.example": ["10.0.0.5"],
    "mixed.example": [PUBLIC_IP, "127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "zoned.example": ["fe80::1%eth0"],
    "loop.example": ["127.0.0.1"],
}


@pytest.fixture
def names() -> StubResolver:
    return StubResolver(table=dict(NAMES))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:4700::6810:84e5", True),
        ("64:ff9b::808:808", True),  # NAT64 of a public address (DNS64 networks)
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("172.31.255.255", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("100.127.255.255", False),
        ("169.254.169.254", False),  # cloud metadata
        ("0.0.0.0", False),
        ("0.1.2.3", False),
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.1", False),
        ("198.18.0.1", False),
        ("::", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:10.0.0.1", False),
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated)
        ("::ffff:0:7f00:1", False),  # IPv4-translated
        ("64:ff9b::7f00:1", False),  # NAT64 of loopback
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of the metadata address
        ("64:ff9b:1::a00:1", False),  # local-use NAT64
        ("2002:7f00:1::", False),  # 6to4 of loopback
        ("2002:a00:1::", False),  # 6to4 of 10.0.0.1
        ("2001::1", False),  # Teredo
        ("2001:db8::1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("ff0e::1", False),  # global-scope multicast is still multicast
        ("100::1", False),
    ],
)
def test_address_is_public_only_when_globally_routable_unicast(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/feed.xml",
        "gopher://news.example:70/",
        "dict://news.example:11211/",
        "javascript:alert(1)",
        "//news.example/feed",
        "http:///feed",
        "http://127.0.0.1/",
        "http://127.0.0.1./",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://0177.1/",
        "http://017700000001/",
        "http://08.1.1.1/",  # numeric but not an address: refused, not passed to a resolver
        "http://0/",
        "http://0.0.0.0:6379/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://app.localhost/",
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[fe80::1%25eth0]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://internal.example/",
        "http://metadata.example/",
        "http://mixed.example/",  # one private answer among public ones is enough to refuse
        "http://mapped.example/",
        "http://zoned.example/",
        "http://user:secret@127.0.0.1/",
        "http://news.example@127.0.0.1/",  # the host is what follows the @
        "http://unknown.example/",  # the resolver does not know it
        "http://news.example:99999/",
    ],
)
def test_url_is_refused(url: str, names: StubResolver) -> None:
    with pytest.raises(BlockedURLError):
        check_url(url, resolver=names)


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://news.example/rss/world.xml", [PUBLIC_IP]),
        ("HTTPS://NEWS.EXAMPLE./feed", [PUBLIC_IP]),
        ("http://v6news.example/feed", ["2606:4700::6810:84e5"]),
        ("http://8.8.8.8/feed", ["8.8.8.8"]),
        ("http://134744072/feed", ["8.8.8.8"]),  # a numeric form is judged by the address it denotes
        ("http://[2606:4700::1]/feed", ["2606:4700::1"]),
        ("http://[64:ff9b::808:808]/feed", ["64:ff9b::808:808"]),
    ],
)
def test_public_url_passes_with_the_addresses_it_was_checked_at(
    url: str, addresses: list[str], names: StubResolver
) -> None:
    assert check_url(url, resolver=names) == addresses


@pytest.mark.parametrize(
    ("allow_hosts", "url", "allowed"),
    [
        (["127.0.0.1:8080"], "http://127.0.0.1:8080/feed", True),
        (["127.0.0.1:8080"], "http://127.0.0.1:8081/feed", False),
        (["127.0.0.1:8080"], "http://2130706433:8080/feed", True),  # the same address and port
        (["127.0.0.1:8080"], "http://loop.example:8080/feed", True),  # resolves to a listed address
        (["127.0.0.1:8080"], "http://loop.example:6379/", False),
        (["127.0.0.1"], "http://127.0.0.1:6379/", True),  # a bare address allows every port
        (["intranet.example"], "http://intranet.example:9000/rss", True),
        (["Intranet.Example:9000"], "https://intranet.example:9000/rss", True),
        (["intranet.example:9000"], "http://intranet.example:9001/rss", False),
        (["intranet.example"], "http://other.example/rss", False),
        (["[::1]:8080"], "http://[::1]:8080/feed", True),
        (["::1"], "http://[::1]:7000/feed", True),
        (["[::1]:8080"], "http://[::1]:8081/feed", False),
        (["localhost:8080"], "http://localhost:8080/feed", True),
        (["localhost:8080"], "http://127.0.0.1:6379/", False),
        (["localhost:8080"], "http://127.0.0.1:8080/", True),  # localhost is 127.0.0.1, whatever DNS says
        (["127.0.0.1:8080"], "http://mixed.example:8080/", False),  # the public answer is not listed
    ],
)
def test_allow_hosts_permits_only_what_it_lists(
    allow_hosts: list[str], url: str, allowed: bool, names: StubResolver
) -> None:
    names.table |= {"intranet.example": ["10.1.1.1"], "other.example": ["10.2.2.2"]}
    if allowed:
        check_url(url, allow_hosts=allow_hosts, resolver=names)
    else:
        with pytest.raises(BlockedURLError):
            check_url(url, allow_hosts=allow_hosts, resolver=names)


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("feeds.example", ("feeds.example", None)),
        ("Feeds.Example:8443", ("feeds.example", 8443)),
        ("127.0.0.1:80", ("127.0.0.1", 80)),
        ("[::1]:8080", ("::1", 8080)),
        ("[::1]", ("::1", None)),
        ("fd00::1", ("fd00::1", None)),
    ],
)
def test_allow_entry_is_host_with_optional_port(entry: str, parsed: tuple[str, int | None]) -> None:
    assert parse_allow_entry(entry) == parsed


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("localhost", "127.0.0.1"),
        ("news.example", None),
        ("cafe.be", None),
        ("1.example", None),
    ],
)
def test_ip_host_in_any_numeric_form_is_read_as_its_address(host: str, address: str | None) -> None:
    parsed = parse_ip_host(host)
    assert (str(parsed) if parsed else None) == address


def test_a_name_is_resolved_once_and_by_the_given_resolver_only(
    names: StubResolver, no_real_name_lookups: list[str]
) -> None:
    target = vet_url("https://news.example/feed?x=1", resolver=names)
    assert (target.host, target.port, target.addresses, target.path) == ("news.example", 443, (PUBLIC_IP,), "/feed?x=1")
    assert names.asked == ["news.example"]
    assert no_real_name_lookups == []


def test_non_ascii_host_and_path_are_sent_in_ascii(names: StubResolver) -> None:
    names.table["xn--61b3bh3a5ab.xn--h2brj9c"] = [PUBLIC_IP]
    target = vet_url("https://समाचार.भारत/देश/खबर 1", resolver=names)
    assert target.host == "xn--61b3bh3a5ab.xn--h2brj9c"
    assert target.path.isascii() and " " not in target.path


def spellings(address: ipaddress.IPv4Address) -> list[str]:
    """Ways a URL can write one IPv4 address that a C resolver reads back as that address."""
    value = int(address)
    octets = str(address).split(".")
    return [
        str(address),
        str(value),
        hex(value),
        ".".join(f"0{int(octet):o}" for octet in octets),
        ".".join(hex(int(octet)) for octet in octets),
        f"{octets[0]}.{value & 0xFFFFFF}",
        f"[::ffff:{address}]",
        f"[::ffff:{value >> 16:x}:{value & 0xFFFF:x}]",
    ]


PRIVATE_V4 = st.sampled_from(["10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"])


@given(network=PRIVATE_V4, offset=st.integers(min_value=0, max_value=2**24 - 1))
def test_every_spelling_of_a_private_address_is_refused(network: str, offset: int) -> None:
    block = ipaddress.IPv4Network(network)
    address = block.network_address + offset % block.num_addresses
    for host in spellings(address):
        with pytest.raises(BlockedURLError):
            check_url(f"http://{host}/", resolver=StubResolver())


@given(value=st.integers(min_value=0, max_value=2**32 - 1))
def test_numeric_spellings_read_back_as_the_same_address(value: int) -> None:
    address = ipaddress.IPv4Address(value)
    for host in spellings(address)[:6]:
        assert parse_ip_host(host) == address


def test_a_name_that_does_not_resolve_is_a_network_error_not_a_refusal(no_real_name_lookups: list[str]) -> None:
    with pytest.raises(FetchError) as caught:
        check_url("https://no-such-host.invalid/feed")  # the system resolver, refused by the test guard
    assert not isinstance(caught.value, BlockedURLError)
    assert no_real_name_lookups == ["no-such-host.invalid"]
