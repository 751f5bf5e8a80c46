# spider.py is run by `scrapy runspider` in tests/test_integration_scrapy.py; it is not a test
# module, and importing it for --doctest-modules would fail where Scrapy is not installed.
collect_ignore = ["spider.py"]
