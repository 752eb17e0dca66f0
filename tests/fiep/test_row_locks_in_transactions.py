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
    ``atomic()`` block or decorator surrounds it. Functions are named (module, name)."""

    def __init__(self, path):
        self.path = str(path)
        self.stack = []  # (kind, node): "func" or "atomic"
        self.locks = []  # (path, line, caller, inside atomic)
        self.calls = []  # (callee name, called as an attribute, caller, inside atomic)
        self.imported = set()  # names brought in with "from ... import name"

    def _context(self):
        inside = any(kind == "atomic" for kind, _ in self.stack)
        funcs = [n for kind, n in self.stack if kind == "func"]
        return ((self.path, funcs[-1].name) if funcs else None), inside

    def visit_ImportFrom(self, node):
        self.imported.update(alias.asname or alias.name for alias in node.names)

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
        caller, inside = self._context()
        if _locks(node):
            self.locks.append((self.path, node.lineno, caller, inside))
        name = _called_name(node)
        if name:
            self.calls.append((name, isinstance(node.func, ast.Attribute), caller, inside))
        self.generic_visit(node)


class Project:
    def __init__(self, indexes):
        self.locks = [lock for index in indexes for lock in index.locks]
        self.indexes = {index.path: index for index in indexes}

    def callers(self, function):
        """(caller, inside atomic) of every call that may reach ``function``: a plain call
        in its own module or in a module importing it by name, or any ``x.name()`` call."""
        module, name = function
        for path, index in self.indexes.items():
            visible = path == module or name in index.imported
            for callee, as_attribute, caller, inside in index.calls:
                if callee == name and (as_attribute or visible):
                    yield caller, inside

    def always_in_atomic(self, function, seen=()):
        """True when every call of ``function`` runs inside atomic() (following callers)."""
        if function is None or function in seen:
            return False
        callers = list(self.callers(function))
        return bool(callers) and all(
            inside or self.always_in_atomic(caller, (*seen, function)) for caller, inside in callers
        )

    def unprotected(self):
        return [
            f"{path}:{line} in {caller[1] if caller else 'module level'}"
            for path, line, caller, inside in self.locks
            if not inside and not self.always_in_atomic(caller)
        ]


def _project():
    indexes = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            index = Index(path.relative_to(ROOT))
            index.visit(ast.parse(path.read_text(), filename=str(path)))
            indexes.append(index)
    return Project(indexes)


def unprotected_locks():
    return _project().unprotected()


def test_every_row_lock_runs_inside_a_transaction():
    assert unprotected_locks() == []


def test_the_scan_finds_a_lock_outside_atomic():
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
    assert Project([index]).unprotected() == ["example.py:4 in verify_any"]


def test_the_scan_follows_a_helper_to_its_callers():
    """A helper that locks is fine when every caller holds a transaction; a helper of the
    same name in another module, called outside one, does not excuse it (or condemn it)."""
    locking = (
        "from django.db import transaction\n"
        "def _locked(pk):\n"
        "    return Case.objects.select_for_update().get(pk=pk)\n"
        "def close(pk):\n"
        "    with transaction.atomic():\n"
        "        _locked(pk)\n"
    )
    other = "def _locked(pk):\n    return pk\ndef show(pk):\n    return _locked(pk)\n"
    indexes = []
    for path, source in (("a.py", locking), ("b.py", other)):
        index = Index(path)
        index.visit(ast.parse(source))
        indexes.append(index)
    assert Project(indexes).unprotected() == []
    outside = locking + "def peek(pk):\n    return _locked(pk)\n"
    index = Index("a.py")
    index.visit(ast.parse(outside))
    assert Project([index, indexes[1]]).unprotected() == ["a.py:3 in _locked"]
