# Quire's API image, on Node.js 24 (the active LTS). Built with dev dependencies; run with
# production dependencies alone, installed in a stage of their own; as the unprivileged
# `node` user, with a data folder it owns.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
COPY bin ./bin
# `npm ci` runs the prepare script: prisma generate + tsc into dist/.
RUN npm ci

# Production dependencies only. `--omit=dev` alone keeps 250 MB more: @prisma/client names
# `prisma` and `typescript` as optional peer dependencies, so npm marks them (and Prisma's
# CLI, Studio, React, effect … beneath them) "devOptional", which only --omit=optional drops.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY docker/slim-node-modules.sh ./
RUN sh slim-node-modules.sh dist

FROM node:24-bookworm-slim
WORKDIR /app
# QUIRE_DATA_DIR: where the embedded database lives when DATABASE_URL is not set; mount a
# volume there to keep it. The shutdown deadline stays inside `docker stop`'s 10 s.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 QUIRE_DATA_DIR=/data QUIRE_SHUTDOWN_TIMEOUT=8
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY content ./content
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Shell form, so the probe follows PORT when it is changed at run time.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:${PORT:-3000}/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Migrate, import content/ (refusing invalid files, never the whole API), serve.
CMD ["node", "bin/quire.js", "start"]
