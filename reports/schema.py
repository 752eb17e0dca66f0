"""A check of the ``fiep-annual-report/1`` shape (``shared/spec/metrics.md``): every
documented key is present with the documented type. Extra keys are allowed (the spec
says so). Returns the list of problems; empty means valid."""

INT = "int"
RATE = "rate"  # a float, or null when the denominator is 0
INT_OR_NULL = "int|null"
NUMBER_OR_NULL = "number|null"

SHAPE = {
    "format": "fiep-annual-report/1",
    "period": {"start": "date", "end": "date", "school_years": ["school_year"]},
    "requests": {
        "received": INT,
        "by_requester": {"parent": INT, "district": INT, "joint": INT},
        "by_status": {"*": INT},
    },
    "meetings": {
        "held": INT,
        "outcome_recorded": INT,
        "outcome_not_recorded": INT,
        "consensus_all": INT,
        "consensus_some": INT,
        "consensus_none": INT,
        "consensus_rate": RATE,
        "full_consensus_rate": RATE,
        "median_days_to_meeting": NUMBER_OR_NULL,
    },
    "evaluations": {
        "completed": INT,
        "satisfaction_answered": INT,
        "very_satisfied": INT,
        "satisfied": INT,
        "dissatisfied": INT,
        "very_dissatisfied": INT,
        "very_satisfied_rate": RATE,
        "satisfied_or_better_rate": RATE,
        "recommend_answered": INT,
        "would_recommend": INT,
        "recommend_rate": RATE,
        "response_rate": RATE,
    },
    "by_school_year": [
        {
            "school_year": "school_year",
            "meetings_held": INT,
            "districts": INT,
            "consensus_rate": RATE,
            "child_complaints": INT_OR_NULL,
            "allegations": INT_OR_NULL,
        }
    ],
}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check(value, shape, path, problems):
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object")
            return
        if "*" in shape:
            for key, item in value.items():
                _check(item, shape["*"], f"{path}.{key}", problems)
            return
        for key, sub in shape.items():
            if key not in value:
                problems.append(f"{path}.{key}: missing")
            else:
                _check(value[key], sub, f"{path}.{key}", problems)
        return
    if isinstance(shape, list):
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            _check(item, shape[0], f"{path}[{i}]", problems)
        return
    ok = {
        INT: lambda v: _is_int(v) and v >= 0,
        INT_OR_NULL: lambda v: v is None or (_is_int(v) and v >= 0),
        RATE: lambda v: v is None or (isinstance(v, float) and 0.0 <= v <= 1.0),
        NUMBER_OR_NULL: lambda v: (
            v is None or (isinstance(v, int | float) and not isinstance(v, bool))
        ),
        "date": lambda v: isinstance(v, str) and len(v) == 10 and v[4] == v[7] == "-",
        "school_year": lambda v: (
            isinstance(v, str)
            and len(v) == 9
            and v[4] == "-"
            and v[:4].isdigit()
            and v[5:].isdigit()
            and int(v[5:]) == int(v[:4]) + 1
        ),
    }.get(shape)
    if ok is None:  # a literal
        if value != shape:
            problems.append(f"{path}: expected {shape!r}")
    elif not ok(value):
        problems.append(f"{path}: {value!r} is not a valid {shape}")


def validate_document(document):
    """The problems of ``document`` against the ``fiep-annual-report/1`` shape."""
    problems = []
    _check(document, SHAPE, "$", problems)
    if not problems:
        years = [row["school_year"] for row in document["by_school_year"]]
        if years != document["period"]["school_years"]:
            problems.append("$.by_school_year: must list every school year of the period in order")
    return problems
