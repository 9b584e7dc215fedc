"""Read a feed the way a feed reader would, and check its shape.

Every feed goes through feedparser (what RSS readers and many aggregators are
built on): it must parse without complaint (``bozo`` unset) and find the same
entries as the structural reading with xml.etree that the tests assert on.
"""

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import feedparser


def read_as_a_reader(content, kind, count):
    parsed = feedparser.parse(content)
    assert not parsed.bozo, f"feedparser: {parsed.get('bozo_exception')}"
    assert parsed.version == kind, parsed.version
    assert len(parsed.entries) == count
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith("http")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
    return parsed


ATOM = "{http://www.w3.org/2005/Atom}"


def parse_rss(content):
    """[{title, link, guid, description, pubDate (aware datetime), categories}] of an RSS 2.0 feed."""
    root = ET.fromstring(content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in ("title", "link", "description"):
        assert (channel.findtext(tag) or "").strip(), f"channel 缺少 {tag}"
    assert channel.findtext("language") == "zh-CN"
    items = []
    for item in channel.findall("item"):
        row = {tag: item.findtext(tag) for tag in ("title", "link", "guid", "description")}
        row["pubDate"] = parsedate_to_datetime(item.findtext("pubDate"))
        row["categories"] = [c.text for c in item.findall("category")]
        assert row["title"] and row["link"].startswith("http")
        items.append(row)
    read_as_a_reader(content, "rss20", len(items))
    return {"title": channel.findtext("title"), "link": channel.findtext("link"), "items": items}


def parse_atom(content):
    root = ET.fromstring(content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated"):
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), f"feed 缺少 {tag}"
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        row = {tag: entry.findtext(f"{ATOM}{tag}") for tag in ("title", "id", "updated", "summary")}
        row["link"] = entry.find(f"{ATOM}link").get("href")
        assert row["title"] and row["id"] and row["updated"], row
        entries.append(row)
    read_as_a_reader(content, "atom10", len(entries))
    return {"title": root.findtext(f"{ATOM}title"), "entries": entries}
