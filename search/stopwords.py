"""Words a question is made of that say nothing about what it asks for.

They rank nothing and match nothing on their own; inside a quoted phrase or a name
they still count, since the phrase or the name is searched as written (``Bank of
America``, ``"what is ICT"``).  English function words as typed (before stemming), and
the Chinese function and question words a sentence typed as a query is full of.

>>> is_stopword("The"), is_stopword("什么"), is_stopword("laminar"), is_stopword("数字鸿沟"), is_stopword("IT")
(True, True, False, False, False)
"""

from __future__ import annotations

ENGLISH = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either else etc ever every
    few for from further give given had has have having he her here hers herself him himself his how
    however i if in into is it its itself just let may me might more most much must my myself neither
    no nor not now of off on once only or other others otherwise our ours ourselves out over own per
    please possible rather same several shall she should so some such than that the their theirs them
    themselves then there these they this those through thus to too under until up upon us very via
    was we were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)

CHINESE = frozenset(
    """
    的 了 是 在 和 与 及 或 而 也 都 就 被 把 对 为 由 从 向 以 于 之 其 这 那 这个 那个 这些 那些
    什么 哪些 哪个 哪里 哪儿 哪 谁 几 多少 怎样 怎么 怎么样 如何 为何 为什么 是否 是不是 有没有 有无
    吗 呢 吧 啊 呀 么 关于 有关 一个 一些 有 会 能 可以 应 应该 需要 请问 请 问 第 号 个
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)


def is_stopword(word: str) -> bool:
    """Whether a word as typed is a function or question word; an acronym (``IT``, ``US``) is not."""
    if len(word) > 1 and word.isupper():
        return False
    return word.lower() in ENGLISH or word in CHINESE
