# ReNette: two commands do everything on a fresh Debian 12 machine.
#   make run    install what is missing, start dask scheduler + workers + Voila
#   make test   install what is missing, run the R testthat suite and pytest
# Re-runs are fast: apt only runs when a package is missing, R CMD INSTALL
# only when rlib/ changed, pip only when pyproject.toml changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
ROOT := $(abspath .)
PYTHON ?= python3
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
STAMPS := $(ROOT)/.make
RLIB := $(ROOT)/.rlib
# Debian packages: R and the R packages rlib needs (DESCRIPTION Imports/Suggests
# and LinkingTo), a compiler toolchain for rlib's C++, Python, and chromium
# for the end-to-end tests. Keep in sync with environment.yml.
# libopenblas0-serial: Debian's optimised BLAS/LAPACK, single-threaded (one
# thread per dask worker); installing it makes it R's BLAS and LAPACK through
# Debian's alternatives (eigenvalues 2x, matrix products 4x faster than the
# reference BLAS; see README, "BLAS and LAPACK").
# r-cran-roxygen2: rlib/man and rlib/NAMESPACE are generated from the #' comments
# of rlib/R (`make rdocs`; tests/test_rdocs.py fails when they are stale).
APT_PACKAGES := r-base-core r-base-dev r-cran-wgcna r-cran-minerva r-cran-igraph \
	r-cran-jsonlite r-cran-testthat r-cran-rcpp r-cran-dynamictreecut r-cran-roxygen2 libopenblas0-serial \
	python3 python3-venv python3-dev chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RLIB_FILES := $(shell find rlib -type f -not -name '*.o' -not -name '*.so' 2>/dev/null)
# A stamp is only trusted while what it stands for still exists.
ifeq ($(wildcard $(PY)),)
$(shell rm -f $(STAMPS)/venv $(STAMPS)/bench)
endif
ifeq ($(wildcard $(RLIB)/renette/DESCRIPTION),)
$(shell rm -f $(STAMPS)/rlib)
endif

export R_LIBS := $(RLIB)
export RENETTE_R_LIBS := $(RLIB)
# Python's default: a module is compiled on its first import and cached beside it.
# Where the environment sets PYTHONDONTWRITEBYTECODE, every kernel, worker and
# command would compile renette_widgets and its libraries again; and pip need not
# compile all of site-packages ahead (half of its time): --no-compile below.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help setup apt test test-r test-r-report test-py test-fast run bench clean rdocs

help:
	@echo "make run    start the dashboard (installs what is missing first)"
	@echo "make test   R tests + Python tests (installs what is missing first)"
	@echo "make test-fast   the Python tests that start no cluster and no browser (~1 min)"
	@echo "make bench  benchmarks"
	@echo "make rdocs  regenerate rlib/man and rlib/NAMESPACE from the roxygen comments"

# rlib's C++ compiles while pip downloads and unpacks: the two at once.
setup: apt
	@$(MAKE) --no-print-directory -j2 $(STAMPS)/rlib $(STAMPS)/venv

# Only calls apt-get when a package is missing (dpkg-query is fast).
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMPS)/rlib: $(RLIB_FILES) | apt
	@mkdir -p $(RLIB) $(STAMPS)
	R CMD INSTALL --no-multiarch --library=$(RLIB) rlib
	@touch $@

$(STAMPS)/venv: pyproject.toml | apt
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-compile -e '.[test]'
	@touch $@

# The R suite and pytest run at the same time (pytest waits for the venv, and
# spends much of its time waiting on browsers and servers); the R suite's report
# is printed as one block when it ends, so the two do not interleave.
test: apt
	@$(MAKE) --no-print-directory -j2 test-r-report test-py

# The R API is documented once, in rlib/R's roxygen comments.
rdocs: apt
	Rscript rlib/tools/rdocs.R rlib

# testthat on the installed package; stop_on_failure makes make fail.
R_SUITE := Rscript -e 'testthat::test_dir("rlib/tests/testthat", package = "renette", load_package = "installed", stop_on_failure = TRUE, reporter = "summary")'
test-r: $(STAMPS)/rlib
	$(R_SUITE)

test-r-report: $(STAMPS)/rlib
	@echo "R suite: running beside pytest; its report follows when it ends"
	@status=0; $(R_SUITE) > $(STAMPS)/test-r.log 2>&1 || status=$$?; \
	echo "== R suite (rlib/tests/testthat) =="; cat $(STAMPS)/test-r.log; \
	echo "== R suite: $$([ $$status = 0 ] && echo passed || echo FAILED) =="; exit $$status

test-py: $(STAMPS)/venv $(STAMPS)/rlib
	$(PY) -m pytest -q -p no:cacheprovider --durations=15 tests

# What a developer runs while editing: no dask cluster, no R workers, no browser.
test-fast: $(STAMPS)/venv
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow and not e2e" tests

run: setup
	$(PY) -m renette_widgets.serve

# Benchmarks (by hand, never in make test): ratios measured in the same run,
# raw numbers in benchmarks/out/; see benchmarks/RESULTS.md, "How to read this file".
bench: setup $(STAMPS)/bench
	Rscript benchmarks/bench_distance_r.R
	@set -e; cd benchmarks; for f in bench_*.py; do echo "== $$f"; $(PY) "$$f"; done

$(STAMPS)/bench: pyproject.toml $(STAMPS)/venv
	$(PY) -m pip install -q --no-compile -e '.[test,bench]'
	@touch $@

clean:
	rm -rf $(STAMPS) $(RLIB)
