# PRB's production image: the locked runtime dependencies (requirements.lock, no embedded
# PostgreSQL, no dev tools), static files collected at build time, a non-root user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret DATABASE_URL=postgres://unused/unused \
    python manage.py collectstatic --noinput
RUN useradd --system prb && chown -R prb /app
USER prb
EXPOSE 8000
CMD ["gunicorn", "prb.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
