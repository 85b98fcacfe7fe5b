"""Upper bound on the number of schedulable meetings (used to stop early and by the bench).

``degree_lp_bound``: LP relaxation of the degree-constrained subgraph problem,
solved with HiGHS (scipy.optimize.linprog). Variables ``0 <= x_m <= 1`` per
meeting with at least one common available slot (locked meetings fixed to 1);
for every participant ``p``, ``sum x_m <= cap_p`` where ``cap_p`` is the number
of ``p``'s available slots shared with at least one of ``p``'s partners (a
participant attends at most one meeting per slot); in total
``sum x_m <= slots * tables``. Every feasible schedule satisfies these, so the
floor of the LP optimum is a valid upper bound.
"""

from __future__ import annotations

import math

from .model import Problem


def degree_lp_bound(problem: Problem) -> int:
    """Floor of the degree LP optimum: no schedule has more meetings than this."""
    import numpy as np  # imported here: keeps ``import events.scheduling`` light
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    n_people = len(problem.participant_ids)
    usable = [m for m in range(len(problem.meeting_ids)) if problem.common(m)]
    if not usable:
        return 0
    reach = [0] * n_people
    for m in usable:
        common = problem.common(m)
        reach[problem.ma[m]] |= common
        reach[problem.mb[m]] |= common
    caps = [mask.bit_count() for mask in reach]
    rows, cols = [], []
    for j, m in enumerate(usable):
        rows += [problem.ma[m], problem.mb[m], n_people]
        cols += [j, j, j]
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_people + 1, len(usable)))
    rhs = np.array(caps + [problem.slots * problem.tables], dtype=float)
    lower = [1.0 if problem.locked_slot[m] >= 0 else 0.0 for m in usable]
    result = linprog(
        -np.ones(len(usable)),
        A_ub=matrix,
        b_ub=rhs,
        bounds=list(zip(lower, [1.0] * len(usable), strict=True)),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"LP bound failed: {result.message}")
    return math.floor(-result.fun + 1e-6)
