# lurid: `make serve` sets everything up on a fresh machine, then serves the API on 127.0.0.1:8000;
# `make test` sets up the same way, then runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit lock install serve test test-browser screenshots gate model evaluate benchmark load soak soak-ci peers fuzz redos-audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/python -m service

test: $(STAMP)
	$(BIN)/python -m pytest -q

# the triage page in a real Chromium (tests/browser/): Playwright from PyPI drives Debian's chromium, installed
# with apt-get when missing (never `playwright install`); LURID_BROWSER_TESTS=required turns the skips into failures
CHROMIUM ?= /usr/bin/chromium
BROWSER_STAMP := $(VENV)/.installed-browser

$(BROWSER_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	touch $(BROWSER_STAMP)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

test-browser: $(BROWSER_STAMP) $(CHROMIUM)
	LURID_BROWSER_TESTS=required LURID_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/browser

# docs/triage-*.png from the real server (benchmarks/screenshots.py)
screenshots: $(BROWSER_STAMP) $(CHROMIUM)
	LURID_CHROMIUM=$(CHROMIUM) $(BIN)/python benchmarks/screenshots.py

# known vulnerabilities in the locked runtime dependencies; --strict fails when a package cannot be checked
# (as here, where neither PyPI's per-release JSON nor OSV is reachable), rather than passing in silence
audit: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,audit]"
	$(BIN)/pip-audit --strict --no-deps --disable-pip -r requirements.lock

# requirements.lock from a fresh venv holding only lurid's runtime dependencies
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install --quiet .
	{ echo "# The runtime dependencies, exactly as \`pip install .\` resolved them into a fresh Python venv"; \
	  echo "# ($$(date -u +%F), $$($(PYTHON) --version)). The Docker image installs with these as constraints, and"; \
	  echo "# \`make audit\` checks them with pip-audit. Regenerate with \`make lock\` after changing pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude lurid; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

# the evaluation gate (.ci/floors.json); public-corpus measures are skipped when ../shared is missing
gate: $(STAMP)
	$(BIN)/python -m classifier.gate

model: $(STAMP)
	$(BIN)/python -m classifier.train

evaluate: $(STAMP)
	$(BIN)/python -m classifier.evaluate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

load: $(STAMP)
	$(BIN)/python benchmarks/load.py

# 10 minutes at saturation against gunicorn (benchmarks/soak.md): a worker sent SIGKILL at 200 s, while both
# hold client connections, and SIGTERM at 400 s, to the one then holding them all
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --seconds 600 --kill-at 200,400 --kill-signal KILL,TERM \
		--out benchmarks/soak.md --json benchmarks/soak.json

# CI's 30-second soak: fails on any answer but a 200 or a JSON 503, or a worker not replaced after SIGTERM;
# never on speed or memory. The report goes to a temporary directory, not the repository.
soak-ci: $(STAMP)
	out=$$(mktemp -d -t lurid-soak-ci.XXXXXX) && \
		$(BIN)/python benchmarks/soak.py --seconds 30 --window 5 --kill-at 15 --kill-signal TERM --check \
		--out $$out/soak.md --json $$out/soak.json

# side by side with peers (about 25 minutes): an embedding classifier, trafilatura and jusText
peers: $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/embeddings.py
	$(BIN)/python benchmarks/extractors.py

# coverage-guided fuzzing with atheris (fuzz/, docs/fuzzing.md): each target runs FUZZ_SECONDS from seeds
# generated on the fly (fuzz/seeds.py); a crash, hang (FUZZ_TIMEOUT s on one input) or broken invariant
# leaves its input in build/fuzz/crashes/ and fails the target. Logs: build/fuzz/TARGET.log.
FUZZ_SECONDS ?= 120
FUZZ_TIMEOUT ?= 60
FUZZ_TARGETS ?= text html feed jsonl service
FUZZ_MAX_LEN ?= 65536
# more libFuzzer options, e.g. FUZZ_OPTIONS=-len_control=0 to try long inputs from the start
FUZZ_OPTIONS ?=
FUZZ_STAMP := $(VENV)/.installed-fuzz

$(FUZZ_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,fuzz]"
	touch $(FUZZ_STAMP)

fuzz: $(FUZZ_STAMP)
	rm -rf build/fuzz/seeds && $(BIN)/python fuzz/seeds.py build/fuzz/seeds
	mkdir -p build/fuzz/crashes
	failed=""; for target in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$target; \
	  echo "fuzz_$$target: $(FUZZ_SECONDS) s"; \
	  $(BIN)/python fuzz/fuzz_$$target.py build/fuzz/corpus/$$target build/fuzz/seeds/$$target \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/$$target- $(FUZZ_OPTIONS) \
	    > build/fuzz/$$target.log 2>&1 \
	    || failed="$$failed $$target"; \
	  grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units" build/fuzz/$$target.log; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz targets failed:$$failed (see build/fuzz/*.log)"; exit 1; fi

# every regular expression in classifier/ and service/ timed on adversarial input at growing sizes
redos-audit: $(STAMP)
	$(BIN)/python fuzz/redos_audit.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
