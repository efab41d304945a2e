# oscfg: the two commands a new user needs are `make demo` and `make test`.
GO      ?= go
BIN     := bin/oscfg
FLEET   ?= testdata/demo-fleet

.PHONY: all build demo test race vet fmt bench fuzz golden docs rule clean release man

all: build

build:
	$(GO) build -o $(BIN) ./cmd/oscfg

# Lint the shipped example fleet: every seed incident, one host each.
# oscfg exits 1 when it finds something at or above medium; that is the
# point of the demo, so it does not fail make.
demo: build
	@echo "== oscfg lint $(FLEET)"
	@./$(BIN) lint $(FLEET); status=$$?; echo "(oscfg exit status $$status: 0 clean, 1 findings, 2 input error)"; [ $$status -le 1 ]

# The test command CI runs (.ci/run): vet, then every test with the race
# detector. Parser cross-checks use the real haproxy and my_print_defaults
# when they are installed (.ci/run installs them).
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

# Speed and memory, measured in Go benchmarks (never in timed tests), then
# oscfg's whole process side by side with conftest on 1 host, 1,000 and
# 10,000 hosts and 1,000 controllers (tools/bench/bench.sh; installs
# conftest into the user cache dir). The per-rule breakdown is left out
# (a few minutes): make bench-rules. docs/performance.md has the results.
# BenchmarkLargeFile (loader/) lints generated files of 1k..1M lines per
# kind; OSCFG_BENCH_MAXLINES=100000 make bench stops it earlier.
bench:
	$(GO) test -run '^$$' -bench . -skip 'BenchmarkRule$$' -benchmem ./...
	sh tools/bench/bench.sh

.PHONY: bench-rules
bench-rules:
	$(GO) test -run '^$$' -bench 'BenchmarkRule/hosts=1000' -benchtime 1x ./engine

# Fuzzing from the seeds in the repository (testdata/corpus and each
# package's testdata/fuzz): every parser, then parse -> fix -> re-parse.
# Longer, on one core: make fuzz FUZZTIME=10m FUZZFLAGS='-parallel 1'.
FUZZTIME ?= 20s
FUZZFLAGS ?=
fuzz:
	for p in oslo mycnf haproxy crontab; do $(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./parsers/$$p || exit 1; done
	$(GO) test -run '^$$' -fuzz '^FuzzFix$$' -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./fixers

# Regenerate the golden outputs of testdata/scenarios and the README's sample
# output after a deliberate change, the release table's Rego and doc copies
# from model/release.go, the rules' findings over the corpus
# (testdata/corpus/FINDINGS.golden) and the rule pages (docs/rules/, from
# each rule's METADATA).
golden:
	$(GO) test ./cmd/oscfg -run 'TestScenarios|TestREADMESample' -update
	$(GO) test ./policies -run TestReleaseTable -update
	$(GO) test ./internal/rulecheck -run 'TestCorpusFindings|TestRulePages' -update

# The rule pages docs/rules/<family>/<ID>.md, from each rule's METADATA.
docs:
	$(GO) test ./internal/rulecheck -run TestRulePages -update

# Scaffold a rule: make rule FAMILY=haproxy [ID=OSC-HAP-010] creates the
# rule, its Rego test, its fixtures (testdata/rules/ID/fires, quiet) and its
# page. The scaffold finds nothing, so its tests fail until it is written.
FAMILY ?=
ID ?=
rule:
	@[ -n "$(FAMILY)" ] || { echo "usage: make rule FAMILY=<policies/ directory> [ID=OSC-XXX-NNN]"; exit 2; }
	$(GO) run ./tools/newrule -family '$(FAMILY)' -id '$(ID)'
	$(MAKE) docs

# Regenerate registry/zed.json, the oslo.config options nova and keystone
# read on Zed, from Debian's python3-nova and python3-keystone (installed
# when missing). Not part of the build: the result is committed.
.PHONY: registry
registry:
	sh tools/registry/generate.sh

# Release binaries: static (CGO off), linux/amd64 and linux/arm64, stamped
# with version, commit and the commit's date (reproducible: the same commit
# gives the same bytes), plus SHA256SUMS. VERSION defaults to git describe.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT  := $(shell git rev-parse HEAD 2>/dev/null)
DATE    := $(shell git log -1 --format=%cI 2>/dev/null)
PKG     := github.com/oscfg/oscfg/internal/buildinfo
LDFLAGS := -s -w -X $(PKG).version=$(VERSION) -X $(PKG).commit=$(COMMIT) -X $(PKG).date=$(DATE)
DIST    ?= dist
release:
	rm -rf $(DIST) && mkdir -p $(DIST)
	for arch in amd64 arm64; do \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' \
	    -o $(DIST)/oscfg-$(VERSION)-linux-$$arch ./cmd/oscfg || exit 1; \
	done
	cd $(DIST) && sha256sum oscfg-* > SHA256SUMS && cat SHA256SUMS

# The manual page, generated from the CLI's own help texts.
man: build
	./$(BIN) man > docs/oscfg.1

clean:
	rm -rf bin $(DIST)
