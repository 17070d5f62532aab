def longest_run(s):
    best_char, best_len = "", 0
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        if j - i > best_len:
            best_char, best_len = s[i], j - i
        i = j
    return [best_char, best_len]
