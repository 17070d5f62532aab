t = int(input())
for _ in range(t):
    n, k = map(int, input().split())
    x = 0
    for p in map(int, input().split()):
        x ^= p
    print("Alice" if x else "Bob")
