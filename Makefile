# Makefile: build, run and test baodao. `make run` and `make check` work on a fresh Debian 12.
CC ?= cc
PKGS := libmicrohttpd jansson sqlite3 libsodium libzip expat xlsxwriter libqrencode libpng vips libpq libcurl
WARN := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS := -D_GNU_SOURCE -Isrc
CFLAGS ?= -O2 -g
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

Q := $(if $(V),,@)
PREFIX ?= /usr/local
DESTDIR ?=
DB ?= var/baodao.db
LISTEN ?= 127.0.0.1:8080

LIB_SRC := $(sort $(wildcard src/base/*.c src/db/*.c src/http/*.c src/domain/*.c src/api/*.c src/cli/*.c))
SQL := $(sort $(wildcard sql/sqlite/*.sql sql/postgres/*.sql))
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
FUZZERS := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

# One object tree per flavour: build/ (release) and build/asan/ (sanitizers).
OBJ := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC)) build/obj/sql_embed.o
ASAN_OBJ := $(patsubst src/%.c,build/asan/obj/%.o,$(LIB_SRC)) build/asan/obj/sql_embed.o

.PHONY: all deps run check test-unit test-api test-api-pg test-browser test-fuzz test-banned web bench fuzz install clean
all: build/baodao

deps:
	@sh scripts/deps.sh build

build/gen/sql_embed.c: $(SQL) scripts/embed-sql.sh
	@mkdir -p $(@D)
	sh scripts/embed-sql.sh sql > $@

build/obj/sql_embed.o: build/gen/sql_embed.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/baodao: $(OBJ) src/main.c
	@echo "  LINK    $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) src/main.c $(OBJ) -o $@ $(PKG_LIBS) -lpthread

build/asan/obj/sql_embed.o: build/gen/sql_embed.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -c $< -o $@

build/asan/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -c $< -o $@

build/asan/baodao: $(ASAN_OBJ) src/main.c
	@echo "  LINK    $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) src/main.c $(ASAN_OBJ) -o $@ $(PKG_LIBS) -lpthread

build/asan/%: tests/unit/%.c $(ASAN_OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) $< $(ASAN_OBJ) -o $@ $(PKG_LIBS) -lcmocka -lpthread

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	npm --prefix web ci --no-audit --no-fund
	@touch $@

# The packages are installed again only when the lock file changed (npm ci empties node_modules first).
web/dist/index.html: web/node_modules/.package-lock.json $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print 2>/dev/null)
	npm --prefix web run build

web: web/dist/index.html

# The C unit tests, built and run with AddressSanitizer and UndefinedBehaviorSanitizer.
test-unit: $(addprefix build/asan/,$(UNIT_TESTS))
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; ./build/asan/$$t; done

# The API tests drive the sanitizer build of the real server.
test-api: build/asan/baodao node_modules/.package-lock.json
	BAODAO_BIN=$(CURDIR)/build/asan/baodao node --test --test-concurrency=1 tests/api/

# The same suite on PostgreSQL 15 (a server the tests start and stop themselves).
test-api-pg: build/asan/baodao node_modules/.package-lock.json
	BAODAO_BIN=$(CURDIR)/build/asan/baodao node tests/api-postgres.mjs

test-browser: build/baodao web node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/browser/

check:
	@sh scripts/deps.sh check
	$(MAKE) test-banned
	$(MAKE) build/baodao build/asan/baodao web node_modules/.package-lock.json
	$(MAKE) test-unit
	$(MAKE) test-fuzz
	$(MAKE) test-api
	$(MAKE) test-api-pg
	@if ls tests/browser/*.test.mjs >/dev/null 2>&1; then $(MAKE) test-browser; fi
	@echo "make check: every tier passed"

run:
	@sh scripts/deps.sh build
	$(MAKE) build/baodao web node_modules/.package-lock.json
	@sh scripts/run.sh "$(DB)" "$(LISTEN)"

bench:
	@sh scripts/deps.sh bench
	$(MAKE) build/baodao node_modules/.package-lock.json
	sh bench/run.sh

# Harnesses feed the layers directly: the request harness links everything but the libmicrohttpd
# glue and the command line (it answers the header look-ups itself); the JSON one only base/.
build/fuzz/fuzz_request: FUZZ_SRC := $(filter-out src/http/server.c src/cli/%,$(LIB_SRC)) build/gen/sql_embed.c
build/fuzz/fuzz_json_spec: FUZZ_SRC := $(wildcard src/base/*.c)
build/fuzz/fuzz_sheet: FUZZ_SRC := $(wildcard src/base/*.c)
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard src/*/*.h) build/gen/sql_embed.c
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	$(Q)clang $(CPPFLAGS) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) $< $(FUZZ_SRC) -o $@ $(PKG_LIBS) -lpthread

# The banned-function rule (scripts/banned.sh), and its own test that it can fail.
test-banned:
	@sh scripts/test-banned.sh
	@sh scripts/banned.sh && echo "banned functions: none in src/, tests/unit/, tests/fuzz/"

# A short fixed run of every harness for `make check`: same seed, same seed corpus, each time.
FUZZ_CHECK_RUNS ?= 10000
test-fuzz: $(addprefix build/fuzz/,$(FUZZERS)) node_modules/.package-lock.json
	@set -e; for f in $(FUZZERS); do echo "== $$f ($(FUZZ_CHECK_RUNS) runs)"; \
		rm -rf build/fuzz/check-$$f; mkdir -p build/fuzz/check-$$f; \
		./build/fuzz/$$f -runs=$(FUZZ_CHECK_RUNS) -seed=1 -max_len=16384 -artifact_prefix=build/fuzz/crash-$$f- \
			build/fuzz/check-$$f tests/fuzz/seeds/$$f 2>build/fuzz/check-$$f.log || \
			{ tail -40 build/fuzz/check-$$f.log; exit 1; }; done

fuzz: node_modules/.package-lock.json
	@sh scripts/deps.sh fuzz
	$(MAKE) $(addprefix build/fuzz/,$(FUZZERS))
	@set -e; for f in $(FUZZERS); do echo "== $$f"; mkdir -p build/fuzz/corpus-$$f; \
		./build/fuzz/$$f -max_total_time=$${FUZZ_SECONDS:-30} -max_len=16384 build/fuzz/corpus-$$f tests/fuzz/seeds/$$f; done

# The binary, web files, region data, systemd unit and nginx example (scripts/install.sh).
install:
	@sh scripts/deps.sh build
	$(MAKE) build/baodao web node_modules/.package-lock.json
	@sh scripts/install.sh "$(DESTDIR)" "$(PREFIX)"

clean:
	rm -rf build web/dist
