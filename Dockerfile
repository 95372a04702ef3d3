FROM python:3.11-slim
# tini as PID 1: it passes SIGTERM/SIGINT on to khabardar and reaps orphaned processes; khabardar itself then
# stops within 8 s of `docker stop`, under the grace docker-compose.yml gives it (stop_grace_period).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY tasks ./tasks
RUN pip install --no-cache-dir . && useradd --create-home khabardar
USER khabardar
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["khabardar", "run"]
