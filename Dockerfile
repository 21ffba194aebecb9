# Dropgate in a container: built with the official Swift image, run on its slim runtime image with libcurl.
# The build step is the one `make release` runs (checked by Tests/interop/test_deployment.py).
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4-openssl-dev zlib1g-dev libmagic-dev libqrencode-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product dropgate

FROM swift:6.3-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4 libxml2 zlib1g libmagic1 libqrencode4 ca-certificates curl && rm -rf /var/lib/apt/lists/*
# The program and its files belong to root and are only read; the one folder the gateway writes (its generated
# signing secret, or the embedded store's data) is a volume owned by the user it runs as.
RUN useradd --system --uid 10001 --home-dir /var/lib/dropgate --shell /usr/sbin/nologin dropgate \
    && install -d -o dropgate -g dropgate -m 0700 /var/lib/dropgate
WORKDIR /app
COPY --from=build /src/.build/release/dropgate /usr/local/bin/dropgate
COPY web ./web
COPY settings-docker.json ./
VOLUME /var/lib/dropgate
EXPOSE 5001
USER dropgate
CMD ["dropgate", "serve", "--env", "docker"]
