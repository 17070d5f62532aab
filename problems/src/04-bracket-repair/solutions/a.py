s = input().strip()
open_count = 0
inserted = 0
for ch in s:
    if ch == "(":
        open_count += 1
    elif open_count:
        open_count -= 1
    else:
        inserted += 1
print(inserted + open_count)
