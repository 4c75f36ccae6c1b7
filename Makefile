# The two commands the README opens with:
#   make run   -- install, migrate, load demo data, serve on http://127.0.0.1:5000
#   make test  -- install test tools and system packages, run every check and test
.PHONY: run test venv lint bench clean

VENV ?= .venv
PY := $(VENV)/bin/python

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/lint-imports

bench:
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) instance .pytest_cache build *.egg-info
