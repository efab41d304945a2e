# oscfg: the two commands a new user needs are `make demo` and `make test`.
GO      ?= go
BIN     := bin/oscfg
FLEET   ?= testdata/demo-fleet

.PHONY: all build demo test race vet fmt bench fuzz golden clean

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
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

# Speed and memory, measured in Go benchmarks (never in timed tests).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Short fuzzing run of every parser (longer: make fuzz FUZZTIME=10m).
FUZZTIME ?= 20s
fuzz:
	for p in oslo mycnf haproxy crontab; do $(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./parsers/$$p || exit 1; done

# Regenerate the golden outputs of testdata/scenarios after a deliberate
# change, and the release table's Rego and doc copies from model/release.go.
golden:
	$(GO) test ./cmd/oscfg -run TestScenarios -update
	$(GO) test ./policies -run TestReleaseTable -update

# Regenerate registry/zed.json, the oslo.config options nova and keystone
# read on Zed, from Debian's python3-nova and python3-keystone (installed
# when missing). Not part of the build: the result is committed.
.PHONY: registry
registry:
	sh tools/registry/generate.sh

clean:
	rm -rf bin
