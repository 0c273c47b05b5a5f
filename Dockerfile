# syntax=docker/dockerfile:1
# Node.js 26, the active LTS line. Multi-stage: build with dev dependencies, run with production dependencies only,
# as a non-root user, with the embedded database on a volume (or PostgreSQL through
# DATABASE_URL).

FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY keys ./keys
# A production page: the build fails unless keys/trusted-agencies.json pins an agency
# (`tipline trust add`), and the page refuses to seal to any agency it has no pin for.
RUN npm run build -- --production

FROM node:26-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:26-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    TIPLINE_DATA_DIR=/var/lib/tipline
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /var/lib/tipline && chown node:node /var/lib/tipline
USER node
VOLUME ["/var/lib/tipline"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/tipline.js"]
CMD ["serve"]
