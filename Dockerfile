# Bersinar API. Runs the TypeScript sources directly through tsx (a runtime dependency),
# so no build stage is needed. Node 22 is a supported (LTS) line.
FROM node:22-bookworm-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY src ./src
COPY migrations ./migrations
COPY tsconfig.json drizzle.config.ts openapi.yaml ./

# DATA_DIR (./data) holds the embedded database and signing key when DATABASE_URL is unset;
# the unprivileged user must be able to write it.
RUN mkdir -p /app/data && chown node:node /app/data

# The service listens on loopback unless HOST is set: in a container it must take every interface.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0

USER node

EXPOSE 3000

# The slim image has no curl: use node's global fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "src/server.ts"]
