import sys

data = sys.stdin.read().split()
n = int(data[0])
par = [0, 0] + list(map(int, data[1:n]))
val = [0] + list(map(int, data[n:2 * n]))
kids = [[] for _ in range(n + 1)]
for v in range(2, n + 1):
    kids[par[v]].append(v)
res = [0] * (n + 1)
for v in range(1, n + 1):
    st = [v]
    c = 0
    while st:
        u = st.pop()
        if val[u] >= val[v]:
            c += 1
        st.extend(kids[u])
    res[v] = c
print(*res[1:])
