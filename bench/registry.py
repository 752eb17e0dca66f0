"""The rows of ``bench/run``'s table: cases registered from ``bench/cases/*.py``.

A module in ``bench/cases/`` registers rows with :func:`case`::

    from bench.registry import LIST, case

    @case("claims: default", group="lists", target=LIST)
    def claims_default(ctx):
        return ctx.get("/meetings/claims/")

``run(ctx)`` does the measured thing once (a GET through the test client, a function call…).
An optional ``prepare(ctx)`` runs once, unmeasured, before it (its result is passed as
``ctx.prepared``). The runner times ``run`` five times after one warm-up run and reports the
median, counts its queries in one more run, and measures its peak Python memory (tracemalloc)
in a last one. ``target`` says what "met" means; :data:`NONE` prints "—".
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """What a row must achieve at the big scale.

    ``max_ratio``: big-scale time ÷ 1% time; ``max_ms``: big-scale time; ``max_queries``;
    ``vs``/``vs_max``: time ÷ the time of the row named ``vs`` in the same database (at most
    ``vs_max``; "≥ 0.5× a bare insert" in requests per second is ``vs_max=2``).
    """

    max_ratio: float | None = None
    max_ms: float | None = None
    max_queries: int | None = None
    vs: str | None = None
    vs_max: float | None = None
    #: Time this row again in pairs with ``vs``'s row (bench/measure.py, measure_paired):
    #: for fast rows, where a shared machine's noise between two separately timed rows is
    #: larger than the difference being judged.
    paired: bool = False

    def describe(self):
        parts = []
        if self.max_ratio is not None:
            parts.append(f"≤{self.max_ratio:g}×1%")
        if self.max_ms is not None:
            parts.append(f"≤{self.max_ms:g} ms")
        if self.vs is not None:
            parts.append(f"≤{self.vs_max:g}× {self.vs}")
        if self.max_queries is not None:
            parts.append(f"≤{self.max_queries} q")
        return ", ".join(parts) or "—"


#: Every staff list page (issue 16): ≤ 1.5× its 1% time and ≤ 300 ms.
LIST = Target(max_ratio=1.5, max_ms=300)
NONE = Target()


@dataclass
class Case:
    name: str
    run: object
    group: str = "other"
    target: Target = NONE
    prepare: object = None
    repeat: int = 5
    order: int = 0
    meta: dict = field(default_factory=dict)


CASES: list[Case] = []


def case(name, *, group="other", target=NONE, prepare=None, repeat=5, order=0):
    """Register the decorated ``run(ctx)`` as one row of the table."""

    def register(run):
        if any(c.name == name for c in CASES):
            raise ValueError(f"two bench cases are named {name!r}")
        CASES.append(
            Case(
                name=name,
                run=run,
                group=group,
                target=target,
                prepare=prepare,
                repeat=repeat,
                order=order,
            )
        )
        return run

    return register
