# syntax=docker/dockerfile:1
# Aurora Router server image.
#
#   docker build -t aurora-router .
#   docker run -p 8080:8080 -v aurora-data:/data \
#     -e AURORA_API_KEYS='<a random key of 16+ characters>:default:route+read' aurora-router
#
# The container listens on 0.0.0.0, and the server refuses a non-loopback address without API keys
# (anyone reaching the port could deploy on your provider accounts): set AURORA_API_KEYS or
# api_keys in router.yaml. See docs/operations.md.

ARG NODE_IMAGE=node:24-slim

# ---- build: install the workspace, compile every package, then a pruned production copy of the CLI
FROM ${NODE_IMAGE} AS build
ENV CI=true COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN corepack enable && corepack prepare pnpm@10.34.8 --activate
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build
# @aurora/cli carries @aurora/server (`aurora serve`) and the adapters; --legacy because the
# workspace does not inject its packages.
RUN pnpm --filter @aurora/cli --prod deploy --legacy /app

# ---- runtime: Node and the pruned app only, as an unprivileged user
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    AURORA_HOST=0.0.0.0 \
    AURORA_PORT=8080 \
    AURORA_CONFIG_DIR=/etc/aurora \
    AURORA_SQLITE_PATH=/data/aurora.db
WORKDIR /app
COPY --from=build /app /app
COPY config/providers.yaml config/router.yaml /etc/aurora/
# The image's `node` user (uid 1000), numeric so Kubernetes can verify runAsNonRoot.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
# The SQLite ledger (the default, one replica). Several replicas use AURORA_DATABASE_URL instead.
VOLUME ["/data"]
EXPOSE 8080
# The server drains requests in flight, stops its loops and closes the ledger on SIGTERM.
STOPSIGNAL SIGTERM
# slim has no curl: ask with Node's fetch. /health is public unless server.public_endpoints says otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.AURORA_PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/aurora.js"]
CMD ["serve"]
