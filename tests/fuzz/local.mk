# Fuzzing (doc/style.md, Tests).  Not part of `make check`: libFuzzer needs
# clang.  `make fuzz` builds every harness of tests/fuzz/ with
# clang -fsanitize=fuzzer,address,undefined against the library's sources
# directly, seeds a corpus per harness from testdata/ (tests/fuzz/seed.sh;
# kept in the build tree, not committed) and runs each for FUZZ_SECONDS
# (30 s).  A crash leaves its input as tests/fuzz/out/crash-* in the build
# tree and fails the target.  `make fuzz-build` only builds.  The fuzzers'
# findings stay fixed by tests/unit/check_regress.
FUZZ_CC = clang
FUZZ_SECONDS = 30
FUZZ_JOBS = 1
FUZZ_TARGETS = csv csvdiff csvform time dec sites series pulse cbl settle forecast fetch bid
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -std=gnu11 \
	-DHAVE_CONFIG_H -I$(top_builddir) -I$(top_srcdir)/lib \
	$(GSL_CFLAGS) $(CURL_CFLAGS) $(JSONC_CFLAGS) $(LIBZIP_CFLAGS) \
	$(ZLIB_CFLAGS) $(NETTLE_CFLAGS)
FUZZ_LIBS = $(CSV_LIBS) $(GSL_LIBS) $(CURL_LIBS) $(JSONC_LIBS) \
	$(LIBZIP_LIBS) $(ZLIB_LIBS) $(NETTLE_LIBS) $(LIBM)

EXTRA_DIST += \
	tests/fuzz/dict.csv \
	tests/fuzz/fuzz.h \
	tests/fuzz/fuzz_bid.c \
	tests/fuzz/fuzz_cbl.c \
	tests/fuzz/fuzz_csv.c \
	tests/fuzz/fuzz_csvdiff.c \
	tests/fuzz/fuzz_csvform.c \
	tests/fuzz/fuzz_dec.c \
	tests/fuzz/fuzz_fetch.c \
	tests/fuzz/fuzz_forecast.c \
	tests/fuzz/fuzz_pulse.c \
	tests/fuzz/fuzz_series.c \
	tests/fuzz/fuzz_settle.c \
	tests/fuzz/fuzz_sites.c \
	tests/fuzz/fuzz_time.c \
	tests/fuzz/run.sh \
	tests/fuzz/seed.sh

# Every harness, rebuilt when a library source or a harness is newer.
fuzz-build:
	@mkdir -p tests/fuzz; \
	libsrc=; for f in $(lib_libdgagg_la_SOURCES); do \
	  case $$f in *.c) libsrc="$$libsrc $(top_srcdir)/$$f" ;; esac; done; \
	for h in $(FUZZ_TARGETS); do \
	  c=$(top_srcdir)/tests/fuzz/fuzz_$$h.c; \
	  if [ -n "$$(find $$c $(top_srcdir)/tests/fuzz/fuzz.h $$libsrc \
	      -newer tests/fuzz/fuzz_$$h 2>/dev/null)" ] || \
	      [ ! -f tests/fuzz/fuzz_$$h ]; then \
	    echo "  FUZZCC   tests/fuzz/fuzz_$$h"; \
	    $(FUZZ_CC) $(FUZZ_CFLAGS) -o tests/fuzz/fuzz_$$h $$c $$libsrc \
	      $(FUZZ_LIBS) || exit 1; \
	  fi; \
	done

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) \
	  sh $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) tests/fuzz $(FUZZ_TARGETS)

clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/corpus tests/fuzz/seed tests/fuzz/out
	for h in $(FUZZ_TARGETS); do rm -f tests/fuzz/fuzz_$$h; done

.PHONY: fuzz fuzz-build clean-fuzz

# The unit tests and every golden case under valgrind (memcheck).
valgrind: check
	srcdir=$(top_srcdir) sh $(top_srcdir)/tests/valgrind.sh
.PHONY: valgrind
