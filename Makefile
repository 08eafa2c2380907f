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
LOCALEDIR ?= $(PREFIX)/share/locale
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -DLOCALEDIR='"$(LOCALEDIR)"'
CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes $(OPT) $(SAN)
LDFLAGS  += $(SAN)
LIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS))

# Three layers (STYLE.md), arrows pointing down: cli -> render -> engine.
ENGINE_SRC = $(wildcard src/engine/*.c)
RENDER_SRC = $(wildcard src/render/*.c)
CLI_SRC    = $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
UNIT_SRC   = $(wildcard tests/unit/*.c)
HEADERS    = $(wildcard include/tcpsim/*.h src/*/*.h tests/unit/*.h)
FUZZ_SRC   = $(wildcard tests/fuzz/*.c)

ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
RENDER_OBJ = $(RENDER_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ    = $(CLI_SRC:%.c=$(BUILD)/%.o) $(RENDER_OBJ)
UNIT_OBJ   = $(UNIT_SRC:%.c=$(BUILD)/%.o)

# The tests never depend on the machine's locale: tcpsim speaks English
# unless a test asks for Chinese (--lang zh_CN, or its own LANG).
export LC_ALL = C.UTF-8
unexport LC_MESSAGES LANGUAGE

# Message catalogs (GNU gettext): po/LANG.po compiled beside the program,
# where it finds them when run from the build tree.
LINGUAS = zh_CN
MO = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/tcpsim.mo)

all: tcpsim

# A copy renamed over ./tcpsim, not written into it: a running ./tcpsim
# keeps its old file, and make does not fail with "Text file busy".
tcpsim: $(BUILD)/tcpsim $(MO)
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/tcpsim tcpsim.tmp && mv -f tcpsim.tmp tcpsim; fi

$(BUILD)/tcpsim: $(BUILD)/src/cli/main.o $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/unit_tests: $(UNIT_OBJ) $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

$(BUILD)/locale/%/LC_MESSAGES/tcpsim.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template of every message shown: _(), N_() and ngettext in the
# front end and renderers, and the engine's reason strings, which the
# engine hands out untranslated (po/extract.sh says how).
po/tcpsim.pot: po/extract.sh $(wildcard src/*/*.c src/*/*.h include/tcpsim/*.h)
	sh po/extract.sh $@

pot: po/tcpsim.pot
	msgmerge --quiet --update --backup=none --no-wrap po/zh_CN.po po/tcpsim.pot

$(BUILD)/tests/%.o: tests/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

FUZZ_TARGETS = command scenario engine files packetdrill
FUZZ_SECONDS ?= 60

# A fuzz target replayed over files without libFuzzer (for the suite).
$(BUILD)/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The same target linked with libFuzzer (make fuzz builds it with clang).
$(BUILD)/fuzzer_%: $(BUILD)/tests/fuzz/fuzz_%.o $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# The suite of one build: the layers' includes, unit tests (Check, with the property test), the
# command-line tests, the JSON log and capture against tshark, the linux
# profile against the kernel's recordings (tests/oracle), the golden
# pictures and their pages in headless Chromium (screenshots in
# $(BUILD)/pictures), the fuzz
# corpora and past findings, then every scenario with its expectations and
# expected transcript.
suite: $(BUILD)/unit_tests $(BUILD)/tcpsim $(MO) $(FUZZ_TARGETS:%=$(BUILD)/replay_%)
	sh tests/layers/check.sh
	sh tests/lang/catalog.sh $(BUILD)/tcpsim
	sh tests/lang/install.sh
	CK_FORK=no $(BUILD)/unit_tests
	sh tests/cli/errors.sh $(BUILD)/tcpsim
	sh tests/cli/badinput.sh $(BUILD)/tcpsim
	sh tests/cli/help.sh $(BUILD)/tcpsim
	sh tests/cli/repl.sh $(BUILD)/tcpsim
	sh tests/lang/repl.sh $(BUILD)/tcpsim
	sh tests/cli/session.sh $(BUILD)/tcpsim
	sh tests/quiz/run.sh $(BUILD)/tcpsim
	sh tests/quiz/tmux.sh $(BUILD)/tcpsim
	sh tests/cli/lesson.sh $(BUILD)/tcpsim
	sh tests/cli/profiles.sh $(BUILD)/tcpsim
	if [ "$(BUILD)" = build ]; then sh tests/cli/busy.sh "$(MAKE)"; fi
	sh tests/outputs/files.sh $(BUILD)/tcpsim
	sh tests/packetdrill/run.sh $(BUILD)/tcpsim
	python3 tests/outputs/verify.py $(BUILD)/tcpsim scenarios/*.tcpsim tests/outputs/*.tcpsim
	python3 tests/oracle/compare.py $(BUILD)/tcpsim
	sh tests/pictures/export.sh $(BUILD)/tcpsim
	python3 tests/pictures/svgcheck.py $(BUILD)/tcpsim
	python3 tests/pictures/browser.py $(BUILD)/tcpsim $(BUILD)/pictures
	$(BUILD)/replay_command tests/fuzz/corpus/command/*
	$(BUILD)/replay_scenario scenarios/*.tcpsim tests/fuzz/corpus/scenario/*
	$(BUILD)/replay_engine tests/fuzz/corpus/engine/*
	$(BUILD)/replay_files tests/fuzz/corpus/files/*
	$(BUILD)/replay_packetdrill tests/packetdrill/*.pkt tests/fuzz/corpus/packetdrill/*
	$(BUILD)/tcpsim --check scenarios/*.tcpsim
	$(BUILD)/tcpsim --lang zh_CN --check scenarios/zh/*.tcpsim
	python3 tests/lang/width.py $(BUILD)/tcpsim
	python3 tests/lang/english.py $(BUILD)/tcpsim

# Everything: the suite, the suite again under ASan and UBSan, and the
# scenario library under valgrind memcheck.  The last line is
# "N passed, N failed".
check: suite asan valgrind

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" suite

valgrind: $(BUILD)/tcpsim
	valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all \
	    $(BUILD)/tcpsim --check scenarios/*.tcpsim
	valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all \
	    $(BUILD)/tcpsim --packetdrill tests/packetdrill/*.pkt
	valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all \
	    $(BUILD)/tcpsim --lang zh_CN --check scenarios/zh/*.tcpsim

# libFuzzer, FUZZ_SECONDS per target, from the committed corpora and the
# scenarios; new inputs go to build/fuzz/corpus/TARGET, findings to
# build/fuzz/TARGET-crash-*.  Commit a finding to tests/fuzz/corpus/TARGET
# with its fix.  Every target runs even when one finds something; the
# last line names those that did.  An input's work is bounded in engine
# events (tests/fuzz/budget.h), so -timeout catches only a real hang.
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	    $(FUZZ_TARGETS:%=build/fuzz/fuzzer_%)
	@mkdir -p $(FUZZ_TARGETS:%=build/fuzz/corpus/%)
	cp scenarios/*.tcpsim build/fuzz/corpus/scenario/
	cp scenarios/*.tcpsim build/fuzz/corpus/files/
	cat scenarios/*.tcpsim | grep -v '^#' | sort -u | split -l 1 - build/fuzz/corpus/command/line-
	@found=; for t in $(FUZZ_TARGETS); do \
	    build/fuzz/fuzzer_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=60 -rss_limit_mb=2048 \
	        -print_final_stats=1 -artifact_prefix=build/fuzz/$$t- build/fuzz/corpus/$$t \
	        tests/fuzz/corpus/$$t || found="$$found $$t"; \
	done; \
	if [ -n "$$found" ]; then echo "fuzz: findings in:$$found (see build/fuzz/*-crash-*)"; exit 1; fi; \
	echo "fuzz: no findings in $(FUZZ_TARGETS)"

# Speed and memory on this machine, against the targets of issues 5 and
# 16.  A measurement, not a test: it is not part of make check.
$(BUILD)/bench: $(BUILD)/tests/bench/bench.o $(BUILD)/tests/bench/scale.o $(CLI_OBJ) $(ENGINE_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

bench: $(BUILD)/bench $(BUILD)/tcpsim
	$(BUILD)/bench $(BUILD)/tcpsim scenarios/*.tcpsim

install: tcpsim
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	cp tcpsim $(DESTDIR)$(PREFIX)/bin/tcpsim
	cp doc/tcpsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/tcpsim.1
	for l in $(LINGUAS); do \
	    mkdir -p $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    cp $(BUILD)/locale/$$l/LC_MESSAGES/tcpsim.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tcpsim.mo || exit 1; \
	    if [ -f doc/$$l/tcpsim.1 ]; then \
	        mkdir -p $(DESTDIR)$(PREFIX)/share/man/$$l/man1 && \
	        cp doc/$$l/tcpsim.1 $(DESTDIR)$(PREFIX)/share/man/$$l/man1/tcpsim.1 || exit 1; \
	    fi; \
	done

clean:
	rm -rf build tcpsim

.SECONDARY:

.PHONY: all tcpsim suite check asan valgrind fuzz bench install clean pot
