#!/usr/bin/env bash
# A shell pipe: an app writes pino lines to stdout, pino-cloudwatch ships them to CloudWatch Logs,
# and --tee hands them on unchanged to the next command (cat here; pino-pretty in real life).
#
#   bash examples/cli-pipe.sh      against logbeam-local, started in the background (no AWS account)
#   AWS_ENDPOINT_URL=http://127.0.0.1:4566 bash examples/cli-pipe.sh      against that endpoint
#
# In a project that depends on logbeam, the pipe reads:
#   node app.js | npx pino-cloudwatch --log-group-name my-app --tee | npx pino-pretty
# (--endpoint URL, --region and --profile exist too; here the AWS_* environment says it all.)
set -euo pipefail

cd "$(dirname "$0")/.."
group=logbeam-examples
stream="cli-pipe/$(date -u +%Y-%m-%dT%H-%M-%SZ)-$$"

if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  out=$(mktemp)
  node dist/local/main.js --port 0 >"$out" &
  local_pid=$!
  trap 'kill "$local_pid" 2>/dev/null; rm -f "$out"' EXIT
  # It prints "logbeam-local listening on http://127.0.0.1:PORT" once it is ready.
  for _ in $(seq 100); do
    grep -q 'listening on' "$out" && break
    sleep 0.1
  done
  AWS_ENDPOINT_URL=$(sed -n 's/^logbeam-local listening on //p' "$out")
  if [ -z "$AWS_ENDPOINT_URL" ]; then echo 'logbeam-local did not start' >&2; exit 1; fi
  export AWS_ENDPOINT_URL AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
fi

node -e '
  const logger = require("pino")()
  logger.info("import started")
  logger.info({ rows: 1250 }, "rows imported")
  logger.warn({ skipped: 3 }, "rows skipped")
' | node dist/cli/main.js --log-group-name "$group" --log-stream-name "$stream" --tee | cat

node examples/lib/print-stored.js "$group" "$stream"
