# drillbot: production image. Runs node directly (no npm in between), as a
# non-root user, with production dependencies only. Debian (glibc), not
# Alpine: @resvg/resvg-js and the FSRS binding ship linux-x64-gnu builds.
#   docker build -t drillbot .
#   docker run --env-file .env drillbot                                     # adapters (Discord/Slack; exits 2 without a token)
#   docker run --env-file .env drillbot node --import tsx bots/main.ts worker  # scheduled jobs
# NODE_IMAGE lets a machine without Docker Hub build on a mirrored copy.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    METRICS_PORT=9464 \
    DRILLBOT_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY core ./core
COPY bots ./bots
COPY content ./content
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# The app's files stay root-owned (read-only to the bot); only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
# 9464: /metrics, /healthz, /readyz (and /admin/queues when enabled). 3000: Slack HTTP mode (/slack/events).
EXPOSE 9464 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# The base image's entrypoint script is not needed: node is PID 1 and gets SIGTERM itself.
ENTRYPOINT []
CMD ["node", "--import", "tsx", "bots/main.ts", "bot"]
