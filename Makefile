# The few verbs the README and CI use.
PYTHON ?= python
DATA ?= training_data/docs
LINES ?= training_data/linebank
MODEL := detector/models/default.joblib

.PHONY: install test test-fast lint model bench bench-quick gate

install:  ## the package, its tests' needs and every integration extra
	$(PYTHON) -m pip install -e '.[dev,scrapy,datatrove,spark,html,warc]'

test:  ## every test, as CI runs them
	$(PYTHON) -m pytest

test-fast:  ## everything but the tests that train models, start a JVM or run subprocesses
	$(PYTHON) -m pytest -m "not slow"

lint:
	$(PYTHON) -m ruff check detector tests bench
	$(PYTHON) -m ruff format --check detector tests bench
	$(PYTHON) -m mypy detector

model:  ## rebuild the embedded default model from training_data/ (deterministic on one machine), then choose its thresholds and site-memory margin
	$(PYTHON) -m detector train $(DATA) --lines $(LINES) -o $(MODEL)
	$(PYTHON) -m detector.corpus $(DATA) $(LINES)
	$(PYTHON) -c "from detector.persistence import write_checksum; write_checksum('$(MODEL)')"
	$(PYTHON) -m pip install -q -r bench/requirements.txt
	$(PYTHON) -m bench.calibrate $(MODEL)
	$(PYTHON) -m bench.sites --choose-margin $(MODEL)

gate:  ## the quality gate alone: the default model on the held-out documents
	$(PYTHON) -m pytest tests/test_quality_gate.py -v

bench:  ## quality and speed on the ScrapingHub pages (needs ../shared or BENCH_DATA)
	$(PYTHON) -m pip install -q -r bench/requirements.txt
	$(PYTHON) -m bench

bench-quick:
	$(PYTHON) -m bench --quick
