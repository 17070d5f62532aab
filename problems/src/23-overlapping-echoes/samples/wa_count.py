text = input()
pat = input()
print(text.count(pat))
