"""The Dockerfile, docker-compose.yml and bin/prod-check start processes the same way:
through bin/entrypoint. These checks fail when one of them drifts to its own command."""

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = {"migrate", "collectstatic", "web", "worker", "beat", "manage"}


def test_entrypoint_knows_exactly_the_documented_subcommands():
    script = (ROOT / "bin" / "entrypoint").read_text()
    cases = set(re.findall(r"^  ([a-z]+)\)$", script, flags=re.MULTILINE))
    assert cases == SUBCOMMANDS


def test_entrypoint_refuses_an_unknown_subcommand():
    result = subprocess.run(
        [str(ROOT / "bin" / "entrypoint"), "serve"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 64
    assert "usage: bin/entrypoint" in result.stderr


def test_dockerfile_runs_the_entrypoint():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["bin/entrypoint"]' in dockerfile
    assert 'CMD ["web"]' in dockerfile
    assert "bin/entrypoint collectstatic" in dockerfile
    assert "gunicorn" not in dockerfile.split("ENTRYPOINT")[1]


def test_compose_app_services_use_entrypoint_subcommands_and_a_shared_cache():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    app = {name: s for name, s in services.items() if "build" in s}
    assert set(app) == {"migrate", "web", "worker", "beat"}
    for name, service in app.items():
        assert service["command"][0] in SUBCOMMANDS, name
        assert service["command"][0] == name
    assert services["web"]["environment"]["CACHE_URL"].startswith("redis://")
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_prod_check_starts_every_process_through_the_entrypoint():
    script = (ROOT / "bin" / "prod-check").read_text()
    for subcommand in ("migrate", "collectstatic", "web", "worker", "beat"):
        assert re.search(rf"bin/entrypoint {subcommand}\b", script), subcommand
    started = dict(re.findall(r"^start (\w+) (.+)$", script, flags=re.MULTILINE))
    for process in ("web", "worker", "beat"):
        assert started[process] == f"bin/entrypoint {process}"
    assert "WEB_WORKERS=2" in script
