# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: run test build release deb install bench clean

## Install missing packages, build, and start triaged on 127.0.0.1:8080 with SQLite in ./triage-data.
run:
	scripts/install-deps
	$(SWIFT) build --product triaged
	$(SWIFT) build --product triagectl
	$$($(SWIFT) build --show-bin-path)/triaged

## Install test packages and run the whole test suite: unit, integration and abuse tests,
## 300,000 libFuzzer inputs per parser (seed 1), then the Debian package under a real systemd 252 in a container.
test:
	scripts/install-deps --test
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/run-tests
	SWIFT=$(SWIFT) scripts/fuzz --check
	SWIFT=$(SWIFT) scripts/make-deb
	scripts/system-test

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product triaged
	$(SWIFT) build -c release --product triagectl

## dist/triage_<version>_amd64.deb: static Swift runtime, man pages, completions, maintainer scripts.
deb:
	scripts/install-deps --package
	$(SWIFT) build
	SWIFT=$(SWIFT) scripts/make-deb

## Install the package on this machine, exactly as an operator would (needs root).
install: deb
	apt-get install -y --allow-downgrades ./$$(ls -t dist/triage_*_amd64.deb | head -1)

## Benchmarks on a release build; numbers go into the README.
bench: release
	bench/run

clean:
	rm -rf .build .build-deb dist triage-data
