# Jikji: run the site, test it, measure it.
GO ?= go
# staticcheck from PATH, else where `go install` puts it (.ci/run does).
STATICCHECK ?= $(or $(shell command -v staticcheck 2>/dev/null),$(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/staticcheck)

.PHONY: run test lint test-race test-load build bench screenshot fmt

run:
	$(GO) run ./cmd/jikji serve

build:
	CGO_ENABLED=0 $(GO) build -o bin/jikji ./cmd/jikji

# Everything: the checks, the race-checked suite (SQLite, PostgreSQL,
# browser), then the load-sized tests, which a race detector would slow 25-fold.
test: lint test-race test-load

# A tidy module (no stray or falsely indirect requirements), vet and
# staticcheck, all clean.
lint:
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(STATICCHECK) ./...

test-race:
	$(GO) test -race -timeout 20m ./...

test-load:
	$(GO) test -tags load -run 'Load' -timeout 20m ./...

bench:
	$(GO) run ./cmd/jikjibench

# Screenshots for the README, taken by headless Chromium: the seed article on
# a desktop, and home, article and newsroom editor on a phone and a desktop.
screenshot:
	JIKJI_SCREENSHOT=$(CURDIR)/docs/article.png JIKJI_SCREENSHOT_DIR=$(CURDIR)/docs $(GO) test -run 'TestScreenshot|TestBrowserPhoneEdition' -count=1 ./cmd/jikji

fmt:
	gofmt -w .
