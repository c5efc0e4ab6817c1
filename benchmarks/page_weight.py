"""How many bytes the key pages of each role cost, served as in production.

Run from the project root (PostgreSQL from DATABASE_URL, Redis from REDIS_URL):
``python -m benchmarks.page_weight [--encoding br|gzip]``.

It uses the 5,000-peer initiative of benchmarks/load.py (built on first run), collects
the static files (hashed names, compressed copies) into a temporary folder and serves
them with gunicorn and WhiteNoise on 127.0.0.1 with DEBUG=0. For each page it prints the
bytes transferred on a first load (the page and every stylesheet, script and image it
references, compressed as the browser asks) and on a repeat load (the page and whatever
it references that is not cached for good: static files have hashed names and are sent
as immutable; a chart is asked again with its ETag, as a browser does once its minute
in the cache is over, and costs its "not modified" answer, or the chart if it changed).
"""

import argparse
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser

from benchmarks import served


class Assets(HTMLParser):
    """The stylesheets, scripts and images a page references."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src", "").startswith("/"):
            self.urls.append(attrs["src"])


def transfer(url, cookie, encoding, etag=None):
    """Bytes on the wire (body as sent, compressed or not) and the response."""
    headers = {"Cookie": cookie, "Accept-Encoding": encoding}
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as answer:
        if answer.code != 304:
            raise
        return sum(len(k) + len(v) + 4 for k, v in answer.headers.items()), b"", answer
    with response:
        body = response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        return len(body) + headers, body, response


def decoded(body, response):
    encoding = response.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def css_references(css):
    return [u for u in re.findall(r"url\(['\"]?(/[^'\")]+)", css) if not u.startswith("data:")]


def weigh(base, path, cookie, encoding):
    size, body, response = transfer(base + path, cookie, encoding)
    html = decoded(body, response).decode()
    parser = Assets()
    parser.feed(html)
    assets = 0
    repeat = size
    for url in parser.urls:
        asset_size, asset_body, asset_response = transfer(base + url, cookie, encoding)
        if "immutable" not in asset_response.headers.get("Cache-Control", ""):
            etag = asset_response.headers.get("ETag")
            repeat += transfer(base + url, cookie, encoding, etag)[0] if etag else asset_size
        assets += asset_size
        if url.endswith(".css"):
            for inner in css_references(decoded(asset_body, asset_response).decode()):
                assets += transfer(base + inner, cookie, encoding)[0]
    return repeat, len(html), size + assets, len(parser.urls)


def run(options):
    served.setup_django()
    initiative, users = served.world()
    cookies = served.session_cookies(users)
    print(f"Accept-Encoding: {options.encoding}; KB = 1,000 bytes on the wire, headers included")
    print(f"{'role':12} {'page':12} {'HTML KB':>8} {'assets':>6} {'first KB':>9} {'repeat KB':>9}")
    with served.gunicorn(workers=2) as (base, _server):
        for role, name, path in served.key_pages(initiative):
            repeat, raw, first, count = weigh(base, path, cookies[role], options.encoding)
            print(
                f"{role:12} {name:12} {raw / 1000:8.1f} {count:6d}"
                f" {first / 1000:9.1f} {repeat / 1000:9.1f}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoding", default="br, gzip", help="the Accept-Encoding header")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
