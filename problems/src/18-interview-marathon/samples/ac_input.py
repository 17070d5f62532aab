import bisect

def main():
    n = int(input())
    items = []
    for _ in range(n):
        s, e, w = map(int, input().split())
        items.append((e, s, w))
    items.sort()
    E = [it[0] for it in items]
    dp = [0]
    for e, s, w in items:
        k = bisect.bisect_right(E, s)
        dp.append(max(dp[-1], dp[k] + w))
    print(dp[-1])

main()
