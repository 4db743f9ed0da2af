"""Cell suppression for tables of counts that are linked by totals.

The participant tables publish many counts that add up: Alla = Kvinnor + Män
(+ Annat/ej angivet), Totalt = the sum over the periods, aktiva = the
previous period's aktiva + inskrivna − avslutade, the finished participants
of one kön = the sum over the statuses, a national group = the sum of its
statuses, and so on. Hiding a small cell is useless if it can be computed
from the cells that are shown. :class:`CellSystem` holds every published
count and every linear relation between them, and
:meth:`CellSystem.suppress` decides which cells to hide:

1. **Primary suppression**: a cell with ``1 <= value < min_n`` is hidden.
   Zero is shown (nobody can be identified in an empty cell).
2. **Protected totals**: for a relation marked ``protect`` (the split by
   kön), the hidden parts of a shown total must together hold at least
   ``min_n``, so that "total minus the shown parts" does not reveal that a
   hidden group is small; otherwise the smallest shown part is hidden too
   (the rule the staff survey uses, :mod:`.suppression`).
3. **Linear audit**: with the shown cells known, the hidden cells satisfy
   ``A_H x_H = b``. A hidden cell is *derivable* when every solution gives
   it the same value, i.e. its row in a basis of the null space of ``A_H`` is
   zero (:meth:`CellSystem.derivable`). This is exact for every chain of
   totals and differences a reader can form.
4. **Complementary suppression**: for a derivable primary cell ``j``, the
   cheapest set of shown cells to hide is found with a small mixed-integer
   program: find ``v`` with ``A v = 0``, ``v_j = 1`` and ``v_i = 0`` on every
   shown cell (``|v_i| <= M y_i``), minimising ``sum w_i y_i`` over the
   binary ``y_i`` of the shown cells. Such a ``v`` is a way to change the
   hidden cells without changing any shown cell or breaking a relation, so
   afterwards ``j`` is not derivable. The weight ``w_i`` grows steeply with
   the cell's ``tier`` (the table builder ranks how much a cell matters:
   inner cells of detailed tables lowest, totals highest) and a little with
   its value. Zero cells are used only when nothing else works: when every
   cell ``v`` moves holds at least 1, the cell keeps a range of values even
   for a reader who adds that counts are never negative.

**Public cells** (:meth:`CellSystem.add` with ``public=True``, the
participant register's project totals) are always shown: they are never
hidden as small, never chosen as complements, and a protected total that is
public keeps its value even when its hidden parts hold fewer than ``min_n``
(the total itself already says so). Every relation through a public cell
still counts in the audit, so "public total minus the shown parts" is
closed like any other difference. A primary cell that follows from the
public cells alone (e.g. Kvinnor = Alla when the register has only women)
cannot be protected and is shown: its value is already published in the
totals, so hiding it would only hide what a reader can read elsewhere (and
showing it adds no constraint on any other hidden cell).

Steps 2–4 repeat until no primary cell is derivable and every protected
total holds; each step only adds hidden cells, and hiding more never makes a
hidden cell derivable, so it ends with every primary cell protected.

A table that shows several counts in one row with one ``undertryckt`` flag
may hide the whole row when one of its cells is hidden, for the same reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np

__all__ = ["CellSystem", "REASON_FEW", "REASON_COMPLEMENT"]

REASON_FEW = "för få deltagare"
REASON_COMPLEMENT = "skyddar en mindre grupp"
_TOLERANCE = 1e-9
_NODE_LIMIT = 20000  # branch-and-bound nodes; the best solution found so far is used when it is reached
_BOUND = 10.0  # |v_i| in the protection program; ±1 and ±2 suffice for sums and the stock identity


class CellSystem:
    """Published counts (cells) and the linear relations between them."""

    def __init__(self) -> None:
        self._values: dict[Hashable, int] = {}
        self._order: dict[Hashable, int] = {}
        self._tier: dict[Hashable, int] = {}
        self._relations: list[dict[Hashable, int]] = []
        self._protected: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        self._public: set[Hashable] = set()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def value(self, key: Hashable) -> int:
        return self._values[key]

    def add(self, key: Hashable, value: int, tier: int = 0, public: bool = False) -> None:
        """A published count; cells of a higher ``tier`` are chosen as complements only after lower ones.

        ``public``: always shown (a project total), never hidden.
        """
        if key in self._values:
            raise ValueError(f"cell {key!r} added twice")
        if value < 0:
            raise ValueError(f"cell {key!r} has a negative count {value}")
        self._values[key] = int(value)
        self._order[key] = len(self._order)
        self._tier[key] = tier
        if public:
            self._public.add(key)

    def is_public(self, key: Hashable) -> bool:
        return key in self._public

    def add_sum(self, total: Hashable, parts: Iterable[Hashable], protect: bool = False) -> None:
        """``total = sum(parts)``; with ``protect`` the hidden parts of a shown total must hold ``min_n``."""
        parts = tuple(parts)
        self.add_relation({total: -1, **{p: 1 for p in parts}})
        if protect:
            self._protected.append((total, parts))

    def add_relation(self, coefficients: dict[Hashable, int]) -> None:
        """``sum(c * value) = 0`` over the cells named; checked against the values (a wrong relation is a bug)."""
        unknown = [k for k in coefficients if k not in self._values]
        if unknown:
            raise KeyError(f"relation names unknown cells {unknown!r}")
        balance = sum(c * self._values[k] for k, c in coefficients.items())
        if balance != 0:
            raise ValueError(f"relation {coefficients!r} does not hold for the counts (off by {balance})")
        self._relations.append({k: c for k, c in coefficients.items() if c})

    # ------------------------------------------------------------------ suppression

    def suppress(self, min_n: int) -> dict[Hashable, str]:
        """The hidden cells and why (:data:`REASON_FEW` or :data:`REASON_COMPLEMENT`)."""
        hidden: dict[Hashable, str] = {}
        for key, value in self._values.items():
            if 0 < value < min_n and key not in self._public:
                hidden[key] = REASON_FEW
        published: set[Hashable] = set()  # primary cells the public cells alone give away
        while True:
            if self._protect_totals(min_n, hidden):
                continue
            exposed = [k for k in self.derivable(hidden) if hidden[k] == REASON_FEW and k not in published]
            if not exposed:
                return {k: reason for k, reason in hidden.items() if k not in published}
            chosen = self._complements(exposed[0], hidden)
            if not chosen:
                published.add(exposed[0])
            for key in chosen:
                hidden[key] = REASON_COMPLEMENT

    def _rank(self, key: Hashable) -> tuple:
        value = self._values[key]
        return (self._tier[key], value == 0, value, self._order[key])

    def _weight(self, key: Hashable) -> float:
        value = self._values[key]
        return 2.5 ** self._tier[key] * (1 + value / 100)

    def _protect_totals(self, min_n: int, hidden: dict[Hashable, str]) -> bool:
        """Step 2: hide one more part where a shown total's hidden parts hold fewer than ``min_n``."""
        for total, parts in self._protected:
            if total in hidden or self._values[total] == 0:
                continue
            secret = [p for p in parts if p in hidden]
            if not secret or sum(self._values[p] for p in secret) >= min_n:
                continue
            shown = [p for p in parts if p not in hidden and self._values[p] > 0 and p not in self._public]
            if not shown and total in self._public:
                continue  # the public total already tells that its hidden parts are few
            hidden[min(shown, key=self._rank) if shown else total] = REASON_COMPLEMENT
            return True
        return False

    def derivable(self, hidden: Iterable[Hashable]) -> list[Hashable]:
        """Hidden cells whose value follows from the shown cells through the relations."""
        hidden = set(hidden)
        relations = [r for r in self._relations if hidden.intersection(r)]
        if not relations:
            return []
        unknowns = sorted({k for r in relations for k in r if k in hidden}, key=self._order.__getitem__)
        column = {k: i for i, k in enumerate(unknowns)}
        matrix = np.zeros((len(relations), len(unknowns)))
        for i, relation in enumerate(relations):
            for key, coefficient in relation.items():
                if key in column:
                    matrix[i, column[key]] = coefficient
        from scipy.linalg import null_space  # imported when a table has hidden cells to check

        basis = null_space(matrix)
        if basis.shape[1] == 0:
            return unknowns
        norms = np.linalg.norm(basis, axis=1)
        return [k for k, norm in zip(unknowns, norms, strict=True) if norm < _TOLERANCE]

    def _complements(self, cell: Hashable, hidden: dict[Hashable, str]) -> list[Hashable]:
        """Step 4: the cheapest shown cells whose hiding makes ``cell`` underivable.

        Zero cells are used only when nothing else works: a protection vector
        through cells that all hold at least 1 also leaves the cell a range of
        values when a reader adds that counts are never negative.
        """
        for allow_zero in (False, True):
            chosen = self._solve(cell, hidden, allow_zero)
            if chosen is not None:
                return chosen
        if self._public:
            return []  # the public cells alone give the cell away: nothing left to hide helps
        raise RuntimeError(f"no complementary suppression found for {cell!r}")  # pragma: no cover - hiding all works

    def _solve(self, cell: Hashable, hidden: dict[Hashable, str], allow_zero: bool) -> list[Hashable] | None:
        from scipy.optimize import Bounds, LinearConstraint, milp  # imported when a cell needs complements
        from scipy.sparse import coo_matrix, hstack

        keys = list(self._values)
        index = {k: i for i, k in enumerate(keys)}
        n, m = len(keys), len(self._relations)
        rows, cols, data = [], [], []
        for r, relation in enumerate(self._relations):
            for key, coefficient in relation.items():
                rows.append(r)
                cols.append(index[key])
                data.append(coefficient)
        relations = coo_matrix((data, (rows, cols)), shape=(m, n))
        shown = np.array([k not in hidden for k in keys])
        usable = shown & np.array([(allow_zero or self._values[k] > 0) and k not in self._public for k in keys])
        visible = np.flatnonzero(shown)
        pick = coo_matrix((np.ones(len(visible)), (range(len(visible)), visible)), shape=(len(visible), n))
        constraints = [
            LinearConstraint(hstack([relations, coo_matrix((m, n))]), 0, 0),  # A v = 0
            LinearConstraint(hstack([pick, -_BOUND * pick]), -np.inf, 0),  # v_i <= M y_i on shown cells
            LinearConstraint(hstack([-pick, -_BOUND * pick]), -np.inf, 0),  # -v_i <= M y_i on shown cells
        ]
        low = np.concatenate([np.full(n, -_BOUND), np.zeros(n)])
        high = np.concatenate([np.full(n, _BOUND), usable.astype(float)])
        low[index[cell]] = high[index[cell]] = 1.0
        cost = np.concatenate([np.zeros(n), [self._weight(k) if k not in hidden else 0.0 for k in keys]])
        result = milp(
            cost,
            constraints=constraints,
            integrality=np.r_[np.zeros(n), np.ones(n)],
            bounds=Bounds(low, high),
            options={"node_limit": _NODE_LIMIT},  # a limit in nodes, not seconds: the same answer on every machine
        )
        if result.x is None:
            return None
        return [k for k, y in zip(keys, result.x[n:], strict=True) if y > 0.5 and k not in hidden]
