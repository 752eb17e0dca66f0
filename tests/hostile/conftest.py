"""Property-based tests of hostile input (hypothesis), bounded so they run in the default
suite: a small, fixed number of examples per test (``derandomize``: the same examples on
every run, so CI cannot flake). ``HYPOTHESIS_PROFILE=explore`` runs many random ones.
"""

import os

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

_common = {
    "deadline": None,
    "database": None,
    # The Django test client and database are per test; each example reuses them.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("fiep", max_examples=25, derandomize=True, **_common)
hypothesis_settings.register_profile("explore", max_examples=400, **_common)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fiep"))
