import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from fiep.models import Role

from . import factories


@pytest.fixture(autouse=True)
def _mfa_off_unless_marked(request, settings):
    """Feature tests log in with force_login; two-step log-in is tested where marked."""
    settings.FIEP_MFA_REQUIRED = request.node.get_closest_marker("mfa") is not None


@pytest.fixture(autouse=True)
def _celery_eager_unless_integration(request):
    """Outside integration tests, tasks run in the test process even when CI has set
    CELERY_BROKER_URL (the integration tests prove the real worker path)."""
    from fiep.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and axes data must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A page that speaks its reader's language activates it for the thread (as a real
    request does); the next test must not start in Spanish because of it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def query_guard(django_assert_num_queries):
    """THE query-count guard of the suite (docs/conventions.md, "Query-count tests").

    ``query_guard(expected, run, add=add)`` calls ``add(1)`` and ``run()``, then
    ``add(many - 1)`` and ``run()`` again; each ``run()`` must make exactly ``expected``
    queries, so a list that issues one more query per row fails with its SQL printed.
    ``add(n)`` creates ``n`` more of the items ``run()`` lists. One uncounted ``run()``
    first warms per-process caches (content types) and the session. Returns the last result.
    """

    def guard(expected, run, *, add, many=3):
        assert many >= 3, "compare 1 item with 3 or more"
        add(1)
        run()  # warm up: the first request of a session may write it
        with django_assert_num_queries(expected, info="with 1 item"):
            run()
        add(many - 1)
        with django_assert_num_queries(expected, info=f"with {many} items"):
            return run()

    return guard


@pytest.fixture
def district(db):
    return factories.DistrictFactory()


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.OFFICE_STAFF)


@pytest.fixture
def administrator(db):
    return factories.UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def fast_passwords(settings):
    """For tests that make many users: proper password hashing would dominate their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
