# scripts: set-up and tests, the cron pipelines (daily, monthly, event,
# national), the style check, sample generators
EXTRA_DIST += \
	scripts/check-style \
	scripts/crontab.example \
	scripts/daily \
	scripts/daily-sample.conf \
	scripts/event \
	scripts/gen-national \
	scripts/gen-sample.py \
	scripts/monthly \
	scripts/national \
	scripts/run-sample \
	scripts/setup \
	scripts/test \
	.ci/run
