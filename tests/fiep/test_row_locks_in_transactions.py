"""Every row lock in the project runs inside ``transaction.atomic()``.

Production runs in autocommit (no ATOMIC_REQUESTS) and PostgreSQL refuses
``select_for_update`` outside a transaction, while the test suite wraps every test in one
and SQLite ignores the lock: a lock outside ``atomic()`` passes every ordinary test and
answers 500 in production (it did, for every staff log-in). This reads the source: each
``select_for_update(...)`` (and django-otp's ``for_verify=True``) must sit in a
``with transaction.atomic():`` block or an ``@transaction.atomic`` function, or in a helper
whose every caller does.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["fiep", "fiep_requests", "facilitators", "meetings", "evaluations", "reports"]


def _is_atomic(node):
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Attribute) and target.attr == "atomic") or (
        isinstance(target, ast.Name) and target.id == "atomic"
    )


def _locks(node):
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "select_for_update":
        return True
    return any(
        k.arg == "for_verify" and not (isinstance(k.value, ast.Constant) and not k.value.value)
        for k in node.keywords
    )


def _called_name(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


class Index(ast.NodeVisitor):
    """Records, for each lock and each call, the enclosing function and whether an
    ``atomic()`` block or decorator surrounds it."""

    def __init__(self, path):
        self.path = path
        self.stack = []  # (kind, node): "func" or "atomic"
        self.locks = []  # (path, line, function name or None, inside atomic)
        self.calls = []  # (callee name, function name or None, inside atomic)

    def _context(self):
        inside = any(kind == "atomic" for kind, _ in self.stack)
        funcs = [n for kind, n in self.stack if kind == "func"]
        return (funcs[-1].name if funcs else None), inside

    def visit_FunctionDef(self, node):
        atomic = any(_is_atomic(d) for d in node.decorator_list)
        self.stack.append(("func", node))
        if atomic:
            self.stack.append(("atomic", node))
        self.generic_visit(node)
        if atomic:
            self.stack.pop()
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_With(self, node):
        atomic = any(_is_atomic(item.context_expr) for item in node.items)
        if atomic:
            self.stack.append(("atomic", node))
        self.generic_visit(node)
        if atomic:
            self.stack.pop()

    def visit_Call(self, node):
        function, inside = self._context()
        if _locks(node):
            self.locks.append((self.path, node.lineno, function, inside))
        name = _called_name(node)
        if name:
            self.calls.append((name, function, inside))
        self.generic_visit(node)


def _index():
    locks, calls = [], []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            index = Index(path.relative_to(ROOT))
            index.visit(ast.parse(path.read_text(), filename=str(path)))
            locks += index.locks
            calls += index.calls
    return locks, calls


def _always_in_atomic(function, calls, seen=()):
    """True when every call of ``function`` runs inside atomic() (following callers)."""
    if function is None or function in seen:
        return False
    callers = [(caller, inside) for name, caller, inside in calls if name == function]
    return bool(callers) and all(
        inside or _always_in_atomic(caller, calls, (*seen, function)) for caller, inside in callers
    )


def unprotected_locks():
    locks, calls = _index()
    return [
        f"{path}:{line} in {function or 'module level'}"
        for path, line, function, inside in locks
        if not inside and not _always_in_atomic(function, calls)
    ]


def test_every_row_lock_runs_inside_a_transaction():
    assert unprotected_locks() == []


def test_the_scan_finds_a_lock_outside_atomic(tmp_path, monkeypatch):
    """The near miss: the code of the original defect is reported."""
    source = (
        "from django.db import transaction\n"
        "from django_otp import devices_for_user\n"
        "def verify_any(user, token):\n"
        "    for d in devices_for_user(user, confirmed=True, for_verify=True):\n"
        "        pass\n"
        "def safe(user):\n"
        "    with transaction.atomic():\n"
        "        return list(devices_for_user(user, for_verify=True))\n"
    )
    index = Index("example.py")
    index.visit(ast.parse(source))
    outside = [
        (line, function)
        for _, line, function, inside in index.locks
        if not inside and not _always_in_atomic(function, index.calls)
    ]
    assert outside == [(4, "verify_any")]
