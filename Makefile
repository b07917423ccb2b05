# Two commands matter: `make demo` (run the product with a demo newspaper) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The PostgreSQL pass of the suite runs when this is set (CI sets it).
AGORA_TEST_DATABASE_URL ?=

.PHONY: demo test lint bench install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,train]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/agora demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: lint
	$(BIN)/python bench/widget_size.py --check
	$(BIN)/pytest
ifneq ($(strip $(AGORA_TEST_DATABASE_URL)),)
	AGORA_DATABASE_URL=$(AGORA_TEST_DATABASE_URL) $(BIN)/pytest -m "not browser" --ignore=tests/toxicity
endif

# After changing a translatable string: refresh every locale's catalogue (needs GNU gettext's
# xgettext, `apt-get install gettext`), translate the new messages, then compile them (no msgfmt
# needed) and check that nothing is missing. See docs/languages.md.
messages: $(VENV)/.installed-test
	cd agora && AGORA_DATA_DIR=../var ../$(BIN)/django-admin makemessages --settings=agora.settings --no-location --no-obsolete \
		--ignore='toxicity/*' -l de -l fr -l es -l it -l pt_BR -l nl -l pl -l tr -l ar -l he
	$(BIN)/agora catalogs --compile --check

# Figures, not pass/fail: see the README's Benchmarks section. load.py needs wrk, instructions.py valgrind (apt-get install wrk valgrind).
bench: $(VENV)/.installed-test
	$(BIN)/python bench/widget_size.py
	$(BIN)/python bench/load.py --workers 2
	$(BIN)/python bench/instructions.py
	$(BIN)/python bench/moderation/wordlist.py
	$(BIN)/python bench/moderation/pipeline.py
	$(BIN)/python bench/moderation/workspace.py
	$(BIN)/python bench/toxicity/speed.py
	$(BIN)/python bench/live/sse.py --connections 2000 --events 5
	$(BIN)/python bench/importers/memory.py
	$(BIN)/python bench/attacks.py

clean:
	rm -rf $(VENV) var
