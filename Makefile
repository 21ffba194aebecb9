# Dropgate: `make run` starts it, `make test` runs every test. See README.md.
SWIFT ?= swift
PYTHON ?= python3
RELEASE_BIN := .build/release/dropgate
PREFIX ?= /usr/local

.PHONY: run test build release install unit interop fuzz lint format bench bench-presign bench-http bench-store bench-gateway bench-clients bench-sweep bench-accounts bench-zip bench-pages deps-run deps-test clean
FUZZ_SECONDS ?= 60

# Starts the gateway on http://localhost:5001 with its embedded store (settings-development.json).
run: deps-run release
	$(RELEASE_BIN) serve --env development

# Installs the CLI as $(PREFIX)/bin/dropgate (PREFIX=/usr/local unless set: make install PREFIX=$HOME/.local).
install: release
	install -d "$(PREFIX)/bin"
	install -m 0755 $(RELEASE_BIN) "$(PREFIX)/bin/dropgate"

test: deps-test
	bash scripts/test.sh

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product dropgate

unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test

interop: build
	DROPGATE_BIN="$$($(SWIFT) build --show-bin-path)/dropgate" $(PYTHON) -m pytest -q Tests/interop

fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

bench: bench-presign bench-http bench-store bench-gateway bench-clients bench-sweep bench-accounts bench-zip bench-pages

bench-presign: release
	$(RELEASE_BIN) bench presign

bench-http: release
	bash scripts/bench-http.sh

bench-clients: release
	bash scripts/bench-clients.sh

deps-run:
	@bash scripts/install-deps.sh run

deps-test:
	@bash scripts/install-deps.sh test

clean:
	rm -rf .build

bench-store: release
	bash scripts/bench-store.sh

bench-gateway: release
	bash scripts/bench-gateway.sh

bench-pages: release
	bash scripts/bench-pages.sh

bench-sweep: release
	$(RELEASE_BIN) bench sweep

bench-accounts: release
	$(RELEASE_BIN) bench accounts

bench-zip: release
	$(PYTHON) scripts/bench_zip.py $(RELEASE_BIN)
