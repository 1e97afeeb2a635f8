# newsdesk: `make run` starts the live app, `make test` runs every test.
# Both install missing system packages first (scripts/ensure-deps.sh).

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
RELEASE_DIR = $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)
ARGS ?=

.PHONY: all deps build run test fuzz soak flood sanitize sanitize-thread sanitize-address bench bench-quick screenshot clean

all: build

deps:
	@./scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

## Build and start the live app (pass options with ARGS="--seed 7 --speed 5").
run: build
	@$(BIN_DIR)/newsdesk $(ARGS)

## Build and run every test: unit, property and end-to-end against the built binary,
## then each fuzz target for 8 s (libFuzzer + AddressSanitizer) to catch regressions.
test: build
	NEWSDESK_BIN=$(BIN_DIR)/newsdesk $(SWIFT) test
	./scripts/fuzz.sh 8

## Fuzz the recording reader, the importer and the query parser, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 300
fuzz: deps
	./scripts/fuzz.sh $(FUZZ_SECONDS)

## Every test under ThreadSanitizer and under AddressSanitizer (the binary tests run the
## sanitized binary too), in build folders of their own: a few minutes each. Not in CI:
## see DECISIONS.md.
sanitize: sanitize-thread sanitize-address

sanitize-thread: deps
	$(SWIFT) build --sanitize=thread --build-path .build/tsan
	NEWSDESK_SANITIZED=1 TSAN_OPTIONS="halt_on_error=0 suppressions=$(CURDIR)/Tests/tsan-suppressions.txt" NEWSDESK_BIN=$(CURDIR)/.build/tsan/debug/newsdesk $(SWIFT) test --sanitize=thread --build-path .build/tsan

sanitize-address: deps
	$(SWIFT) build --sanitize=address --build-path .build/asan
	NEWSDESK_SANITIZED=1 ASAN_OPTIONS=detect_leaks=0 NEWSDESK_BIN=$(CURDIR)/.build/asan/debug/newsdesk $(SWIFT) test --sanitize=address --build-path .build/asan

## A soak of the view at --speed 50 with the history at its bound (SOAK_MINUTES, 30).
SOAK_MINUTES ?= 30
soak: deps
	$(SWIFT) build -c release --product newsdesk
	$(SWIFT) build -c release --product NewsdeskHTTP
	./scripts/soak.sh $(SOAK_MINUTES) $(RELEASE_DIR)/newsdesk

## One source flooding beside two healthy ones, in the view, recording (FLOOD_SECONDS, 60).
FLOOD_SECONDS ?= 60
flood: deps
	$(SWIFT) build -c release --product newsdesk
	$(SWIFT) build -c release --product NewsdeskHTTP
	./scripts/flood.sh $(FLOOD_SECONDS) $(RELEASE_DIR)/newsdesk

## Benchmarks in release mode, side by side with the competitors (slow: minutes).
bench: deps
	$(SWIFT) build -c release --product newsdesk-bench
	$(SWIFT) build -c release --product newsdesk
	$(SWIFT) build -c release --product NewsdeskHTTP
	$(RELEASE_DIR)/newsdesk-bench --newsdesk $(RELEASE_DIR)/newsdesk --write-doc docs/benchmarks.md
	./scripts/bench-http.sh $(RELEASE_DIR)/newsdesk

## A short benchmark run (under a minute), for a quick check.
bench-quick: deps
	$(SWIFT) build -c release --product newsdesk-bench
	$(SWIFT) build -c release --product newsdesk
	$(SWIFT) build -c release --product NewsdeskHTTP
	$(RELEASE_DIR)/newsdesk-bench --quick --newsdesk $(RELEASE_DIR)/newsdesk

## The README's picture of the view (docs/newsdesk.svg), from a real tmux capture of it.
screenshot: build
	./scripts/screenshot.sh $(BIN_DIR)/newsdesk docs/newsdesk.svg

clean:
	$(SWIFT) package clean
