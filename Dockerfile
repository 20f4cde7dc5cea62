FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir "pip>=25.1" && pip install --no-cache-dir .
COPY . .
RUN DATABASE_URL=postgres://unused/unused SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system prb && chown -R prb /app
USER prb
EXPOSE 8000
CMD ["gunicorn", "prb.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
