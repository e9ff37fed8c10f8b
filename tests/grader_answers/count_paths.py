# ruff: noqa
# == right: topological order, then push counts down from the root
def parents_first(root):
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

def count_paths(root):
    counts = {node: 0 for node in parents_first(root)}
    counts[root] = 1
    for node in reversed(list(counts)):
        for p in node.parents:
            counts[p] += counts[node]
    return counts

# == right: Kahn's algorithm from the root, a node is done when all its uses have reported
from collections import defaultdict

def count_paths(root):
    waiting, stack, seen = defaultdict(int), [root], {id(root)}
    while stack:  # how many edges lead into each node from its users
        node = stack.pop()
        for p in node.parents:
            waiting[id(p)] += 1
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    counts, ready = {root: 1}, [root]
    while ready:
        node = ready.pop()
        for p in node.parents:
            counts[p] = counts.get(p, 0) + counts[node]
            waiting[id(p)] -= 1
            if waiting[id(p)] == 0:
                ready.append(p)
    return counts

# == right: pull from the users, keyed by id, then mapped back to the nodes
def count_paths(root):
    order, seen, stack = [], set(), [(root, iter(root.parents))]
    seen.add(id(root))
    users, by_id = {id(root): []}, {id(root): root}
    while stack:
        node, parents = stack[-1]
        for p in parents:
            users.setdefault(id(p), []).append(node)
            if id(p) not in seen:
                seen.add(id(p))
                by_id[id(p)] = p
                stack.append((p, iter(p.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    paths = {}
    for node in reversed(order):
        paths[id(node)] = 1 if node is root else sum(paths[id(u)] for u in users[id(node)])
    return {by_id[k]: float(v) for k, v in paths.items()}

# == shared: a correct topological sort (as in the lesson's first exercise; named apart so it does not replace a topo_sort answer)
def parents_first(root):
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

# == wrong no_accumulation: a parent used twice is counted once
def count_paths(root):
    counts = {root: 1}
    for node in reversed(parents_first(root)):
        for p in set(node.parents):
            counts[p] = counts.get(p, 0) + counts[node]
    return counts

# == wrong no_accumulation: keeps the largest user count instead of the sum
def count_paths(root):
    counts = {root: 1}
    for node in reversed(parents_first(root)):
        for p in node.parents:
            counts[p] = max(counts.get(p, 0), counts[node])
    return counts

# == wrong chain_rule: counts the uses of each node
def count_paths(root):
    counts = {root: 1}
    for node in parents_first(root):
        for p in node.parents:
            counts[p] = counts.get(p, 0) + 1
    return counts

# == wrong transposed: counts paths from the inputs to each node
def count_paths(root):
    counts = {}
    for node in parents_first(root):
        counts[node] = sum(counts[p] for p in node.parents) if node.parents else 1
    return counts

# == wrong order: pushes counts in topological order, not reversed
def count_paths(root):
    counts = {node: 0 for node in parents_first(root)}
    counts[root] = 1
    for node in parents_first(root):
        for p in node.parents:
            counts[p] += counts[node]
    return counts

# == wrong recursion_limit: recursive with a memo
def count_paths(root):
    users = {}
    for node in parents_first(root):
        for p in node.parents:
            users.setdefault(p, []).append(node)
    memo = {}

    def paths(node):
        if node is root:
            return 1
        if node not in memo:
            memo[node] = sum(paths(u) for u in users[node])
        return memo[node]

    return {node: paths(node) for node in parents_first(root)}

# == wrong not_implemented: the stub
def count_paths(root):
    raise NotImplementedError()

# == wrong garbled: a list of counts in topological order instead of a dict
def count_paths(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents)
    counts = {id(node): 0 for node in order}
    counts[id(root)] = 1
    for node in reversed(order):
        for p in node.parents:
            counts[id(p)] += counts[id(node)]
    return [counts[id(node)] for node in order]
