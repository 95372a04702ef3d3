FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY tasks ./tasks
RUN pip install --no-cache-dir . && useradd --create-home khabardar
USER khabardar
CMD ["khabardar", "run"]
