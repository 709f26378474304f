# tests/guests.mk - builds the end-to-end guest corpus.
#
# Every tests/guest/<name>.c (riscv64-linux-gnu-gcc) and <name>.cc
# (riscv64-linux-gnu-g++) is built three ways into $(GUEST_OUT):
#   <name>.static       -static -O2
#   <name>.static-pie   -static-pie -O2 -fPIE (see below)
#   <name>.dynamic      -O2 (dynamically linked against the cross glibc)
# Optional tests/guest/<name>.args (one argument per line) and <name>.stdin are
# read by tests/e2e.rs at run time, not here.
#
# Included by the top Makefile, or standalone:
#   make -f tests/guests.mk guests        (from the repository root; -jN is fine)
#   make -f tests/guests.mk clean-guests
# Pattern rules keep the build incremental: a binary is rebuilt when its source
# or this file changes. Outputs are written to a temporary name and renamed, so
# an interrupted or parallel build never leaves a half-written binary.

# Remember whether a goal was already chosen by an including Makefile, so that
# including this file does not make `guests` the default goal there.
GUEST_MK := $(lastword $(MAKEFILE_LIST))
_GUEST_PREV_DEFAULT_GOAL := $(.DEFAULT_GOAL)

GUEST_SRC := tests/guest
GUEST_OUT := build/guests

GUEST_CC ?= riscv64-linux-gnu-gcc
GUEST_CXX ?= riscv64-linux-gnu-g++
GUEST_CFLAGS ?= -O2 -g0 -Wall -Wextra -Wno-unused-parameter -std=gnu17
GUEST_CXXFLAGS ?= -O2 -g0 -Wall -Wextra -Wno-unused-parameter -std=gnu++17
GUEST_LIBS ?= -lm

GUEST_MODES := static static-pie dynamic
GUEST_FLAGS_static := -static
GUEST_FLAGS_dynamic :=
# Debian 12's riscv64 gcc 12 / glibc 2.36 cannot link static PIEs on their
# own (no rcrt1.o, no _dl_relocate_static_pie in libc.a, and gcc's riscv link
# spec ignores -static-pie), so the link is spelled out: static libraries,
# -pie, no PT_INTERP, and our self-relocating start-up object
# (tests/guest/support/rcrt1.c) found as rcrt1.o through -B. The result is
# what a real static-pie is: an ET_DYN executable without an interpreter that
# relocates itself wherever it is loaded.
GUEST_RCRT1 := $(GUEST_OUT)/support/rcrt1.o
GUEST_FLAGS_static-pie := -static-pie -fPIE -B$(GUEST_OUT)/support/ -Wl,-static -Wl,-pie -Wl,--no-dynamic-linker

GUEST_C_NAMES := $(sort $(basename $(notdir $(wildcard $(GUEST_SRC)/*.c))))
GUEST_CXX_NAMES := $(sort $(basename $(notdir $(wildcard $(GUEST_SRC)/*.cc))))
GUEST_NAMES := $(GUEST_C_NAMES) $(GUEST_CXX_NAMES)
GUEST_BINS := $(foreach n,$(GUEST_NAMES),$(foreach m,$(GUEST_MODES),$(GUEST_OUT)/$(n).$(m)))

# Per-program extra libraries (pattern-specific, so they apply to all modes).
$(GUEST_OUT)/atomics.%: GUEST_LIBS += -latomic

.PHONY: guests clean-guests
guests: $(GUEST_BINS)

clean-guests:
	rm -rf $(GUEST_OUT)

$(GUEST_OUT) $(GUEST_OUT)/support:
	mkdir -p $@

$(GUEST_RCRT1): $(GUEST_SRC)/support/rcrt1.c $(GUEST_MK) | $(GUEST_OUT)/support
	$(GUEST_CC) -O2 -fPIE -fno-stack-protector -fno-jump-tables -ffreestanding -fno-builtin -c -o $@.tmp $<
	mv -f $@.tmp $@

# Every static-pie binary is linked with the start-up object.
$(foreach n,$(GUEST_NAMES),$(GUEST_OUT)/$(n).static-pie): $(GUEST_RCRT1)

# $(1) = mode, $(2) = compiler variable, $(3) = flags variable, $(4) = source suffix
define GUEST_RULE
$$(GUEST_OUT)/%.$(1): $$(GUEST_SRC)/%.$(4) $$(GUEST_SRC)/support/report.h $$(GUEST_MK) | $$(GUEST_OUT)
	$$($(2)) $$($(3)) $$(GUEST_FLAGS_$(1)) -o $$@.tmp $$< $$(GUEST_LIBS)
	mv -f $$@.tmp $$@
endef

$(foreach m,$(GUEST_MODES),$(eval $(call GUEST_RULE,$(m),GUEST_CC,GUEST_CFLAGS,c)))
$(foreach m,$(GUEST_MODES),$(eval $(call GUEST_RULE,$(m),GUEST_CXX,GUEST_CXXFLAGS,cc)))

# Standalone (`make -f tests/guests.mk`): default to `guests`. Included: give
# the default goal back to the including Makefile.
ifeq ($(firstword $(MAKEFILE_LIST)),$(GUEST_MK))
.DEFAULT_GOAL := guests
else
.DEFAULT_GOAL := $(_GUEST_PREV_DEFAULT_GOAL)
endif
