"""Indicator values for an organisation's subtree and a period: evaluated at the leaves
by each source, rolled up the tree, ratios after the roll-up; 同比 and completion.

Figures are **maintained**, not recomputed. For each (source, root, period) asked for,
this process keeps the source's leaf values per organisation and their rolled-up
totals per node (``Kept``). Before using them it reads the change notes committed
since (``core.changes``: one indexed query, the same for every worker, so no shared
cache is needed for freshness): the subtrees whose records changed are counted again
by the source — one query over that subtree only — and the difference is added to the
node and its ancestors (at most five levels). A write in 吕梁 leaves 太原's figures as
they are; a change to the tree itself recounts everything. A read inside a transaction
(that may hold uncommitted writes) neither uses nor fills what is kept.

A dashboard reads a node and its children: ``Figures`` builds the nodes asked for, not
the 54,781 of a province.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from unionworks.core import changes
from unionworks.core.periods import Period, as_of
from unionworks.core.scoping import SEGMENT, path_upper_bound
from unionworks.orgs.models import Org, OrgEvent
from unionworks.orgs.rollup import TreeNode, load_subtree
from unionworks.stats import registry
from unionworks.stats.registry import Indicator

SHARED_FOR = 24 * 3600  # seconds a shared entry stays in the cache
LOG_LIMIT = 50_000  # notes a process keeps before it starts afresh
KEPT_ENTRIES = 256  # (source, root, period) entries a process keeps, least recently used out
# Counting a dirty subtree again beats recounting the root only while the subtrees are
# small; past this share of the tree the whole root is counted again.
WHOLE_SHARE = 0.25
# A roll-up adds each value up its chain when the values sit at fewer orgs than the tree
# has nodes divided by this (about the tree's depth), else walks the whole tree once.
SPARSE_DEPTH = 8


def ratio(numerator, denominator) -> float | None:
    """A rate, or None where the denominator is zero (shown as "—")."""
    if not denominator:
        return None
    return float(numerator) / float(denominator)


# -- the tree of a root --------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A 隶属关系调整 recorded after the day asked: undone to see the tree of that day."""

    id: int
    org_id: int
    from_parent_id: int
    on: object  # the date


def moves_after(day) -> tuple[Move, ...]:
    """The moves dated after ``day``, latest first (undone in that order)."""
    rows = (
        OrgEvent.objects.filter(kind=OrgEvent.Kind.MOVED, on__gt=day)
        .order_by("-on", "-id")
        .values_list("id", "org_id", "from_parent_id", "on")
    )
    return tuple(Move(*row) for row in rows)


def _dated_nodes(root: Org, nodes: dict[int, TreeNode], moves: tuple[Move, ...]):
    """The root's subtree as it stood before ``moves``: the moved orgs go back under their
    former parents (with their subtrees), each node gets the path it had then. Returns the
    nodes and, per node, the path it has now (what the records' queries read)."""
    loaded = dict(nodes)
    for org in Org.objects.filter(pk__in={m.org_id for m in moves}).exclude(pk__in=loaded):
        loaded.update(load_subtree(org))
    parent = {node.id: node.parent_id for node in loaded.values()}
    for move in moves:  # latest first: each undone in turn
        if move.org_id in parent:
            parent[move.org_id] = move.from_parent_id
    paths: dict[int, str | None] = {root.pk: root.path}

    def dated_path(org_id: int, depth: int = 0) -> str | None:
        if org_id in paths:
            return paths[org_id]
        up = parent.get(org_id)
        found = None
        if up is not None and up in loaded and depth < 16:
            above = dated_path(up, depth + 1)
            found = None if above is None else above + str(org_id).zfill(SEGMENT)
        paths[org_id] = found
        return found

    dated = {}
    for node in loaded.values():
        path = dated_path(node.id)
        if path is not None:
            dated[node.id] = TreeNode(node.id, parent[node.id], path, node.name, node.kind)
    return dated, {org_id: loaded[org_id].path for org_id in dated}


class Tree:
    """A root's subtree as this process keeps it: nodes, children in tree order, and the
    nodes sorted by path (a subtree is then one contiguous slice). With ``moves`` (the
    隶属关系调整 dated after the day asked) it is the tree as it stood on that day."""

    def __init__(self, root: Org, moves: tuple[Move, ...] = ()):
        self.root_id = root.pk
        self.root_path = root.path
        self.moves = moves
        self.nodes: dict[int, TreeNode] = load_subtree(root)
        self.current_paths: dict[int, str] | None = None
        if moves:
            self.nodes, self.current_paths = _dated_nodes(root, self.nodes, moves)
        ordered = sorted(self.nodes.values(), key=lambda n: n.path)
        self.paths = [n.path for n in ordered]
        self.order = [n.id for n in ordered]
        self.children: dict[int, list[int]] = {}
        for node in ordered:
            if node.parent_id in self.nodes:
                self.children.setdefault(node.parent_id, []).append(node.id)
        self.ancestor_ids = {
            int(root.path[i : i + SEGMENT]) for i in range(0, len(root.path) - SEGMENT, SEGMENT)
        }

    def subtree(self, org_id: int) -> list[int]:
        path = self.nodes[org_id].path
        start = bisect.bisect_left(self.paths, path)
        end = bisect.bisect_left(self.paths, path_upper_bound(path))
        return self.order[start:end]

    def chain(self, org_id: int) -> Iterator[int]:
        """The node and its ancestors inside the tree, bottom up."""
        nodes = self.nodes
        while org_id in nodes:
            yield org_id
            org_id = nodes[org_id].parent_id

    def stub(self, org_id: int) -> Org:
        """The org as a source's root (what ``subtree_q`` reads of it; a node without
        children is selected by its id, which the records' indexes serve directly)."""
        node = self.nodes[org_id]
        if self.current_paths is not None:  # a past tree: the records sit under today's paths
            org = Org(pk=node.id, parent_id=node.parent_id, path=self.current_paths[org_id])
            org.is_leaf = False
            return org
        org = Org(pk=node.id, parent_id=node.parent_id, path=node.path, name=node.name)
        org.is_leaf = org_id not in self.children
        return org

    def moved_away(self) -> list[int]:
        """In a past tree, the nodes whose records sit outside the root's subtree today (they
        moved away since): their subtrees are counted besides the root's."""
        if self.current_paths is None:
            return []
        top, upper = self.root_path, path_upper_bound(self.root_path)
        outside = [i for i, path in self.current_paths.items() if not top <= path < upper]
        return [i for i in outside if self.nodes[i].parent_id not in outside]

    def counts_below(self) -> dict[int, tuple[int, int]]:
        """Per node: the unions below it and, of them, the grassroots unions (once a tree)."""
        found = getattr(self, "_below", None)
        if found is None:
            found = {node_id: (0, 0) for node_id in self.order}
            for node_id in reversed(self.order):
                node = self.nodes[node_id]
                if node.parent_id in self.nodes:
                    orgs, grassroots = found[node.parent_id]
                    below, below_grassroots = found[node_id]
                    found[node.parent_id] = (
                        orgs + below + 1,
                        grassroots + below_grassroots + (node.kind == Org.Kind.GRASSROOTS),
                    )
            self._below = found
        return found

    def roll_up(self, leaf: dict[int, object]) -> dict[int, object]:
        totals = dict(leaf)
        get = totals.get
        nodes = self.nodes
        if len(leaf) * SPARSE_DEPTH < len(self.order):
            # Few orgs hold a value (commended units, one kind of contract…): add each up
            # its chain of ancestors rather than walk the whole tree.
            for node_id, value in leaf.items():
                if not value or node_id not in nodes:
                    continue
                parent = nodes[node_id].parent_id
                while parent in nodes:
                    totals[parent] = get(parent, 0) + value
                    parent = nodes[parent].parent_id
            return totals
        for node_id in reversed(self.order):  # deepest paths come after their parents
            value = get(node_id)
            parent = nodes[node_id].parent_id
            if value and parent in nodes:
                totals[parent] = get(parent, 0) + value
        return totals


# -- what this process keeps, and how it is brought up to date --------------------------


@dataclass
class Kept:
    leaf: dict[str, dict[int, object]]  # code → org → the source's value where records sit
    totals: dict[str, dict[int, object]]  # code → node → its subtree's total
    seen: int  # how many notes of this process's log it has taken in


class _Keeper:
    """The process's kept figures and its log of the change notes read so far."""

    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        self.reader = changes.Reader("stats")
        self.log: list[changes.Note] = []
        self.trees: dict[tuple, tuple[int, Tree]] = {}  # (root id, moves) → (position, tree)
        self.moves: tuple[int, tuple[Move, ...]] | None = None  # (position, every move)
        self.kept: OrderedDict[tuple, Kept] = OrderedDict()
        self.series: OrderedDict[tuple, Kept] = OrderedDict()  # trends, keyed by (code, i)

    def poll(self) -> int:
        """Read the notes committed since the last poll (once per request); the log's new
        length."""
        self.log.extend(self.reader.news() or ())
        if len(self.log) > LOG_LIMIT:
            reader = self.reader  # start afresh from here rather than keep an endless log
            self.reset()
            self.reader = reader
        return len(self.log)

    def notes_since(self, position: int) -> list[changes.Note]:
        return self.log[position:]

    def tree_changed_since(self, position: int, now: int) -> bool:
        return any(n.scope == changes.Change.Scope.ALL for n in self.log[position:now])

    def moves_after(self, day, now: int) -> tuple[Move, ...]:
        """The moves dated after ``day`` (read once per change to the tree)."""
        if self.moves is None or self.tree_changed_since(self.moves[0], now):
            self.moves = (now, moves_after(dt.date.min))
        else:
            self.moves = (now, self.moves[1])
        return tuple(m for m in self.moves[1] if m.on > day)

    def tree(self, root: Org, now: int, moves: tuple = ()) -> Tree:
        found = self.kept_tree(root.pk, now, moves)
        if found is not None:
            return found
        if len(self.trees) > 32:
            self.trees.clear()
        tree = Tree(root, moves)
        self.trees[(root.pk, moves)] = (now, tree)
        return tree

    def kept_tree(self, root_id: int, now: int, moves: tuple = ()) -> Tree | None:
        """The tree kept for ``root_id``, if no change to the tree came since."""
        found = self.trees.get((root_id, moves))
        if found is None or self.tree_changed_since(found[0], now):
            return None
        self.trees[(root_id, moves)] = (now, found[1])
        return found[1]

    def covering(self, store: OrderedDict, key: tuple, root: Org, now: int, moves: tuple = ()):
        """An entry kept for ``root`` or, failing that, for its nearest ancestor whose
        tree is kept (a city's figures are nodes of the province's): (root id, tree)."""
        name, _root_id, *rest = key
        ancestors = [
            int(root.path[i : i + SEGMENT]) for i in range(0, len(root.path) - SEGMENT, SEGMENT)
        ]
        for root_id in [root.pk, *reversed(ancestors)]:
            if (name, root_id, *rest) in store:
                tree = self.kept_tree(root_id, now, moves)
                if tree is not None and root.pk in tree.nodes:
                    return root_id, tree
        return root.pk, self.tree(root, now, moves)


_KEEPER = _Keeper()


def forget_everything() -> None:
    """Drop what this process keeps (tests start from nothing)."""
    with _KEEPER.lock:
        _KEEPER.reset()


def _keeping() -> bool:
    """Kept figures are read and filled outside transactions only: a transaction's own
    uncommitted notes must not be taken in (they may yet be rolled back)."""
    return not connection.in_atomic_block


def _dirty_roots(tree: Tree, notes: list[changes.Note], app: str = "") -> list[int] | None:
    """The subtrees of ``tree`` to count again for ``notes`` about ``app``'s records
    (any app's when ''); None for the whole tree."""
    dirty: set[int] = set()
    for note in notes:
        if note.scope == changes.Change.Scope.ALL:
            return None
        if tree.moves and (not app or not note.app or note.app == app):
            return None  # a past tree (before a move) is rare: counted again whole
        if app and note.app and note.app != app:
            continue
        if note.org_id in tree.nodes:
            dirty.add(note.org_id)
        elif note.scope == changes.Change.Scope.SUBTREE and note.org_id in tree.ancestor_ids:
            return None  # a bulk write above the root may have written anywhere in it
    if tree.root_id in dirty:
        return None
    roots = [d for d in dirty if not any(a in dirty for a in list(tree.chain(d))[1:])]
    if sum(len(tree.subtree(d)) for d in roots) > WHOLE_SHARE * len(tree.nodes):
        return None
    return roots


def _leaves(source: registry.Source, tree: Tree, period: Period) -> dict:
    """The source's leaf values for the whole tree (and, in a past tree, for the subtrees
    that have moved away since)."""
    leaf = source.compute(tree.stub(tree.root_id), period)
    for org_id in tree.moved_away():
        for code, values in source.compute(tree.stub(org_id), period).items():
            leaf.setdefault(code, {}).update(values)
    return leaf


def _count(source: registry.Source, tree: Tree, period: Period) -> Kept:
    leaf = _leaves(source, tree, period)
    return Kept(leaf, {code: tree.roll_up(values) for code, values in leaf.items()}, 0)


def _recount(kept: Kept, source: registry.Source, tree: Tree, period: Period, roots) -> None:
    """Count the subtrees ``roots`` again and carry each difference up the tree."""
    for root_id in roots:
        _patch(kept, tree, root_id, source.compute(tree.stub(root_id), period))


def _patch(kept: Kept, tree: Tree, root_id: int, fresh: dict) -> None:
    """``fresh`` holds the leaf values of ``root_id``'s subtree as counted now: replace the
    kept ones and add each difference to the node and its ancestors."""
    members = tree.subtree(root_id)
    for key in set(kept.leaf) | set(fresh):
        old = kept.leaf.setdefault(key, {})
        new = fresh.get(key, {})
        totals = kept.totals.setdefault(key, {})
        for org_id in members:
            before, after = old.get(org_id, 0), new.get(org_id, 0)
            if before == after:
                continue
            if after:
                old[org_id] = after
            else:
                old.pop(org_id, None)
            difference = after - before
            for node_id in tree.chain(org_id):
                totals[node_id] = totals.get(node_id, 0) + difference


def kept_totals(source: registry.Source, root: Org, period: Period) -> tuple[Tree, dict]:
    """The tree the root's figures are kept in (the root's own, or an ancestor's that
    holds it) and the source's rolled-up totals ``{code: {node: total}}``."""
    if not _keeping():
        tree = Tree(root, moves_after(period.as_of))
        return tree, _count(source, tree, period).totals
    keeper = _KEEPER
    with keeper.lock:
        now = keeper.poll()
        key = (source.name, root.pk, period.code)
        moves = keeper.moves_after(period.as_of, now)
        holder, tree = keeper.covering(keeper.kept, key, root, now, moves)
        if holder == root.pk and key not in keeper.kept:
            holder, tree = _shared_ancestor(
                keeper.kept, key, (), root, now, moves, source.app,
                lambda k, t, roots: _recount(k, source, t, period, roots),
            ) or (holder, tree)  # fmt: skip
        key = (source.name, holder, period.code)
        kept = keeper.kept.get(key)
        if kept is not None:
            keeper.kept.move_to_end(key)
            notes = keeper.notes_since(kept.seen)
            if notes:
                roots = _dirty_roots(tree, notes, source.app)
                if roots is None:
                    kept = None
                elif roots:
                    _recount(kept, source, tree, period, roots)
        if kept is None:
            kept = _shared_kept(
                key, tree, source.app, lambda k, roots: _recount(k, source, tree, period, roots)
            )
            if kept is None:
                kept = _count(source, tree, period)
                _share(key, kept, keeper.reader.mark)
            keeper.kept[key] = kept
            while len(keeper.kept) > KEPT_ENTRIES:
                keeper.kept.popitem(last=False)
        kept.seen = now
        return tree, kept.totals


# -- kept figures shared between workers (with a shared cache) ---------------------------
#
# A worker that starts, or asks for figures another worker has counted, takes them from
# the shared cache with the mark they were counted at, and brings them up to date from
# the notes committed since, as for its own: the province counted once, not once per
# worker. Only with a cache the workers share (Redis); in one process it would only
# double the memory.


def _sharing() -> bool:
    return bool(getattr(settings, "SHARE_KEPT_FIGURES", False))


def _shared_key(key: tuple) -> str:
    # A digest: the key holds a trend's periods, too long and too odd for a cache key.
    return "uw:kept:" + hashlib.sha256(repr(key).encode()).hexdigest()


def _share(key: tuple, kept: Kept, mark: changes.Mark | None) -> None:
    if _sharing() and mark is not None:
        cache.set(_shared_key(key), (copy.deepcopy(mark), kept.leaf, kept.totals), SHARED_FOR)


def _shared_kept(key: tuple, tree: Tree, app: str, recount) -> Kept | None:
    """The entry another worker shared for ``key``, brought up to date; None if there is
    none (or it is older than a change to the tree)."""
    if not _sharing():
        return None
    found = cache.get(_shared_key(key))
    if found is None:
        return None
    mark, leaf, totals = found
    roots = _dirty_roots(tree, changes.read_since(mark), app)
    if roots is None:
        return None
    kept = Kept(leaf, totals, 0)
    if roots:
        recount(kept, roots)
    return kept


def _shared_ancestor(store, key, prefix, root, now, moves, app, recount):
    """Nothing this process keeps covers ``root`` (a city asked first after a restart):
    the entry another worker shared for the root of its tree holds every node's figures.
    Taken, brought up to date and kept as this process's own; (holder, tree), or None."""
    if not _sharing() or moves or root.parent_id is None:
        return None
    name, _root_id, *rest = key
    top_id = int(root.path[:SEGMENT])
    top = Org.objects.filter(pk=top_id).first()
    if top is None:
        return None
    tree = _KEEPER.tree(top, now)
    if root.pk not in tree.nodes:
        return None
    top_key = (name, top_id, *rest)
    kept = _shared_kept((*prefix, *top_key), tree, app, lambda k, roots: recount(k, tree, roots))
    if kept is None:
        return None
    kept.seen = now
    store[top_key] = kept
    return top_id, tree


def _sources(codes: list[str]) -> list[registry.Source]:
    seen: dict[str, registry.Source] = {}
    for code in registry.base_codes(codes):
        source = registry.get(code).source
        seen.setdefault(source.name, source)
    return list(seen.values())


def with_ratios(figures: dict, codes: list[str]) -> dict:
    """The counted figures plus every ratio in ``codes``, computed from its parts."""
    result = dict(figures)
    for code in codes:
        _value(result, code)
    return result


def _value(figures: dict, code: str):
    if code in figures:
        return figures[code]
    indicator = registry.get(code)
    figures[code] = ratio(
        _value(figures, indicator.numerator), _value(figures, indicator.denominator)
    )
    return figures[code]


class Figures(Mapping):
    """The nodes of a root's subtree with ``node.figures[code]`` for each code, built when
    asked for: a dashboard reads the root and its children, not every node."""

    def __init__(
        self, tree: Tree, totals: dict[str, dict[int, object]], codes: list[str], root_id: int
    ):
        self.tree = tree  # the root's own, or an ancestor's that holds it
        self.root_id = root_id
        self.totals = totals
        self.bases = registry.base_codes(codes)
        self.money = [code for code in self.bases if registry.get(code).money]
        ratios = [registry.get(code) for code in codes if registry.get(code).is_ratio]
        self.simple = [
            (r.code, r.numerator, r.denominator)
            for r in ratios
            if r.numerator in self.bases and r.denominator in self.bases
        ]
        self.nested = [
            r.code for r in ratios if (r.code, r.numerator, r.denominator) not in self.simple
        ]
        self.built: dict[int, TreeNode] = {}

    def __getitem__(self, org_id: int) -> TreeNode:
        node = self.built.get(org_id)
        if node is None:
            if org_id not in self:
                raise KeyError(org_id)  # outside the root's subtree, as a dict would say
            base = self.tree.nodes[org_id]
            figures = {code: self.totals.get(code, {}).get(org_id, 0) for code in self.bases}
            for code in self.money:
                figures[code] = Decimal(figures[code] or 0)
            for code, numerator, denominator in self.simple:
                figures[code] = ratio(figures[numerator], figures[denominator])
            if self.nested:
                figures = with_ratios(figures, self.nested)
            node = TreeNode(base.id, base.parent_id, base.path, base.name, base.kind, figures)
            self.built[org_id] = node
        return node

    def __iter__(self):
        return iter(self.tree.subtree(self.root_id))

    def __len__(self) -> int:
        return len(self.tree.subtree(self.root_id))

    def __contains__(self, org_id) -> bool:
        node = self.tree.nodes.get(org_id)
        return node is not None and node.path.startswith(self.tree.nodes[self.root_id].path)

    def children(self, org_id: int) -> list[TreeNode]:
        """The node's children, in tree order."""
        return [self[c] for c in self.tree.children.get(org_id, ())]

    def has_children(self, org_id: int) -> bool:
        return bool(self.tree.children.get(org_id))


def tree_counts(org: Org) -> dict[int, dict]:
    """The org tree page's counts for ``org`` and each of its children — unions below,
    grassroots unions below, units registered in the subtree today — from the kept tree
    and the kept ``units`` figure (no count query per node)."""
    nodes = evaluate(org, as_of(timezone.localdate()), ["units"])
    below = nodes.tree.counts_below()
    return {
        node_id: {
            "orgs": below[node_id][0],
            "grassroots": below[node_id][1],
            "units": nodes[node_id].figures["units"],
        }
        for node_id in [org.pk, *nodes.tree.children.get(org.pk, ())]
    }


def evaluate(root: Org, period: Period, codes: list[str]) -> Figures:
    """Every node of ``root``'s subtree with ``node.figures[code]`` for each code."""
    totals: dict[str, dict[int, object]] = {}
    tree = None
    for source in _sources(codes):
        tree, found = kept_totals(source, root, period)
        totals.update(found)
    if tree is None:
        tree = Tree(root)
    return Figures(tree, totals, codes, root.pk)


def series(root: Org, periods: list[Period], codes: list[str]) -> list[dict]:
    """The root's totals for each period (a trend), one scan per source where it can.

    Kept per (source, root, periods) like ``evaluate``'s figures: a source that gives its
    series per org is patched per dirty subtree; one that gives only the root's totals
    is counted again whole when a note touches its records in the root's subtree."""
    bases = registry.base_codes(codes)
    if periods and moves_after(min(p.as_of for p in periods)):
        # A move inside the trend: each period rolls up the tree of its own day.
        return [
            with_ratios({c: evaluate(root, p, bases)[root.pk].figures[c] for c in bases}, codes)
            for p in periods
        ]
    rows: list[dict] = [{} for _ in periods]
    for source in _sources(codes):
        for row, total in zip(rows, _kept_series(source, root, periods), strict=True):
            row.update(total)
    return [with_ratios({c: row.get(c, 0) for c in bases}, codes) for row in rows]


def _series(source: registry.Source, root: Org, periods: list[Period]) -> list[dict]:
    """The root's totals per period, counted now."""
    if source.series is None:
        found = [source.compute(root, p) for p in periods]
    else:
        found = source.series(root, periods)
        if not source.series_by_org:
            return found
    return [{code: sum(v.values()) for code, v in values.items()} for values in found]


def _series_leaves(source: registry.Source, org: Org, periods: list[Period]) -> dict:
    """Per organisation, ``{(code, i): {org: value}}`` for period ``i``: what a kept trend
    patches, as ``Kept`` does for one period."""
    found = (
        source.series(org, periods)
        if source.series_by_org
        else [source.compute(org, p) for p in periods]
    )
    return {(code, i): v for i, values in enumerate(found) for code, v in values.items()}


def _trend(kept: Kept, root_id: int, periods: list[Period]) -> list[dict]:
    rows: list[dict] = [{} for _ in periods]
    for (code, i), totals in kept.totals.items():
        rows[i][code] = totals.get(root_id, 0)
    return rows


def _kept_series(source: registry.Source, root: Org, periods: list[Period]) -> list[dict]:
    if not _keeping():
        return _series(source, root, periods)
    keeper = _KEEPER
    with keeper.lock:
        now = keeper.poll()
        key = (source.name, root.pk, tuple(p.code for p in periods))
        if source.series_by_org:  # a trend kept per org for an ancestor holds this root's
            holder, tree = keeper.covering(keeper.series, key, root, now)
            if holder == root.pk and key not in keeper.series:
                holder, tree = _shared_ancestor(
                    keeper.series, key, ("series",), root, now, (), source.app,
                    lambda k, t, roots: [
                        _patch(k, t, r, _series_leaves(source, t.stub(r), periods)) for r in roots
                    ],
                ) or (holder, tree)  # fmt: skip
            key = (source.name, holder, key[2])
        else:
            tree = keeper.tree(root, now)
        kept = keeper.series.get(key)
        if kept is not None:
            keeper.series.move_to_end(key)
            notes = keeper.notes_since(kept.seen)
            roots = _dirty_roots(tree, notes, source.app) if notes else []
            if roots is None or (roots and not source.series_by_org):
                kept = None  # a trend of totals only is counted again whole
            elif roots:
                for root_id in roots:
                    fresh = _series_leaves(source, tree.stub(root_id), periods)
                    _patch(kept, tree, root_id, fresh)
        if kept is None and source.series_by_org:
            kept = _shared_kept(
                ("series", *key),
                tree,
                source.app,
                lambda k, roots: [
                    _patch(k, tree, r, _series_leaves(source, tree.stub(r), periods)) for r in roots
                ],
            )
        if kept is None:
            if source.series_by_org:
                leaf = _series_leaves(source, tree.stub(tree.root_id), periods)
                kept = Kept(leaf, {k: tree.roll_up(v) for k, v in leaf.items()}, now)
                _share(("series", *key), kept, keeper.reader.mark)
            else:
                totals = _series(source, root, periods)
                leaf = {(c, i): {root.pk: v} for i, t in enumerate(totals) for c, v in t.items()}
                kept = Kept(leaf, leaf, now)
        if key not in keeper.series:
            keeper.series[key] = kept
            while len(keeper.series) > KEPT_ENTRIES:
                keeper.series.popitem(last=False)
        kept.seen = now
        return _trend(kept, root.pk, periods)


@dataclass
class Change:
    """同比: this period against the same period a year before."""

    current: object
    previous: object
    difference: object
    rate: float | None  # None when last year is zero or missing: shown as "—"


def year_on_year(current, previous, indicator: Indicator) -> Change:
    if current is None or previous is None:
        return Change(current, previous, None, None)
    if indicator.is_ratio:
        # For a rate the change is in percentage points; its own 同比 rate means little.
        return Change(current, previous, current - previous, None)
    return Change(
        current,
        previous,
        current - previous,
        None if not previous else (float(current) - float(previous)) / float(previous),
    )
