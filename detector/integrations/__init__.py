"""Optional integrations: Scrapy, datatrove and Spark, each behind its own extra.

Nothing is imported here, so ``import detector`` never pulls in a framework. Import the one you
need; a missing extra raises :class:`detector.errors.MissingExtraError` with the exact
``pip install`` command.

- ``detector.integrations.scrapy``: ``DetectorPipeline`` and ``DetectorAddon`` (``detector[scrapy]``)
- ``detector.integrations.datatrove``: ``DetectorFilter`` (``detector[datatrove]``)
- ``detector.integrations.spark``: ``clean_partitions``, ``output_schema``, ``clean_dataframe`` (``detector[spark]``)
"""
