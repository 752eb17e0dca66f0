#!/usr/bin/env bash
# Mutation testing of the security-critical code (issue 15): the access predicates, the
# selectors that scope querysets, the token look-ups and the feedback suppression.
# Not a test and not run by .ci/run: a mutant that survives is a change to that code no
# test notices. Survivors are listed in docs/security.md.
#
#   bench/mutation.sh                 every group (long: one pytest run per mutant)
#   bench/mutation.sh tokens access   some groups: access, scoping, tokens, links,
#                                     suppression (on 2 shared cores: 20-40 min each)
#
# Cosmic Ray (pinned below) lives in its own venv, .venv-mutation, like .ci/run's tools;
# the tests run with the project's .venv. Mutants are applied to a copy of the tracked
# files in a temporary folder, never to this work tree (tracked files only: commit or
# `git add` a new test first). Reports: artifacts/mutation/.
#
# The whole script is one function, read before it runs, so editing this file while a
# run is under way cannot change the run.
main() {
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
COSMIC_RAY_VERSION=8.7.0

bin/setup >/dev/null
if [ ! -x .venv-mutation/bin/cosmic-ray ]; then
  python3 -m venv .venv-mutation
  .venv-mutation/bin/pip install -q --disable-pip-version-check "cosmic-ray==${COSMIC_RAY_VERSION}"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$WORK"
ln -s "$ROOT/.venv" "$WORK/.venv"
mkdir -p artifacts/mutation

PYTEST="$ROOT/.venv/bin/python -m pytest -x -q -p no:cacheprovider -p no:randomly"

# group: "targets (module:function,...)" | "tests"
declare -A TARGETS TESTS
TARGETS[access]="meetings/rules.py fiep_requests/rules.py:has_accepted_case fiep/models.py:has_perm"
TESTS[access]="tests/security/test_access_predicates.py tests/security/test_live_assignment.py tests/facilitators/test_views.py tests/security/test_access_matrix.py -k 'predicates or live or offered or my_case or meetings or fiep_requests or evaluations'"
TARGETS[scoping]="meetings/selectors.py:live_case_ids,visible_meetings,facilitator_meetings,visible_time_entries,schedulable_requests,feed_meetings fiep_requests/selectors.py:visible_requests,openable_requests,related_requests,private_link_retired"
TESTS[scoping]="tests/security/test_scoping_selectors.py tests/security/test_live_assignment.py tests/security/test_private_links.py tests/security/test_access_matrix.py"
TARGETS[tokens]="evaluations/selectors.py:invitation_for_token,self_evaluation_for_token,follow_up_for_token fiep/mfa.py:_token_hash,enrolment_link_for,enrolment_link_in_session,may_enrol,enrolment_link_use meetings/views/calendar.py:feed fiep_requests/selectors.py:private_link_retired"
TESTS[tokens]="tests/security/test_token_near_misses.py tests/fiep/test_mfa_enrolment.py tests/security/test_private_links.py tests/security/test_rate_limits.py -k 'link or token or enrol or authenticator or feed'"
TARGETS[links]="fiep/tokens.py fiep_requests/views/public.py:request_status,consent"
TESTS[links]="tests/security/test_token_shape.py tests/security/test_token_near_misses.py tests/fiep_requests/test_public_views.py tests/security/test_private_links.py -k 'shape or near_misses or status or consent or link'"
TARGETS[suppression]="evaluations/selectors.py:shown_periods,_half_counts,feedback_periods,facilitator_feedback,period_published_on,FeedbackPeriod,_add_months"
TESTS[suppression]="tests/security/test_feedback_differencing.py tests/evaluations/test_selectors.py tests/evaluations/test_views_staff.py"

RUN_GROUPS=("$@")
[ ${#RUN_GROUPS[@]} -eq 0 ] && RUN_GROUPS=(access scoping tokens links suppression)

cd "$WORK"
for group in "${RUN_GROUPS[@]}"; do
  modules=()
  for target in ${TARGETS[$group]}; do modules+=("\"${target%%:*}\""); done
  module_list=$(printf '%s\n' "${modules[@]}" | sort -u | paste -sd, -)
  cat > "$group.toml" <<TOML
[cosmic-ray]
module-path = [${module_list}]
timeout = 300.0
excluded-modules = []
test-command = "$PYTEST ${TESTS[$group]}"
[cosmic-ray.distributor]
name = "local"
TOML
  echo "== $group"
  rm -f "$group.sqlite"
  "$ROOT/.venv-mutation/bin/cosmic-ray" init "$group.toml" "$group.sqlite"
  "$ROOT/.venv-mutation/bin/python" "$ROOT/bench/mutation_filter.py" "$group.sqlite" ${TARGETS[$group]}
  "$ROOT/.venv-mutation/bin/cosmic-ray" exec "$group.toml" "$group.sqlite"
  "$ROOT/.venv-mutation/bin/cr-report" "$group.sqlite" --show-diff > "$ROOT/artifacts/mutation/$group.txt" || true
  tail -n 4 "$ROOT/artifacts/mutation/$group.txt"
  "$ROOT/.venv-mutation/bin/python" - "$group.sqlite" > "$ROOT/artifacts/mutation/$group-survivors.txt" <<'PY'
import sys
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome
with use_db(sys.argv[1], WorkDB.Mode.open) as db:
    for item, result in db.completed_work_items:
        if result.worker_outcome == WorkerOutcome.NORMAL and result.test_outcome == TestOutcome.SURVIVED:
            for m in item.mutations:
                print(f"{m.module_path}:{m.start_pos[0]} {m.operator_name} (occurrence {m.occurrence})")
            print((result.diff or "").strip())
            print("-" * 60)
PY
  echo "survivors: $(grep -c '^-\{60\}' "$ROOT/artifacts/mutation/$group-survivors.txt" || true) (artifacts/mutation/$group-survivors.txt)"
done
}

main "$@"
