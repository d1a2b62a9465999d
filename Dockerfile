# epigraph: curated quotes over HTTP.
#
#   docker build -t epigraph .
#   docker run --rm -p 8080:8080 epigraph
#   docker run --rm -p 8080:8080 -v "$PWD/my-quotes:/etc/epigraph/quotes:ro" \
#       -e EPIGRAPH_QUOTES=/etc/epigraph/quotes epigraph
#
# The contract (checked by tests/deploy_docker.rs, linted by ci/lint-docker.sh): multi-stage, pinned
# base tags, non-root numeric USER, exec-form ENTRYPOINT `epigraph serve --listen 0.0.0.0:8080`,
# EXPOSE 8080, HEALTHCHECK on /healthz. Extra collections go in /etc/epigraph/quotes.

############################ build ############################
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src

# Dependency layer: compile every dependency against stub sources, so that a change to src/ or
# quotes/ rebuilds only epigraph itself. benches/corpus.rs and benches/scale.rs are declared in
# Cargo.toml, so cargo needs files there even though nothing here builds them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/corpus.rs \
    && echo 'fn main() {}' > benches/scale.rs \
    && cargo build --release --locked \
    && rm -rf src benches target/release/epigraph* target/release/deps/epigraph-* \
        target/release/deps/libepigraph-* target/release/.fingerprint/epigraph-*

# The real sources. quotes/ and the card fonts in assets/ are compiled into the binary
# (include_dir, include_bytes), so they must be here.
COPY src ./src
COPY benches ./benches
COPY quotes ./quotes
COPY assets ./assets
RUN cargo build --release --locked --bin epigraph \
    && test -n "$(./target/release/epigraph --version)"

############################ runtime ############################
# glibc-based, same Debian release as the builder. debian:bookworm-slim (not distroless) so the
# HEALTHCHECK can speak HTTP with bash's /dev/tcp: no curl, no extra packages.
FROM debian:bookworm-slim

LABEL org.opencontainers.image.title="epigraph" \
      org.opencontainers.image.description="Curated quote collections: a drop-in fortune and an HTTP quote service" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"

# A fixed numeric uid/gid, so Kubernetes' runAsNonRoot can verify it. /etc/epigraph/quotes is
# the documented mount point for extra collections (pass it with EPIGRAPH_QUOTES or --quotes).
RUN groupadd --system --gid 10001 epigraph \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin epigraph \
    && mkdir -p /etc/epigraph/quotes

COPY --from=builder /src/target/release/epigraph /usr/local/bin/epigraph

USER 10001:10001
EXPOSE 8080

# GET /healthz over bash's /dev/tcp; healthy only on a "200" status line. Runs inside the
# container, so it targets the port of the ENTRYPOINT's --listen.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS=' ' read -r -t 2 _ code _ <&3 && [ \"$code\" = 200 ]"]

# SIGTERM (docker stop) drains in-flight requests; extra arguments to `docker run IMAGE ...` are
# appended, e.g. `--quotes /etc/epigraph/quotes --log-format json`.
ENTRYPOINT ["/usr/local/bin/epigraph", "serve", "--listen", "0.0.0.0:8080"]
