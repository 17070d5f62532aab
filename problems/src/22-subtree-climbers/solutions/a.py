import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    parent = [0, 0] + [int(x) for x in data[1:n]]
    value = [0] + [int(x) for x in data[n:2 * n]]
    children = [[] for _ in range(n + 1)]
    for v in range(2, n + 1):
        children[parent[v]].append(v)
    tin = [0] * (n + 1)
    tout = [0] * (n + 1)
    timer = 0
    stack = [(1, False)]
    while stack:  # iterative DFS assigning entry/exit times
        v, leaving = stack.pop()
        if leaving:
            tout[v] = timer
            continue
        timer += 1
        tin[v] = timer
        stack.append((v, True))
        for c in children[v]:
            stack.append((c, False))
    tree = [0] * (n + 1)
    answer = [0] * (n + 1)
    order = sorted(range(1, n + 1), key=lambda v: -value[v])
    i = 0
    while i < n:
        j = i
        while j < n and value[order[j]] == value[order[i]]:
            j += 1
        for v in order[i:j]:  # only strictly larger values are in the tree yet
            s = 0
            k = tout[v]
            while k:
                s += tree[k]
                k &= k - 1
            k = tin[v] - 1
            while k:
                s -= tree[k]
                k &= k - 1
            answer[v] = s
        for v in order[i:j]:
            k = tin[v]
            while k <= n:
                tree[k] += 1
                k += k & -k
        i = j
    sys.stdout.write(" ".join(map(str, answer[1:])) + "\n")


main()
