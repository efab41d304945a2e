# oscfg in a container: a static binary on an empty base.
#   docker build -t oscfg .
#   docker run --rm -v "$PWD/fleet:/fleet:ro" oscfg lint /fleet
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/oscfg/oscfg/internal/buildinfo.version=${VERSION}" \
      -o /oscfg ./cmd/oscfg

FROM scratch
COPY --from=build /oscfg /oscfg
# Fixing needs write access to the mounted host root; linting needs none.
USER 65534:65534
ENTRYPOINT ["/oscfg"]
CMD ["--help"]
