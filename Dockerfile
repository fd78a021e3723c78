# syntax=docker/dockerfile:1.7
#
# One image recipe for every Baton process. Pick the process with the SERVICE build argument:
#
#   docker build --build-arg SERVICE=worker        -t baton-worker .
#   docker build --build-arg SERVICE=ingester      -t baton-ingester .
#   docker build --build-arg SERVICE=dashboard     -t baton-dashboard .
#   docker build --build-arg SERVICE=pod-simulator -t baton-pod-simulator .
#
# docker-compose.yml builds it once per service. There is no compile step: the services run their
# TypeScript sources with tsx, which is one of their runtime dependencies.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------
# Stage 1: install the whole workspace from the lockfile, then cut a production-only tree for SERVICE.
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
ARG SERVICE=worker
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    npm_config_store_dir=/pnpm/store \
    CI=true
RUN npm i -g pnpm@10
WORKDIR /src

# Dependency layer first (cached until the lockfile changes): `pnpm fetch` needs only the lockfile.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --frozen-lockfile

COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline \
 && pnpm deploy --filter "@baton/${SERVICE}" --prod --legacy /out \
 && test -f /out/src/main.ts

# ---------------------------------------------------------------------------------------------------
# Stage 2: the runtime. Only the service's package, its production dependencies (workspace packages
# copied in), and the health probe. Files stay owned by root; the process runs as the unprivileged
# `node` user (uid 1000) that the official image provides.
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=worker
ENV NODE_ENV=production \
    BATON_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /out/ /app/
COPY docker/healthcheck.mjs /app/docker-healthcheck.mjs
USER node

# The probe reads the service's own port variable (OPS_PORT, DASHBOARD_PORT or SIM_PORT), or
# HEALTHCHECK_URL when set. Slim images have no curl, so it is plain node.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker-healthcheck.mjs"]

CMD ["node", "--import", "tsx", "src/main.ts"]
