# Dropgate: `make run` starts it, `make test` runs every test. See README.md.
SWIFT ?= swift
PYTHON ?= python3
RELEASE_BIN := .build/release/dropgate

.PHONY: run test build release unit interop lint format bench deps-run deps-test clean

run: deps-run release
	$(RELEASE_BIN) --help

test: deps-test unit interop

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product dropgate

unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test

interop: build
	DROPGATE_BIN="$$($(SWIFT) build --show-bin-path)/dropgate" $(PYTHON) -m pytest -q Tests/interop

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

bench: release
	$(RELEASE_BIN) bench presign

deps-run:
	@bash scripts/install-deps.sh run

deps-test:
	@bash scripts/install-deps.sh test

clean:
	rm -rf .build
