# One image for the gateway and the four subgraphs; the command picks which one runs (see docker-compose.yml).
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY package.json package-lock.json ./
# `npm install` against the lockfile rather than `npm ci`: see .ci/run (npm/cli#9846).
RUN npm install --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
CMD ["npx", "tsx", "gateway/index.ts"]
