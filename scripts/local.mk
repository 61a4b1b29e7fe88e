# scripts: set-up, pipelines, style check
EXTRA_DIST += scripts/setup scripts/test scripts/run-sample scripts/check-style scripts/gen-sample.py .ci/run
