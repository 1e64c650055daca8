# syntax=docker/dockerfile:1
#
# One image for every NOM backbone app. The default command runs the cases service; docker-compose.yml
# runs the relay and the projector from the same image with `command:`:
#   node dist/apps/cases/src/main.js       HTTP API (PORT, default 3000)
#   node dist/apps/relay/src/main.js       event store -> Kafka
#   node dist/apps/projector/src/main.js   Kafka -> per-force read models
# The quick start (dist/apps/quickstart/src/main.js) embeds PostgreSQL and is not meant for containers.
#
# Node 22 LTS: some runtime dependencies (file-type, via @nestjs/common) require node >= 22.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------------------------------
# build: full install (dev dependencies included), compile TypeScript, then drop dev and optional dependencies:
# embedded-postgres (the quick start's PostgreSQL binaries) is a dev dependency, and @eventstore/db-client with its
# gRPC stack an optional one until an adapter uses it (test/production-image.unit.spec.ts).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false

# Manifests first, so that the dependency layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# Sources (.dockerignore keeps node_modules, dist, .local, .git and coverage out of the context).
COPY . .
RUN npm run build \
 && npm prune --omit=dev --omit=optional

# ---------------------------------------------------------------------------------------------------
# runtime: production dependencies and compiled output only, run as the unprivileged `node` user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    PORT=3000
WORKDIR /app

# package.json is needed at run time: its "imports" map (#platform, #contracts, ...) points into dist/.
# The files stay owned by root (read-only for the app); nothing under /app is written at run time.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The console's templates and browser files (apps/console, ADR 0040): TypeScript does not copy them into dist/.
COPY --from=build /app/libs/console/views ./libs/console/views
COPY --from=build /app/libs/console/assets ./libs/console/assets

USER node
EXPOSE 3000

# Health: GET /health answers 200 when the event store answers (compose defines the healthchecks).
CMD ["node", "dist/apps/cases/src/main.js"]
