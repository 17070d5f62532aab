import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    a = data[2:2 + n]
    by_right = [[] for _ in range(n + 1)]
    pos = 2 + n
    for idx in range(q):
        l, r = int(data[pos]), int(data[pos + 1])
        pos += 2
        by_right[r].append((l, idx))
    # sweep r; only the last occurrence of every code so far is marked in the Fenwick tree
    tree = [0] * (n + 1)
    last = {}
    marked = 0
    ans = [0] * q
    for i in range(1, n + 1):
        v = a[i - 1]
        p = last.get(v)
        if p:
            while p <= n:
                tree[p] -= 1
                p += p & -p
        else:
            marked += 1
        j = i
        while j <= n:
            tree[j] += 1
            j += j & -j
        last[v] = i
        for l, idx in by_right[i]:
            before = 0  # marked positions < l
            j = l - 1
            while j:
                before += tree[j]
                j &= j - 1
            ans[idx] = marked - before
    sys.stdout.write("\n".join(map(str, ans)) + "\n")


main()
