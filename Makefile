# One command to run the app locally, one to run the tests. See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PO := locale/ru/LC_MESSAGES/django.po
MO := locale/ru/LC_MESSAGES/django.mo
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casework
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
BENCH_SCALE ?= 1
PORT ?= 8000

.PHONY: run install install-test test messages bench bench-data

run: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# What `make run` needs: the app's dependencies and its compiled catalogue (Python only, no gettext).
install: $(VENV)/.installed $(MO)

# The test tools on top, for `make test`. Each stamp is redone when pyproject.toml changes.
install-test: install $(VENV)/.installed-test

$(PY):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Local secrets for `make run` only; production keys come from the environment (README, "Keys").
.env:
	$(PY) -m casework.keygen > $@.tmp && echo "DEBUG=1" >> $@.tmp && mv $@.tmp $@

# Babel, through casework/compilemessages.py: refuses a broken catalogue, lists fuzzy/untranslated entries.
$(MO): $(PO) casework/compilemessages.py | $(VENV)/.installed
	$(PY) -m casework.compilemessages $(PO)

# Extract new strings into the Russian catalogue (then translate them). Needs GNU gettext (xgettext).
messages: install
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	$(MAKE) $(MO)

# The whole suite on PostgreSQL, then the tests marked `sqlite` (page walks, lists, demo data) again on
# the SQLite database of `make run` (in memory), so the quick local run keeps working for every page.
test: install-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)
	DATABASE_URL=sqlite://:memory: REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m pytest -n 2 --dist loadgroup -m sqlite $(PYTEST_ARGS)

# Benchmarks (bench/README.md): generate the data once (4 to 18 min at scale 1), then measure.
bench: install
	test -f bench/out/dataset.json || $(PY) bench/generate.py --scale $(BENCH_SCALE)
	$(PY) bench/run.py

bench-data: install
	$(PY) bench/generate.py --scale $(BENCH_SCALE)
