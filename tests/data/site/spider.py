"""The spider that tests/test_integration_scrapy.py runs with ``scrapy runspider``.

It starts at the fixture site's index, follows every link there and yields one item per page:
``{"url": ..., "text": ...}``, the text being the page's block elements, one per line. When
``-a stats_path=FILE`` is given it writes the crawl's stats there as JSON when the spider closes.
"""

import json
from pathlib import Path

import scrapy

# Leaf block elements: each becomes one line of the item's text.
BLOCKS = "//body//*[self::h1 or self::h2 or self::h3 or self::p or self::li][not(.//p or .//li)]"


class FixtureSiteSpider(scrapy.Spider):
    name = "fixture-site"

    def __init__(self, start_url: str, stats_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.stats_path = stats_path

    def parse(self, response):
        for href in response.css("li a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_page)

    def parse_page(self, response):
        lines = [block.xpath("normalize-space(string(.))").get() for block in response.xpath(BLOCKS)]
        yield {"url": response.url, "text": "\n".join(line for line in lines if line)}

    def closed(self, reason):
        if self.stats_path:
            stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
            Path(self.stats_path).write_text(json.dumps(stats, indent=1, sort_keys=True), encoding="utf-8")
