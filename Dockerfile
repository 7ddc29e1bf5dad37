# Praxis api (and CLI) image. Build: docker build -t praxis .
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# Inside the container every interface is the container's own: listen on all of them (the quick start outside it keeps to loopback).
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/apps/api/src/views ./apps/api/src/views
COPY --from=build /app/apps/api/src/public ./apps/api/src/public
USER node
EXPOSE 3000
# Ready: the database answers, migrations are applied, not stopping (/health/live only says the process answers).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM: readiness turns 503, requests in flight finish, then the process exits (PRAXIS_SHUTDOWN_DELAY_MS, 5 s in production).
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js"]
