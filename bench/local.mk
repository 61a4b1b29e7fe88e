# benchmarks (bench/README.md): run by hand, never by make check
EXTRA_DIST += \
	bench/README.md \
	bench/all.sh \
	bench/bid.sh \
	bench/cbl-accuracy.sh \
	bench/cbl.sh \
	bench/csvread.c \
	bench/fetch.sh \
	bench/forecast-lbnl.sh \
	bench/forecast.sh \
	bench/gen-national.c \
	bench/import.sh \
	bench/notify.sh \
	bench/pulse2kwh.sh \
	bench/settle.sh \
	bench/track-lag.c \
	bench/track-replay.sh \
	bench/track.sh
