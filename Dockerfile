# One image recipe for every Baton process. Pick the package with PACKAGE and its entry with ENTRY:
#
#   docker build --build-arg PACKAGE=ingester      --build-arg ENTRY=dist/main.js -t baton-ingester .
#   docker build --build-arg PACKAGE=reference-bot --build-arg ENTRY=node_modules/@baton/worker/dist/main.js \
#                --build-arg SERVICE=worker -t baton-worker .
#   docker build --build-arg PACKAGE=dashboard     --build-arg ENTRY=dist/main.js -t baton-dashboard .
#   docker build --build-arg PACKAGE=pod-simulator --build-arg ENTRY=dist/main.js -t baton-pod-simulator .
#
# docker-compose.yml builds it once per Baton service (market-data runs the worker's image). The workspace is compiled (`pnpm build`, tsc) in the build
# stage; the runtime runs plain JavaScript from dist/ with `node --enable-source-maps`: no tsx, no esbuild.
# No `# syntax=` line: BuildKit's built-in Dockerfile frontend (Docker 20.10 and later) handles the cache mounts
# below, and fetching a frontend image needs a registry, which some build hosts cannot reach (docs/docker.md).
# The worker image is the reference bot's package, which depends on @baton/worker the way a bot team's own
# project does (see packages/create-baton-bot).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------
# Stage 1: install the whole workspace from the lockfile, then compile it and cut a production-only tree for PACKAGE.
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
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
 && pnpm build

# Only now the per-image arguments: every RUN after an ARG sees it, so declaring them earlier would re-run
# `npm i -g pnpm`, `pnpm fetch`, the install and the compile once per image. Everything above is shared.
ARG PACKAGE=ingester
ARG ENTRY=dist/main.js
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm deploy --filter "@baton/${PACKAGE}" --prod --legacy /out \
 && test -f "/out/${ENTRY}" \
 && printf "import './%s';\n" "${ENTRY}" > /out/entry.mjs

# ---------------------------------------------------------------------------------------------------
# Stage 2: the runtime. Only the service's package, its production dependencies (workspace packages
# copied in), and the health probe. Files stay owned by root; the process runs as the unprivileged
# `node` user (uid 1000) that the official image provides.
# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG PACKAGE=ingester
# Which process the health probe checks (its port variable): the package name unless told otherwise.
ARG SERVICE=${PACKAGE}
# NODE_OPTIONS: the services' Node flags (SERVICE_NODE_OPTIONS in packages/shared/src/process; a smaller young
# generation, docs/operations.md "Process memory"). Setting NODE_OPTIONS in compose or Kubernetes replaces it.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=2 \
    BATON_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /out/ /app/
COPY docker/healthcheck.mjs /app/docker-healthcheck.mjs
USER node

# The probe reads the service's own port variable (OPS_PORT, DASHBOARD_PORT or SIM_PORT), or
# HEALTHCHECK_URL when set. Slim images have no curl, so it is plain node.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker-healthcheck.mjs"]

CMD ["node", "--enable-source-maps", "/app/entry.mjs"]
