"""Roll figures up the organisation tree.

Figures are counted once per organisation where the records sit (a grassroots union,
a township that registers units); a node's figure is the sum over its subtree. The
tree is read once (id, parent, path) and summed bottom-up in one pass per figure, so
the whole province (~54,000 nodes) costs one query plus linear work. Ratios are never
rolled up: they are computed afterwards from rolled-up numerators and denominators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unionworks.core.scoping import subtree_filter
from unionworks.orgs.models import Org


@dataclass(slots=True)
class TreeNode:
    id: int
    parent_id: int | None
    path: str
    name: str
    kind: str
    figures: dict = field(default_factory=dict)

    @property
    def org_id(self) -> int:
        return self.id

    @property
    def kind_display(self) -> str:
        return Org.Kind(self.kind).label


def load_subtree(root: Org) -> dict[int, TreeNode]:
    rows = Org.objects.filter(**subtree_filter(root.path)).values_list(
        "id", "parent_id", "path", "name", "kind"
    )
    return {r[0]: TreeNode(*r) for r in rows}


def roll_up(
    nodes: dict[int, TreeNode], leaf_figures: dict[str, dict[int, int]]
) -> dict[int, TreeNode]:
    """Fill ``node.figures[name]`` with the subtree sum of each named per-org figure."""
    # Deepest first, so each node is complete before it is added to its parent.
    order = sorted(nodes.values(), key=lambda n: len(n.path), reverse=True)
    pairs = [(n.id, n.parent_id if n.parent_id in nodes else None) for n in order]
    columns = {}
    for name, per_org in leaf_figures.items():
        totals = {k: v for k, v in per_org.items() if k in nodes}
        get = totals.get
        for node_id, parent_id in pairs:
            value = get(node_id)
            if value and parent_id is not None:
                totals[parent_id] = get(parent_id, 0) + value
        columns[name] = totals
    names = list(leaf_figures)
    for node in nodes.values():
        node_id = node.id
        node.figures = {name: columns[name].get(node_id, 0) for name in names}
    return nodes
