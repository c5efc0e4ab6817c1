# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Demo mode: SQLite, a file-system Celery broker, emails to the demo mailbox only (printing
# them would push the sign-in instructions off the screen).
DEMO_ENV = DEBUG=1 SHOW_MAILBOX=1 SITE_URL=http://$(ADDRESS) \
	EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
ADDRESS ?= 127.0.0.1:8000

.PHONY: run test install install-dev system-packages chromium lint format messages check-messages worker beat web migrate clean

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Starting a Celery worker (with beat) and the site on http://$(ADDRESS)/ (Ctrl-C stops both)."
	@$(DEMO_ENV) $(VENV)/bin/celery -A peerlearn --quiet worker --beat --pool=solo --loglevel=WARNING & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver $(ADDRESS)

test: install-dev chromium
	$(PY) -m pytest

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	@$(MAKE) --no-print-directory system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# WeasyPrint (the reports' PDFs) needs Pango and HarfBuzz and a font; installed if missing.
system-packages:
	@command -v apt-get >/dev/null || { echo "Not Debian: install Pango yourself for the reports' PDFs (see README)."; exit 0; }; \
	  missing=""; \
	  ldconfig -p | grep -q 'libpangoft2-1\.0\.so\.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || missing="$$missing libharfbuzz-subset0"; \
	  fc-list 2>/dev/null | grep -q . || missing="$$missing fonts-dejavu-core"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages for WeasyPrint:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	  fi

# Browser tests drive the system Chromium; Playwright never downloads one.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver; }

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Interface translations (needs GNU gettext). The compiled .mo files are committed, so
# running the site never needs gettext.
LANGUAGES_OTHER = fr es ru pt
MESSAGE_IGNORE = --ignore '.venv/*' --ignore 'var/*' --ignore 'static/*' --ignore 'tests/*'
messages: install
	$(PY) manage.py makemessages --no-location $(MESSAGE_IGNORE) $(foreach l,$(LANGUAGES_OTHER),-l $(l))
	$(foreach l,$(LANGUAGES_OTHER),msgfmt -c -o locale/$(l)/LC_MESSAGES/django.mo locale/$(l)/LC_MESSAGES/django.po &&) true

# Every catalogue complete, valid, and compiled to the committed .mo.
check-messages:
	@for l in $(LANGUAGES_OTHER); do 	  po=locale/$$l/LC_MESSAGES/django.po; 	  stats=$$(LC_ALL=C msgfmt -c --statistics -o /tmp/peerlearn-$$l.mo $$po 2>&1) || { echo "$$stats"; exit 1; }; 	  case "$$stats" in *untranslated*|*fuzzy*) echo "$$l: $$stats"; exit 1;; esac; 	  cmp -s /tmp/peerlearn-$$l.mo locale/$$l/LC_MESSAGES/django.mo || { echo "$$l: django.mo is not compiled from django.po (make messages)"; exit 1; }; 	done; echo "catalogues complete: $(LANGUAGES_OTHER)"

# The production processes, one per terminal (docker-compose.yml runs the same).
migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
web: install
	$(VENV)/bin/gunicorn peerlearn.wsgi --bind $(ADDRESS) --workers 3
worker: install
	$(VENV)/bin/celery -A peerlearn worker --loglevel=INFO
beat: install
	$(VENV)/bin/celery -A peerlearn beat --loglevel=INFO

clean:
	rm -rf $(VENV) var

# --- page weight ---
# Rewrites static/vendor/bootstrap-5.3.9/bootstrap.trimmed.min.css (needs npm).
trim-css: install
	npm install --silent --no-save --no-audit --no-fund --prefix var/node purgecss@7
	NODE_PATH=var/node/node_modules node static/vendor/trim_bootstrap.cjs \
	  "$$($(PY) -c 'import crispy_bootstrap5, os; print(os.path.dirname(crispy_bootstrap5.__file__))')"
