# Bersinar API and staff console. The API runs its TypeScript sources through tsx (a runtime
# dependency); the console is built by Vite in a first stage and only its build is carried over.
# Node 22 is a supported (LTS) line.
FROM node:22-bookworm-slim AS console

WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` builds the console, which needs the sources copied below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY openapi.yaml ./
COPY console ./console
RUN npm run console:build

FROM node:22-bookworm-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

COPY src ./src
# The backup CLI: its verify command checks a database's audit chain from inside the image.
COPY scripts ./scripts
COPY migrations ./migrations
COPY tsconfig.json drizzle.config.ts openapi.yaml ./
COPY --from=console /app/console/dist ./console/dist

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
