class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        # deque and List come from the judge's preamble
        pre = [0]
        for f in flows:
            pre.append(pre[-1] + f)
        best = float("inf")
        q = deque()
        for j, p in enumerate(pre):
            while q and p - pre[q[0]] >= target:
                best = min(best, j - q.popleft())
            while q and pre[q[-1]] >= p:
                q.pop()
            q.append(j)
        return -1 if best == float("inf") else best
