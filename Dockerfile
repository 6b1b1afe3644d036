# syntax=docker/dockerfile:1

# Debian (glibc), not alpine: argon2 ships prebuilt binaries for linux-x64 glibc, so npm ci compiles nothing.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies (TypeScript and types are dev dependencies), compile src/ to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the files the server reads, nothing else ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The project root is found as the folder holding package.json; node-config reads ./config (production.json).
COPY views ./views
COPY config ./config
COPY content ./content
# The `rounds` CLI (platform add/list/remove/activate, user grant) runs dist/ from here:
#   docker compose exec app node bin/rounds.js platform list
COPY bin ./bin

# Files stay owned by root and read-only to the app: in production it writes only to MongoDB.
USER node
EXPOSE 3000
# Liveness only (the process answers); /readyz also checks the database. Node 20 has fetch, so no curl needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Rounds closes the listener, ltijs and the database connection on SIGTERM (docker stop, compose down).
STOPSIGNAL SIGTERM
# The same V8 heap cap as `npm start` (README "Benchmarks": the live heap of a 1,000,000-row export is ~85 MB; without
# a cap V8 lets several hundred MB of garbage pile up between full collections).
CMD ["node", "--max-old-space-size=192", "dist/src/server.js"]
