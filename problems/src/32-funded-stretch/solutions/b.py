from bisect import bisect_right


class Solution:
    def shortestFundedStretch(self, flows, target):
        # for every end j find the latest start i < j with prefix[i] <= prefix[j] - target;
        # only starts whose prefix is smaller than every later prefix can be that start
        idx = []  # stack of start indices, prefix values strictly increasing
        vals = []
        best = -1
        p = 0
        for j in range(len(flows) + 1):
            if j:
                p += flows[j - 1]
                k = bisect_right(vals, p - target) - 1
                if k >= 0 and (best < 0 or j - idx[k] < best):
                    best = j - idx[k]
            while vals and vals[-1] >= p:
                vals.pop()
                idx.pop()
            vals.append(p)
            idx.append(j)
        return best
