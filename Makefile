# BackOps — build, run and test. `make run` and `make test` are the only
# set-up a newcomer needs; both install missing Debian packages first.

CC	?= cc
PKGS	 = libcmark libical libsodium json-c libxml-2.0 libmariadb
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lfcgi

WARN	 = -Wall -Wextra -Werror -Wformat=2 -Werror=format-security \
	   -Werror=implicit-function-declaration -Wshadow -Wpointer-arith \
	   -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
	   -Wundef -Wvla -Wcast-align -Wold-style-definition \
	   -Wimplicit-fallthrough -Wno-unused-parameter
HARDEN	 = -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE $(WARN) -Iapp $(PKG_CFLAGS)
CFLAGS	?= -O2 -g
LDHARDEN = -pie -Wl,-z,relro,-z,now

SRCS	:= $(sort $(wildcard app/*.c app/*/*.c))
LIBSRCS	:= $(filter-out app/main.c,$(SRCS))
UNITSRCS := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJS  := $(SRCS:%.c=build/rel/%.o)
TEST_OBJS := $(SRCS:%.c=build/test/%.o)
ASAN_OBJS := $(SRCS:%.c=build/asan/%.o)
TEST_LIBOBJS := $(LIBSRCS:%.c=build/test/%.o)
ASAN_LIBOBJS := $(LIBSRCS:%.c=build/asan/%.o)
UNIT_BINS := $(UNITSRCS:tests/unit/%.c=build/test/unit/%)
ASAN_UNIT_BINS := $(UNITSRCS:tests/unit/%.c=build/asan/unit/%)

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

.PHONY: all deps run test unit asan clean bench
all: app/backopsd

# Release binary: no test hooks (RELIABILITY T40).
app/backopsd: $(REL_OBJS)
	$(CC) $(LDHARDEN) -o $@ $(REL_OBJS) $(PKG_LIBS)

build/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(CFLAGS) -MMD -MP -c -o $@ $<

# Test binary: same code plus -DTEST_HOOKS (fault points, /__test routes).
build/test/backopsd: $(TEST_OBJS)
	$(CC) $(LDHARDEN) -o $@ $(TEST_OBJS) $(PKG_LIBS)

build/test/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(CFLAGS) -DTEST_HOOKS -MMD -MP -c -o $@ $<

build/test/unit/%: tests/unit/%.c $(TEST_LIBOBJS) tests/unit/t.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS) -DTEST_HOOKS -Itests/unit -o $@ $< \
	    $(TEST_LIBOBJS) $(PKG_LIBS)

# Sanitizer build (DESIGN §12): unit tests and the HTTP suite.
build/asan/backopsd: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_OBJS) $(PKG_LIBS)

build/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) -DTEST_HOOKS -MMD -MP -c -o $@ $<

build/asan/unit/%: tests/unit/%.c $(ASAN_LIBOBJS) tests/unit/t.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) -DTEST_HOOKS -Itests/unit -o $@ $< \
	    $(ASAN_LIBOBJS) $(PKG_LIBS)

unit: $(UNIT_BINS)
	@tests/run-unit $(UNIT_BINS)

clean:
	rm -rf build app/backopsd

-include $(shell find build -name '*.d' 2>/dev/null)

# --- set-up, run and test ----------------------------------------------------
# (tests/stack/ starts the private MariaDB + backopsd + nginx; tests/run is
# the test driver.)

# Debian packages for the build, `make run`, the test suites and the bench.
# "A|B": either will do (in bookworm nginx-light is a transitional package
# for nginx). libdata-password-zxcvbn-perl ships the common-password list.
DEB_PKGS = build-essential pkg-config libfcgi-dev libmariadb-dev \
	libjson-c-dev libxml2-dev libxml2-utils libcmark-dev libical-dev \
	libsodium-dev 'nginx-light|nginx' mariadb-server mariadb-client \
	python3 python3-pytest python3-requests python3-icalendar \
	python3-jsonschema curl tzdata procps libdata-password-zxcvbn-perl wrk \
	chromium nodejs 'npm|nodejs'

.PHONY: test-build asan-build test-asan browser-deps

# Installs only what is missing; instant when everything is there.
deps:
	@tests/stack/deps $(DEB_PKGS)

# run, test and asan build in a second make, after deps: this make read
# pkg-config's flags when it started, possibly before the -dev packages
# were installed.
run: deps
	@$(MAKE) --no-print-directory app/backopsd build/common-passwords.txt
	@tests/stack/dev

# The real-browser test drives Debian's chromium with the npm package
# playwright-core (pinned in tests/browser/package-lock.json to a release
# that runs on bookworm's Node.js 18; it downloads no browser of its own).
# "npm|nodejs": a Node.js build that bundles npm (and conflicts with
# Debian's npm package) will do.
BROWSER_DEPS = tests/browser/node_modules/playwright-core/package.json
$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	@cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
browser-deps: $(BROWSER_DEPS)

# "+": tests/run runs make itself, which then shares this make's job slots.
test: deps $(BROWSER_DEPS)
	+@tests/run

asan: deps
	+@tests/run --asan

test-asan: asan

# What tests/run builds before starting the stack.
test-build: app/backopsd build/test/backopsd $(UNIT_BINS) build/common-passwords.txt
asan-build: build/asan/backopsd $(ASAN_UNIT_BINS) build/common-passwords.txt

# AUTH-1: the shipped list of common passwords, extracted from a Debian
# package at build time (fails loudly below 10,000 entries).
build/common-passwords.txt: tests/stack/common-passwords
	@mkdir -p $(@D)
	@tests/stack/common-passwords $@

# --- make bench (issue 8) ----------------------------------------------------
# Speed and memory of the real stack against reference responders
# (tests/bench/run says what it measures). Builds the release binary
# app/backopsd (-O2) and the references with the project's flags, then
# runs the bench. Never part of `make test` or CI.
BENCH_BINS = build/bench/hello build/bench/lean_db build/bench/lean_304

build/bench/%: tests/bench/%.c tests/bench/prefork.c tests/bench/prefork.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(CFLAGS) -Itests/bench $(LDHARDEN) \
	    -o $@ $< tests/bench/prefork.c $(PKG_LIBS)

# The database references share their connection code (leandb.c).
build/bench/lean_%: tests/bench/lean_%.c tests/bench/prefork.c \
    tests/bench/prefork.h tests/bench/leandb.c tests/bench/leandb.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(HARDEN) $(CFLAGS) -Itests/bench $(LDHARDEN) \
	    -o $@ $< tests/bench/prefork.c tests/bench/leandb.c $(PKG_LIBS)

bench: deps
	@$(MAKE) --no-print-directory app/backopsd $(BENCH_BINS) build/common-passwords.txt
	@tests/bench/run
