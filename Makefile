# boxnet — one static multicall binary. See README.md.
#
#   make                      build/boxnet: static, stripped, musl, CONFIG=default
#   make CONFIG=minimal       another applet selection (configs/*.config)
#   make LIBMNL=system        glibc build linked with the system libmnl
#   make LIBMNL=/x/libmnl.a   static build linked with that libmnl (LIBMNL_INC=dir)
#   make SANITIZE=1           glibc build with ASan+UBSan (what the tests also use)
#   make check                every test: unit (cmocka) and integration (root)
#   make demo | bench | install PREFIX=/usr [INSTALL_BIN=built binary] | clean
#   (install also puts the OCI hook's hooks.d file in HOOKSDIR, default
#   PREFIX/share/containers/oci/hooks.d: podman and CRI-O read /usr/share/...)

CONFIG   ?= default
LIBMNL   ?=
SANITIZE ?=
PREFIX   ?= /usr/local
HOOKSDIR ?= $(PREFIX)/share/containers/oci/hooks.d
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo 0)

WARN   := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation
DEFS   := -D_GNU_SOURCE

ifeq ($(SANITIZE),1)
  CC      := gcc
  FLAVOR  := $(CONFIG)-asan
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDOPT   := -fsanitize=address,undefined
  ifeq ($(LIBMNL),system)
    DEFS += -DUSE_SYSTEM_LIBMNL
    LIBS := -lmnl
    FLAVOR := $(CONFIG)-asan-libmnl
  endif
else ifeq ($(LIBMNL),system)
  CC      := gcc
  FLAVOR  := $(CONFIG)-glibc
  OPT     := -O2
  DEFS    += -DUSE_SYSTEM_LIBMNL
  LIBS    := -lmnl
else
  CC      := musl-gcc
  FLAVOR  := $(CONFIG)
  # size first (-Oz): link-time optimisation across files, position-dependent code
  # (a static binary is loaded where it was linked: Debian's default PIE only
  # costs longer address loads and relocated tables), and no page padding
  # between code and read-only data (nothing for RELRO to protect)
  OPT     := -Oz -flto -fno-pie -ffunction-sections -fdata-sections \
             -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector
  LDOPT   := -static -no-pie -s -flto=auto -Oz -Wl,--gc-sections -Wl,--build-id=none \
             -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--no-eh-frame-hdr
  KINC    := build/kinc
  DEFS    += -DBOXNET_BUMP_ALLOC -DBOXNET_SMALL_LIBC
  ifneq ($(LIBMNL),)
    DEFS   += -DUSE_SYSTEM_LIBMNL -isystem $(or $(LIBMNL_INC),$(dir $(LIBMNL))../include)
    LIBS   := $(LIBMNL)
    FLAVOR := $(CONFIG)-libmnl
  endif
endif

OUT      := build/$(FLAVOR)
CFG      := configs/$(CONFIG).config
SYMS     := $(shell sed -n 's/^CONFIG_\([A-Z0-9_]*\)=y.*/\1/p' $(CFG) 2>/dev/null)
APPLETS  := $(shell echo $(SYMS) | tr A-Z a-z)
LIB      := $(wildcard lib/*.c)
CORE     := $(wildcard core/*/*.c)
NETLINK  := $(wildcard netlink/*.c netlink/fw/*.c)
# a front end may have a second file, applets/NAME_*.c
SRCS     := applets/main.c applets/err.c $(APPLETS:%=applets/%.c) \
            $(foreach a,$(APPLETS),$(wildcard applets/$(a)_*.c)) $(CORE) $(NETLINK) $(LIB)
OBJS     := $(SRCS:%.c=$(OUT)/%.o)
INC      := -I. -I$(OUT) -Ibuild $(if $(KINC),-isystem $(KINC))

all: build/boxnet

build/boxnet: $(OUT)/boxnet
	cp $< $@

$(OUT)/boxnet: $(OBJS)
	$(CC) $(LDOPT) -o $@ $(OBJS) $(LIBS)

$(OUT)/%.o: %.c $(OUT)/config.h | $(KINC) build/.deps-build
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(OPT) $(INC) -MMD -MP -c -o $@ $<

# version.h changes only when `git describe` does, so main.o is rebuilt then
build/version.h: FORCE
	@mkdir -p build
	@v='#define BOXNET_VERSION "$(VERSION)"'; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@
$(OUT)/applets/main.o: build/version.h

# config.h: ENABLE_X and IF_X(...) for every applet and front end of applets/applets.def
$(OUT)/config.h: $(CFG) applets/applets.def
	@test -f $(CFG) || { echo "no such config: $(CFG)" >&2; exit 1; }
	@mkdir -p $(OUT)
	@sed -n 's/^\(APPLET\|FRONTEND\)([a-z0-9]*, *\([A-Z0-9_]*\),.*/\2/p' applets/applets.def | \
	  while read s; do \
	    if grep -q "^CONFIG_$$s=y" $(CFG); then \
	      printf '#define ENABLE_%s 1\n#define IF_%s(...) __VA_ARGS__\n' $$s $$s; \
	    else printf '#define ENABLE_%s 0\n#define IF_%s(...)\n' $$s $$s; fi; \
	  done > $@.tmp && mv $@.tmp $@

# musl-gcc does not search the kernel's UAPI headers: give it just those three
build/kinc:
	@mkdir -p $@
	ln -sfn /usr/include/linux $@/linux
	ln -sfn /usr/include/asm-generic $@/asm-generic
	ln -sfn /usr/include/$(shell gcc -print-multiarch)/asm $@/asm

build/.deps-%: tests/deps.sh
	@mkdir -p build
	sh tests/deps.sh $*
	@touch $@

-include $(OBJS:.o=.d)

# --- tests --------------------------------------------------------------------

UNIT_CFLAGS := $(WARN) -D_GNU_SOURCE -DBOXNET_VERSION='"test"' -O1 -g -I. -Ibuild/unit \
	       -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_LIBS   := -fsanitize=address,undefined -lcmocka
UNIT_TESTS  := $(patsubst tests/unit/%.c,build/unit/%,$(filter-out tests/unit/mnl_scenarios.c,$(wildcard tests/unit/test_*.c)))
UNIT_CODE   := $(filter-out netlink/mnl.c,$(LIB) $(CORE) $(NETLINK))
UNIT_OBJS   := $(UNIT_CODE:%.c=build/unit/%.o)

build/unit/%.o: %.c | build/.deps-test
	@mkdir -p $(dir $@)
	gcc $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

# Our libmnl subset and the scenarios compiled against it are renamed own_mnl_*
# so that one test binary can hold both implementations and compare their bytes.
build/unit/mnl-own.o: netlink/mnl.c | build/.deps-test
	@mkdir -p build/unit
	gcc $(UNIT_CFLAGS) -c -o $@.tmp.o $<
	nm $@.tmp.o | awk '$$3 ~ /^mnl_/ {print $$3, "own_" $$3}' | sort -u > build/unit/mnl.syms
	objcopy --redefine-syms=build/unit/mnl.syms $@.tmp.o $@ && rm $@.tmp.o
build/unit/scen-own.o: tests/unit/mnl_scenarios.c build/unit/mnl-own.o
	gcc $(UNIT_CFLAGS) -DSCENARIOS=scenarios_own -c -o $@.tmp.o $<
	objcopy --redefine-syms=build/unit/mnl.syms $@.tmp.o $@ && rm $@.tmp.o
build/unit/scen-sys.o: tests/unit/mnl_scenarios.c | build/.deps-test
	gcc $(UNIT_CFLAGS) -DUSE_SYSTEM_LIBMNL -DSCENARIOS=scenarios_sys -c -o $@ $<
build/unit/test_mnl: tests/unit/test_mnl.c build/unit/mnl-own.o build/unit/scen-own.o build/unit/scen-sys.o
	gcc $(UNIT_CFLAGS) -o $@ $^ -lmnl $(UNIT_LIBS)

# the other unit tests link the code under test with our libmnl subset
build/unit/test_%: tests/unit/test_%.c $(UNIT_OBJS) build/unit/mnl-plain.o
	gcc $(UNIT_CFLAGS) -o $@ $< $(UNIT_OBJS) build/unit/mnl-plain.o $(UNIT_LIBS) $(UNIT_LDEXTRA)
build/unit/test_nl: UNIT_LDEXTRA := -Wl,--wrap=mnl_socket_sendto,--wrap=mnl_socket_recvfrom
# ipnetns' subcommand table is the applet's: its test links the applet (no main())
build/unit/test_netns: build/unit/applets/ipnetns.o
build/unit/test_netns: UNIT_LDEXTRA := build/unit/applets/ipnetns.o
build/unit/mnl-plain.o: netlink/mnl.c | build/.deps-test
	@mkdir -p build/unit
	gcc $(UNIT_CFLAGS) -c -o $@ $<

-include $(UNIT_OBJS:.o=.d) build/unit/applets/ipnetns.d

# test-only programs (tests/tools/NAME.c) built like the unit tests, for
# integration tests that drive one layer directly
build/tools/%: tests/tools/%.c $(UNIT_OBJS) build/unit/mnl-plain.o
	@mkdir -p build/tools
	gcc $(UNIT_CFLAGS) -o $@ $< $(UNIT_OBJS) build/unit/mnl-plain.o -fsanitize=address,undefined

# The integration suite runs against the static binary and against a glibc
# build linked with the system libmnl under ASan+UBSan.
SAN_BIN := build/$(CONFIG)-asan-libmnl/boxnet
ifneq ($(SANITIZE),1)
$(SAN_BIN): FORCE
	@$(MAKE) --no-print-directory SANITIZE=1 LIBMNL=system $@
endif

check-unit: $(UNIT_TESTS)
	sh tests/check.sh $(UNIT_TESTS)

TOOLS := $(patsubst tests/tools/%.c,build/tools/%,$(wildcard tests/tools/*.c))
# the tests also look at the smallest configuration, and every documented
# build must keep building (glibc -O2 warns about things -Os does not)
ifneq ($(CONFIG),minimal)
TOOLS += build/minimal/boxnet
build/minimal/boxnet: FORCE
	@$(MAKE) --no-print-directory CONFIG=minimal $@
endif
ifeq ($(LIBMNL)$(SANITIZE),)
TOOLS += build/$(CONFIG)-glibc/boxnet
build/$(CONFIG)-glibc/boxnet: FORCE
	@$(MAKE) --no-print-directory LIBMNL=system $@
endif

check-integration: build/boxnet $(SAN_BIN) $(TOOLS) | build/.deps-test
	sh tests/check.sh -- build/$(CONFIG)/boxnet $(SAN_BIN)

check: build/boxnet $(UNIT_TESTS) $(SAN_BIN) $(TOOLS) | build/.deps-test
	sh tests/check.sh $(UNIT_TESTS) -- build/$(CONFIG)/boxnet $(SAN_BIN)

FORCE:

bench: build/boxnet | build/.deps-test build/.deps-bench
	for c in configs/*.config; do $(MAKE) --no-print-directory CONFIG=$$(basename $$c .config) build/$$(basename $$c .config)/boxnet; done
	sh tests/bench/run.sh

demo: build/boxnet | build/.deps-test
	sh tests/demo.sh build/boxnet

# INSTALL_BIN: the binary install copies; an existing file named here is
# installed as it is, without a build (the tests install a copy, so that a
# commit meanwhile does not relink the binary other tests are running)
INSTALL_BIN ?= build/boxnet
install: $(INSTALL_BIN) install-hooks
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/boxnet
	for a in $$($(INSTALL_BIN) --list); do ln -sf boxnet $(DESTDIR)$(PREFIX)/bin/$$a; done

# podman's and CRI-O's hooks.d (oci-hooks(5)): the OCI hook, at prestart and
# poststop, for every container annotated boxnet.network
install-hooks:
ifneq ($(filter ocihook,$(APPLETS)),)
	install -d $(DESTDIR)$(HOOKSDIR)
	printf '%s\n' '{' '  "version": "1.0.0",' \
	  '  "hook": { "path": "$(PREFIX)/bin/boxnet", "args": ["boxnet", "ocihook"] },' \
	  '  "when": { "annotations": { "^boxnet\\.network$$": ".+" } },' \
	  '  "stages": ["prestart", "poststop"]' '}' >$(DESTDIR)$(HOOKSDIR)/boxnet.json
endif

clean:
	rm -rf build

.PRECIOUS: build/.deps-%
.SECONDARY:
.PHONY: all check check-unit check-integration bench demo install install-hooks clean build/boxnet FORCE
