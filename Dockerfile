# The helpline's two images, built by docker-compose.yml (no Docker engine runs on the dev
# machines: tests/gateway/test_compose.py checks this file and the compose file statically).
#
#   target "rasa"     the stock rasa/rasa image with the classifier's word-piece vectors.
#   target "actions"  the Rasa action server: the stock rasa-sdk image does not have the
#                     packages the actions import (redis, PyYAML via helpline.content), so they
#                     are added here along with the actions and the shared helpline package.
#   target "gateway"  the aiohttp gateway, the only service published to the host.

# --- Rasa -----------------------------------------------------------------------------------------
# The stock image with what the classifier's word-piece vectors need
# (bot/components/sentence_vectors.py, mounted with bot/): the tokenizer, and wordllama's files
# without its dependencies (it asks for numpy 2, which Rasa 3.6 cannot run; it is never imported).
# The same pins as requirements-bot.txt and the Makefile (tests/gateway/test_compose.py).
FROM rasa/rasa:3.6.21 AS rasa
USER root
RUN pip install --no-cache-dir tokenizers==0.23.3 \
 && pip install --no-cache-dir --no-deps wordllama==0.4.0.post1
# The component reads the vectors through helpline.vectors (numpy and tokenizers only), shared
# with the gateway's backstop reader; /app is the working directory, so `import helpline` resolves.
COPY src/helpline /app/helpline
USER 1001

# --- The action server --------------------------------------------------------------------------
FROM rasa/rasa-sdk:3.6.2 AS actions
USER root
# The versions the bot's environment runs the action tests with (rasa 3.6 pins redis 4.x);
# tzdata in case the base image has no system time zone database (helpline.content.hours).
RUN pip install --no-cache-dir redis==4.6.0 PyYAML==6.0.4 tzdata==2026.6
# /app is the image's working directory and on sys.path for `python -m rasa_sdk`, so
# `import actions` and `import helpline` both resolve there.
COPY actions /app/actions
COPY src/helpline /app/helpline
# What each intent means (level, answering topic), shared with the gateway.
COPY data/safety /app/data/safety
ENV HELPLINE_SAFETY_DIR=/app/data/safety
# The base image's own non-root user.
USER 1001
EXPOSE 5055
# The base image's ENTRYPOINT is ./entrypoint.sh, which runs `python -m rasa_sdk` for `start`.
CMD ["start", "--actions", "actions", "--port", "5055"]

# --- The gateway --------------------------------------------------------------------------------
FROM python:3.11-slim AS gateway
# The package is installed into site-packages, so the data paths it would derive from the
# checkout do not exist there: HELPLINE_CONTENT_DIR and HELPLINE_VAR_DIR name them.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HELPLINE_HOST=0.0.0.0 \
    HELPLINE_PORT=8080 \
    HELPLINE_CONTENT_DIR=/app/data/content \
    HELPLINE_SAFETY_DIR=/app/data/safety \
    HELPLINE_VAR_DIR=/app/var \
    HELPLINE_BACKSTOP_DIR=/app/models/backstop
WORKDIR /app
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin helpline
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir /app
# The content seed, loaded into Redis by the gateway when Redis has none, and the safety
# screen's lexicon with the meaning of each intent.
COPY data/content ./data/content
COPY data/safety ./data/safety
# The backstop reader, which reads for the bot when the bot is down, is trained here on the
# bot's own examples (seconds; `make backstop` does the same on a checkout).
COPY data/nlu ./data/nlu
COPY bot/config.yml ./bot/config.yml
RUN helpline train-backstop --nlu /app/data/nlu --bot-config /app/bot/config.yml --out /app/models/backstop
RUN mkdir -p /app/var && chown helpline /app/var
USER helpline
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["helpline", "serve"]
