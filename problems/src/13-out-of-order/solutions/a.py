import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    inversions = 0
    width = 1
    while width < n:  # bottom-up merge sort counting cross inversions
        merged = []
        for lo in range(0, n, 2 * width):
            left = a[lo:lo + width]
            right = a[lo + width:lo + 2 * width]
            i = j = 0
            nl, nr = len(left), len(right)
            while i < nl and j < nr:
                if right[j] < left[i]:
                    merged.append(right[j])
                    inversions += nl - i
                    j += 1
                else:
                    merged.append(left[i])
                    i += 1
            merged.extend(left[i:])
            merged.extend(right[j:])
        a = merged
        width *= 2
    print(inversions)


main()
