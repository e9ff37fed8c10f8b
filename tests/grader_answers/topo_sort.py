# ruff: noqa
# == right: iterative depth-first post-order with an explicit stack
def topo_sort(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if id(p) not in seen)
    return order

# == right: Kahn's algorithm on the reachable subgraph
from collections import deque

def topo_sort(root):
    nodes, children, stack = {id(root): root}, {}, [root]
    while stack:
        node = stack.pop()
        for p in node.parents:
            children.setdefault(id(p), []).append(node)
            if id(p) not in nodes:
                nodes[id(p)] = p
                stack.append(p)
    waiting = {k: len(set(map(id, n.parents))) for k, n in nodes.items()}
    ready = deque(n for k, n in nodes.items() if waiting[k] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for child in {id(c): c for c in children.get(id(node), [])}.values():
            waiting[id(child)] -= 1
            if waiting[id(child)] == 0:
                ready.append(child)
    return order

# == right: reverse of a root-first order built with a generator, returned as a tuple
def topo_sort(root):
    def postorder():
        seen, stack = {id(root)}, [(root, iter(root.parents))]
        while stack:
            node, parents = stack[-1]
            for p in parents:
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(p.parents)))
                    break
            else:
                stack.pop()
                yield node
    return tuple(postorder())

# == wrong recursion_limit: recursive depth-first search
def topo_sort(root):
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for p in node.parents:
            visit(p)
        order.append(node)

    visit(root)
    return order

# == wrong duplicate_nodes: no visited set (given up after a while)
def topo_sort(root):
    order, stack = [], [(root, False)]
    while stack and len(order) < 300_000:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents)
    return order

# == wrong order: root first (pre-order)
def topo_sort(root):
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(node.parents)
    return order

# == wrong order: breadth-first from the root, reversed
from collections import deque

def topo_sort(root):
    order, seen, queue = [], {id(root)}, deque([root])
    while queue:
        node = queue.popleft()
        order.append(node)
        for p in node.parents:
            if id(p) not in seen:
                seen.add(id(p))
                queue.append(p)
    return order[::-1]

# == wrong order: a correct post-order, returned root first
def topo_sort(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if id(p) not in seen)
    return order[::-1]

# == wrong none: follows only the first parent
def topo_sort(root):
    chain, node = [], root
    while True:
        chain.append(node)
        if not node.parents:
            break
        node = node.parents[0]
    return chain[::-1]

# == wrong not_implemented: the stub
def topo_sort(root):
    raise NotImplementedError()

# == wrong order: drops the root
def topo_sort(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents)
    return order[:-1]

# == wrong wrong_method: recursion after raising the recursion limit
import sys

def topo_sort(root):
    sys.setrecursionlimit(10**6)
    order, seen = [], set()
    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for p in node.parents:
            visit(p)
        order.append(node)
    visit(root)
    return order

# == wrong recursion_limit: recursion, the limit raised in the notebook beforehand
import sys
sys.setrecursionlimit(10**6)

def topo_sort(root):
    order, seen = [], set()
    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for p in node.parents:
            visit(p)
        order.append(node)
    visit(root)
    return order
