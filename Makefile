# tsdown: streaming downsampling of time series.
# `make help` lists the targets.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
OPT     ?= -O2
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wpointer-arith -Wcast-qual -Wvla -Wno-unused-parameter
CFLAGS  ?= $(OPT) -g
CPPFLAGS += -D_GNU_SOURCE -Ilib $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
PKGS    := cmocka rdkafka
LDLIBS  := -lm

# Variant build trees: build/rel (default), build/san (sanitizers).
V       ?= rel
ifeq ($(V),san)
# the sanitizer build also runs the portable kernels (no AVX2 clones), so
# make check tests the code path that make test does not reach on AVX2
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DTSD_NO_CLONES
OPT      := -O1
endif
ifdef WERROR
WARN += -Werror
endif
B       := build/$(V)
ALLCFLAGS = $(CFLAGS) $(WARN) $(SANFLAGS) -MMD -MP

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB     := $(B)/libtsd.a
TOOL_SRC := $(sort $(wildcard tool/*.c))
TOOL_OBJ := $(TOOL_SRC:%.c=$(B)/%.o)
TOOLLIB := $(B)/libtsdtool.a
CMD_SRC := $(sort $(wildcard cmd/*.c))
TOOLS   := $(CMD_SRC:cmd/%.c=%)
BINS    := $(TOOLS:%=$(B)/bin/%)
UT_SRC  := $(sort $(wildcard tests/test_*.c))
UTS     := $(UT_SRC:tests/%.c=$(B)/tests/%)
MAN1    := $(wildcard man/man1/*.1)
MAN5    := $(wildcard man/man5/*.5)
MAN7    := $(wildcard man/man7/*.7)

DEB_PKGS := libcmocka-dev librdkafka-dev libmicrohttpd-dev gnuplot-nox kcat pkg-config \
            groff-base chromium file procps bc time \
            dpkg-dev fakeroot lintian rcs m4 systemd \
            libsqlite3-dev sqlite3 libpq-dev postgresql
BENCH_PKGS := python3-numpy python3-pywt hyperfine feedgnuplot mawk time

.PHONY: all help deps test test-x11 check bench unit cli install uninstall deb clean demo model fuzz fuzz-tools fuzz-clang mutate
.DEFAULT_GOAL := all
.SECONDARY:

all: $(BINS) ## build the library and every tool into build/rel/bin (make deps first on a new machine)

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed 's/:.*## /\t/' | expand -t 12

deps: ## install the Debian packages the build and the tests need, when missing (test and demo run it)
	@sh scripts/deps.sh $(DEB_PKGS)

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(B)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itool $(ALLCFLAGS) -c -o $@ $<

$(B)/tool/%.o: tool/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

# the web page is built into plotweb.o (.incbin)
$(B)/tool/plotweb.o: tool/plotpage.html

$(TOOLLIB): $(TOOL_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: $(B)/cmd/%.o $(TOOLLIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -o $@ $< $(TOOLLIB) $(LIB) $(LDLIBS) $(LDLIBS_$*)

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(B)/tests/test_%: $(B)/tests/test_%.o $(LIB)
	$(CC) $(ALLCFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS) $(LDLIBS_test_$*)

# tools with extra libraries
LDLIBS_tsconsume := -lrdkafka
LDLIBS_tsproduce := -lrdkafka
LDLIBS_tsbroker  := -lrdkafka
LDLIBS_tsplot    := -lmicrohttpd
LDLIBS_tscore    := -pthread
# the stores load libsqlite3 and libpq when they open a database (lib/dynlib.h):
# no tool links them; test_store opens SQLite files of its own
STORE_LIBS := -ldl -pthread
LDLIBS_tsconsume += $(STORE_LIBS)
LDLIBS_tsstore   := $(STORE_LIBS)
LDLIBS_tsquery   := $(STORE_LIBS)
LDLIBS_test_store := $(STORE_LIBS) -lsqlite3
LDLIBS_test_dynlib := $(STORE_LIBS)

unit: $(UTS) ## build and run the cmocka unit tests
	@sh scripts/run-unit.sh $(UTS)

cli: $(BINS) ## run the command-line tests
	@TSD_BIN=$(CURDIR)/$(B)/bin bash scripts/run-cli.sh tests/cli/*.sh

test: ## build with -Werror and run every test (unit and command line)
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory WERROR=1 unit cli

check: ## run every test under AddressSanitizer and UBSan
	@$(MAKE) --no-print-directory deps
	@# leaks are errors in the library (unit tests); a tool's memory at exit
	@# is returned by the kernel, so the command-line tests do not count it
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory V=san WERROR=1 unit
	@ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory V=san WERROR=1 cli

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := reader kdec coefwin
# whole tools run in-process by tests/fuzz/fuzz_tool.c, one per family:
# conversion, windowing (paa, sax, dwt), downsamplers (lttb, sdt), and the
# coefficient readers (thresh, merge, tscore)
FUZZ_TOOLS := tsconv paa sax dwt lttb sdt thresh merge tscore
FUZZ_CC := clang -g -O1 -fsanitize=address,undefined -fsanitize-coverage=inline-8bit-counters,indirect-calls,trace-cmp,pc-table \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -Ilib -Itool -I. -I/usr/include/postgresql
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) $(patsubst %,build/fuzz/obj/tool/%.o,tool progress winloop dstool coefloop pool)
FUZZ_WRAP := -Wl,--wrap=exit,--wrap=fclose,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
fuzz-clang:
	@command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)"; exit 2; }
build/fuzz/obj/%.o: %.c | fuzz-clang
	@mkdir -p $(@D)
	$(FUZZ_CC) -c -o $@ $<
build/fuzz/fuzz_tool_%: tests/fuzz/fuzz_tool.c cmd/%.c $(FUZZ_OBJ)
	$(FUZZ_CC) -fsanitize=fuzzer -DFUZZ_$*=1 -DFUZZ_TOOL=$* -c -o build/fuzz/obj/fuzz_tool_$*.o tests/fuzz/fuzz_tool.c
	$(FUZZ_CC) -Dmain=fuzz_tool_main -c -o build/fuzz/obj/cmd_$*.o cmd/$*.c
	clang -fsanitize=fuzzer,address,undefined $(FUZZ_WRAP) -o $@ build/fuzz/obj/fuzz_tool_$*.o build/fuzz/obj/cmd_$*.o \
		$(FUZZ_OBJ) -lm -lpthread $(STORE_LIBS)
fuzz-tools: fuzz-clang $(BINS) $(FUZZ_TOOLS:%=build/fuzz/fuzz_tool_%) ## fuzz whole tools in-process (FUZZ_SECONDS each; part of make fuzz)
	@B=$(CURDIR)/$(B) bash scripts/fuzz-corpus.sh build/fuzz
	@set -e; for t in $(FUZZ_TOOLS); do \
		echo "fuzz_tool_$$t: $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=0 build/fuzz/fuzz_tool_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 \
			-artifact_prefix=build/fuzz/crash-tool-$$t- build/fuzz/corpus_tool_$$t 2>build/fuzz/fuzz_tool_$$t.log || \
			{ tail -40 build/fuzz/fuzz_tool_$$t.log; exit 1; }; \
		tail -1 build/fuzz/fuzz_tool_$$t.log; \
	done
fuzz: fuzz-clang $(BINS) fuzz-tools ## fuzz the reader, the Kafka payload decoder, coefficient windows and whole tools with libFuzzer (FUZZ_SECONDS each)
	@mkdir -p build/fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
			-Ilib -I/usr/include/postgresql -o build/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) -lm $(STORE_LIBS); \
	done
	@B=$(CURDIR)/$(B) bash scripts/fuzz-corpus.sh build/fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
			-artifact_prefix=build/fuzz/crash-$$t- build/fuzz/corpus_$$t 2>build/fuzz/fuzz_$$t.log || \
			{ tail -40 build/fuzz/fuzz_$$t.log; exit 1; }; \
		tail -1 build/fuzz/fuzz_$$t.log; \
	done

mutate: ## plant the bugs of tests/mutants/list one at a time; each must fail a test (MUTANTS=names to pick)
	@bash scripts/mutate.sh tests/mutants/list $(MUTANTS)

# gnuplot-x11 conflicts with gnuplot-nox: it is unpacked into build/x11,
# not installed; its libraries are
X11_PKGS := xvfb x11-apps netpbm libwxgtk3.2-1 libwxbase3.2-1 liblua5.4-0 libgd3 libedit2
test-x11: all ## the live gnuplot window (x11) under Xvfb, with screenshots (installs xvfb, unpacks gnuplot-x11)
	@sh scripts/deps.sh $(X11_PKGS)
	@GP=$$(sh scripts/x11-gnuplot.sh build/x11) && TSD_GNUPLOT_X11=$(CURDIR)/$$GP \
		GNUPLOT_DRIVER_DIR=$(CURDIR)/build/x11/root/usr/lib/gnuplot \
		TSD_BIN=$(CURDIR)/$(B)/bin bash scripts/run-cli.sh tests/x11/*.sh

bench: all ## run the benchmarks, each beside a same-run reference
	@sh scripts/deps.sh $(BENCH_PKGS)
	@B=$(CURDIR)/$(B) scripts/bench.sh

model: all ## retrain models/default.tsdm and models/candidates.tsdm from scratch (about 7 minutes on one core)
	@B=$(CURDIR)/$(B) sh scripts/train-model.sh
	@B=$(CURDIR)/$(B) NAME=candidates TSTRAIN_ARGS='-w 1024 -J 7 --greedy 1 --peak 1 --candidates 4' \
		sh scripts/train-model.sh
	@$(MAKE) --no-print-directory all

demo: ## the main job: downsample bundled NAB data and plot it
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@B=$(CURDIR)/$(B) scripts/demo.sh

install: all ## install under $(DESTDIR)$(PREFIX): tsdown on PATH, the tools in lib/tsdown/bin, never overwriting a file it did not install
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' BINDIR='$(BINDIR)' MANDIR='$(MANDIR)' \
		sh scripts/install.sh install $(B)/bin

uninstall: ## remove exactly the files install wrote (its manifest, $(PREFIX)/lib/tsdown/manifest)
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' BINDIR='$(BINDIR)' MANDIR='$(MANDIR)' \
		sh scripts/install.sh uninstall

deb: all ## build the Debian package build/tsdown_VERSION_ARCH.deb (dpkg-deb) and check it with lintian
	@B=$(CURDIR)/$(B) sh scripts/deb.sh

clean: ## remove build outputs
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
