# Production image: gunicorn serves the app, whitenoise its static files; the same image runs
# the Celery worker and beat (see docker-compose.yml). Secrets come from the environment or *_FILE.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --system --create-home --uid 10001 casework

WORKDIR /app
COPY pyproject.toml README.md ./
COPY casework ./casework
COPY config ./config
RUN pip install .
COPY . .

# Static files and message catalogues are built into the image with throwaway keys;
# the keys used at run time are never in the image.
RUN python -m casework.compilemessages locale/ru/LC_MESSAGES/django.po \
    && python -m casework.keygen > /tmp/build.env \
    && set -a && . /tmp/build.env && set +a \
    && DEBUG=0 REDIS_URL=redis://build:6379/0 python manage.py collectstatic --noinput \
    && rm /tmp/build.env \
    && mkdir -p /app/media && chown casework /app/media

USER casework
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
