# One image for the gateway, the worker and the migrate step (see docker-compose.yml).
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources directly; dev dependencies are not needed.
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The files volume (docker-compose.yml) takes this folder's owner when first mounted.
RUN mkdir -p /var/lib/lifegraph/files && chown node:node /var/lib/lifegraph/files
USER node
EXPOSE 5678
CMD ["node_modules/.bin/tsx", "src/start.ts", "gateway"]
