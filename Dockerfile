# FIEP Office production image: gunicorn serving Django; the same image runs the Celery
# worker, beat and the migrations. Every process starts through bin/entrypoint, the
# script bin/prod-check also uses, so the image and the checked shape cannot drift:
#   docker run IMAGE web | worker | beat | migrate | manage <command>
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz0b fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements/constraints.txt ./requirements/
RUN python - <<'PY' > /tmp/requirements.txt
import tomllib
print("\n".join(tomllib.load(open("requirements/pyproject.toml", "rb"))["project"]["dependencies"]))
PY
RUN pip install --no-cache-dir -c requirements/constraints.txt -r /tmp/requirements.txt

COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_DEBUG=false SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz \
       ALLOWED_HOSTS=build bin/entrypoint collectstatic

RUN useradd --system --uid 1000 fiep && mkdir -p /app/media && chown fiep /app/media
USER fiep
EXPOSE 8000
ENTRYPOINT ["bin/entrypoint"]
CMD ["web"]
