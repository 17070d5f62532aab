import os

chunks = []
while True:
    chunk = os.read(0, 1 << 25)
    if not chunk:
        break
    chunks.append(chunk)
data = b"".join(chunks).split()
n = int(data[0])
count = {0: 1}
s = 0
res = 0
for x in map(int, data[1:n + 1]):
    s += x
    res += count.get(s, 0)
    count[s] = count.get(s, 0) + 1
print(res)
