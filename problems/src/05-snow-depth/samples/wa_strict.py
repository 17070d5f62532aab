n = int(input())
d = list(map(int, input().split()))
st = []
res = []
for i, x in enumerate(d):
    while st and d[st[-1]] < x:
        st.pop()
    res.append(i - st[-1] if st else i + 1)
    st.append(i)
print(*res)
