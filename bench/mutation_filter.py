"""Cosmic Ray session filter for bench/mutation.sh (runs with .venv-mutation's python).

Keeps only the mutations inside the named functions (the access predicates, the scoping
selectors, the token look-ups and the suppression code), and drops operators that only
make the module fail to import (a ``|`` between two django-rules predicates replaced by
``+``, ``/`` … raises TypeError at import: every test fails, nothing is learnt).

    python bench/mutation_filter.py SESSION.sqlite module.py:func1,func2 other.py:func
"""

import ast
import re
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

NOISE = re.compile(
    r"core/ReplaceBinaryOperator_(BitOr|BitAnd)_(Add|Sub|Mul|Div|FloorDiv|Mod|Pow|LShift|RShift)$"
)


def function_ranges(path, names):
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in names:
            ranges.append((node.lineno, node.end_lineno))
    missing = set(names) - {n.name for n in ast.walk(tree) if hasattr(n, "name")}
    if missing:
        sys.exit(f"{path}: no function {sorted(missing)}")
    return ranges


def main(session, targets):
    wanted = {}
    for target in targets:
        path, _, names = target.partition(":")
        wanted[path] = function_ranges(path, names.split(",")) if names else None
    kept = skipped = 0
    with use_db(session, WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            reason = None
            for mutation in item.mutations:
                ranges = wanted.get(str(mutation.module_path))
                line = mutation.start_pos[0]
                if NOISE.match(mutation.operator_name):
                    reason = "import-time crash operator"
                elif ranges is not None and not any(a <= line <= b for a, b in ranges):
                    reason = "outside the functions under test"
            if reason:
                db.set_result(
                    item.job_id, WorkResult(output=reason, worker_outcome=WorkerOutcome.SKIPPED)
                )
                skipped += 1
            else:
                kept += 1
    print(f"{session}: {kept} mutants to run, {skipped} skipped")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
