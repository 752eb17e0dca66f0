"""CACHE_URL: local memory by default, a shared Redis cache in production (rate limits)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def caches(**env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIEP_"))}
    full_env.pop("CACHE_URL", None)
    full_env.update(env, DJANGO_SETTINGS_MODULE="fiep.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " c = settings.CACHES['default'];"
            " print(c['BACKEND'], c.get('LOCATION', ''), sorted(c.get('OPTIONS', {}).items()))",
        ],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cache_defaults_to_local_memory():
    assert caches().startswith("django.core.cache.backends.locmem.LocMemCache")


def test_cache_url_redis_is_one_shared_cache():
    backend, location = caches(CACHE_URL="redis://127.0.0.1:6390/1").split()[:2]
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://127.0.0.1:6390/1"
