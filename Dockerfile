# syntax=docker/dockerfile:1
#
# One image recipe for the four Laurel services. Pick the service with the build arg SERVICE, the name of
# its module directory:
#
#   docker build --build-arg SERVICE=scoring-service -t laurel/scoring-service .
#
# docker-compose.yml builds all four this way (see docs/deployment.md).

# ---- stage 1: build the service's module and the modules it needs ---------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
ARG SERVICE
WORKDIR /src
# The whole reactor (every module's pom.xml must be there for Maven to read the root pom); .dockerignore
# leaves out target directories, laurel-data and .git.
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder of current Docker).
RUN --mount=type=cache,target=/root/.m2 \
    if [ -z "$SERVICE" ] || [ ! -f "$SERVICE/pom.xml" ]; then \
      echo "build arg SERVICE must name a module directory, e.g. --build-arg SERVICE=scoring-service" >&2; \
      exit 1; \
    fi \
    && mvn -B -q -DskipTests -pl "$SERVICE" -am package \
    && ls "$SERVICE"/target/*-exec.jar

# ---- stage 2: the runtime image ---------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
ARG SERVICE
LABEL org.opencontainers.image.title="laurel-${SERVICE}" \
      org.opencontainers.image.description="Laurel ${SERVICE}"
# curl is what the compose healthchecks call.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 laurel \
    && useradd --system --uid 10001 --gid laurel --home-dir /app --no-create-home --shell /usr/sbin/nologin laurel \
    && mkdir -p /app \
    && chown laurel:laurel /app
WORKDIR /app
COPY --from=build --chown=laurel:laurel /src/${SERVICE}/target/*-exec.jar /app/app.jar
USER laurel:laurel
ENV SERVER_PORT=8080 \
    AXONIQ_UPDATE_CHECKER_DISABLED=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java","-jar","/app/app.jar"]
