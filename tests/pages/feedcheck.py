"""Parse a feed the way a reader would (xml.etree; feedparser is not installed) and check its shape."""

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

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
    return {"title": root.findtext(f"{ATOM}title"), "entries": entries}
