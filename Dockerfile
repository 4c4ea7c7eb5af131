# syntax=docker/dockerfile:1
# The headless Coding Gateway as a container image. The build stage installs every dependency (better-sqlite3
# is compiled here when no prebuilt binary fits), runs `npm run build` (the gateway bundled by esbuild into
# dist/gateway, the dashboard by Vite into dist/dashboard), then drops the development dependencies: the same
# flow as the Procfile's platforms. The runtime stage copies the bundle, the dashboard and the production
# dependencies (native modules and packages loaded on first use) into a slim image that runs as an
# unprivileged user with its data on a volume.
#
#   docker build -t coding-gateway .
#   docker run -p 8787:8787 -v cg-data:/data -e ANTHROPIC_API_KEY=... -e GATEWAY_API_KEY=... coding-gateway

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# A compiler for native modules without a prebuilt binary for this platform (better-sqlite3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Electron is a development dependency of the desktop app; its binary is never needed here.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY build/scripts ./build/scripts
COPY proxy ./proxy
COPY renderer ./renderer
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/gateway ./dist/gateway
COPY --from=build /app/dist/dashboard ./dist/dashboard
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/gateway/cli.js"]
