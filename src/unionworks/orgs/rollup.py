"""Roll figures up the organisation tree.

Figures are counted once per organisation where the records sit (a grassroots union,
a township that registers units); a node's figure is the sum over its subtree. The
tree is read once (id, parent, path) and summed bottom-up in one pass, so the whole
province (~54,000 nodes) costs one query plus linear work. Ratios are never rolled
up: they are computed afterwards from rolled-up numerators and denominators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from unionworks.core.scoping import subtree_filter
from unionworks.orgs.models import Org


@dataclass
class TreeNode:
    id: int
    parent_id: int | None
    path: str
    name: str
    kind: str
    figures: dict = field(default_factory=dict)


def load_subtree(root: Org) -> dict[int, TreeNode]:
    rows = Org.objects.filter(**subtree_filter(root.path)).values_list(
        "id", "parent_id", "path", "name", "kind"
    )
    return {r[0]: TreeNode(*r) for r in rows}


def roll_up(
    nodes: dict[int, TreeNode], leaf_figures: dict[str, dict[int, int]]
) -> dict[int, TreeNode]:
    """Fill ``node.figures[name]`` with the subtree sum of each named per-org figure."""
    totals: dict[str, defaultdict] = {name: defaultdict(int) for name in leaf_figures}
    for name, per_org in leaf_figures.items():
        for org_id, value in per_org.items():
            if org_id in nodes:
                totals[name][org_id] += value
    # Deepest first, so each node is complete before it is added to its parent.
    for node in sorted(nodes.values(), key=lambda n: len(n.path), reverse=True):
        for name in leaf_figures:
            value = totals[name][node.id]
            node.figures[name] = value
            if node.parent_id in nodes and value:
                totals[name][node.parent_id] += value
    return nodes
