# tcpsim - build, test, install.  `make` leaves the program at ./tcpsim.
.SUFFIXES:

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
PKGS      = readline jansson libpcap
TEST_PKGS = check

PKG_CONFIG ?= pkg-config
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L
CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes $(OPT) $(SAN)
LDFLAGS  += $(SAN)
LIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS))
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS))

ENGINE_SRC = $(wildcard src/engine/*.c)
CLI_SRC    = $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
UNIT_SRC   = $(wildcard tests/unit/*.c)
HEADERS    = $(wildcard include/tcpsim/*.h src/*/*.h tests/unit/*.h)

ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ    = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ   = $(UNIT_SRC:%.c=$(BUILD)/%.o)

all: tcpsim

tcpsim: $(BUILD)/tcpsim
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/tcpsim tcpsim; fi

$(BUILD)/tcpsim: $(BUILD)/src/cli/main.o $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/unit_tests: $(UNIT_OBJ) $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

$(BUILD)/tests/%.o: tests/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

# Unit tests (Check), the command-line tests, then every scenario with
# its expectations and expected transcript; the last line is the summary.
check: $(BUILD)/unit_tests $(BUILD)/tcpsim
	CK_FORK=no $(BUILD)/unit_tests
	sh tests/cli/errors.sh $(BUILD)/tcpsim
	sh tests/cli/repl.sh $(BUILD)/tcpsim
	sh tests/cli/session.sh $(BUILD)/tcpsim
	sh tests/outputs/files.sh $(BUILD)/tcpsim
	python3 tests/outputs/verify.py $(BUILD)/tcpsim scenarios/*.tcpsim tests/outputs/*.tcpsim
	$(BUILD)/tcpsim --check scenarios/*.tcpsim

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check

install: tcpsim
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	cp tcpsim $(DESTDIR)$(PREFIX)/bin/tcpsim
	cp doc/tcpsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/tcpsim.1

clean:
	rm -rf build tcpsim

.PHONY: all tcpsim check asan install clean
