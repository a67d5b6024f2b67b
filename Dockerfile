# One image for every Python process of the assistant (core API, actions, Rasa, gateway,
# voice, outbox worker); docker-compose.yml picks the command. The trained Rasa model and the
# assembled Whisper model are baked in, so nothing is downloaded when a container starts.
FROM python:3.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng ffmpeg make curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --no-cache-dir 'setuptools<71' wheel \
 && pip install --no-cache-dir -r requirements/lock.txt \
 && pip check

COPY . .
RUN python -m voice.model_setup \
 && rasa train --config config.yml --domain bot/domain --data bot/data nlu/data \
      --out models --fixed-model-name assistant

RUN useradd --create-home --uid 10001 assistant && mkdir -p /app/var && chown -R assistant /app/var
USER assistant
