class Solution:
    def shortestFundedStretch(self, flows: List[int], target: int) -> int:
        pre = [0]
        for f in flows:
            pre.append(pre[-1] + f)
        q = deque()
        lengths = []
        for j in range(len(pre)):
            while q and pre[j] - pre[q[0]] >= target:
                lengths.append(j - q.popleft())
            while q and pre[q[-1]] >= pre[j]:
                q.pop()
            q.append(j)
        return min(lengths)
