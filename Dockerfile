# syntax=docker/dockerfile:1
# Chat.Server as a container: built with the SDK (and npm, which the page build runs in Chat.Web),
# run on the ASP.NET runtime image as its non-root user, listening on 8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first, so code changes reuse the cached packages.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Chat.Protocol/Chat.Protocol.csproj Chat.Protocol/
COPY Chat.Server/Chat.Server.csproj Chat.Server/
RUN dotnet restore Chat.Server/Chat.Server.csproj
COPY Chat.Web/package.json Chat.Web/package-lock.json Chat.Web/
RUN cd Chat.Web && npm ci --no-audit --no-fund

COPY Chat.Protocol/ Chat.Protocol/
COPY Chat.Web/ Chat.Web/
COPY Chat.Server/ Chat.Server/
RUN dotnet publish Chat.Server/Chat.Server.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl serves the container health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data \
    && chown "$APP_UID" /data
WORKDIR /app
COPY --from=build /app .

# Urls as a plain variable overrides appsettings.json; SQLite (the single-node default) lives in /data.
# /metrics answers on port 9464 on every address, for a Prometheus in another container; the TCP door
# (Chat:Tcp) on port 5023, on every address too.
# The GC's gen0 budget is a runtime setting read only from the environment: the same value as the
# launch profile (Chat.Server/Properties/launchSettings.json), see docs/benchmarks.md "idle".
ENV Urls=http://+:8080 \
    Chat__History__SqlitePath=/data/chat.db \
    Chat__Metrics__Host=+ \
    Chat__Tcp__Host=+ \
    DOTNET_GCgen0size=0x200000
EXPOSE 8080 9464 5023
VOLUME /data
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Chat.Server.dll"]
