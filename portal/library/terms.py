"""What the matcher reads of an item: weighted tokens with their synonym groups.

Tokens come from the same jieba segmentation and domain dictionary as search.
Fields are weighted by repetition (title and keywords ×3, summary ×2,
description ×1), and every token that belongs to a near-synonym group also
adds the group's token `~N`, so 动力电池 in a demand meets 锂离子电池 in an
achievement. Stored on each item (`match_terms`) when it is saved, so that
matching never segments text.
"""

from functools import lru_cache
from pathlib import Path

from portal.library.search import index_tokens

SYNONYMS_PATH = Path(__file__).with_name("synonyms.txt")
FIELD_WEIGHTS = {"a": 3, "b": 2, "c": 1}
# Words every demand or achievement uses: they say nothing about the technology.
GENERIC = frozenset(
    "应用 产业化 研发 研究 开发 公司 我公司 企业 需要 需求 希望 要求 问题 解决 实现 能够 "
    "进行 提供 提高 相关 具有 采用 通过 目前 主要 重点 寻求 引进 成熟 合作 转让 许可 "
    "服务 领域 行业 环节 瓶颈 水平 国内 领先 完成 已经 形成 完整 关键 指标 项目 团队 一年".split()
)


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, str]:
    """word → group token, from synonyms.txt."""
    groups: dict[str, str] = {}
    for number, line in enumerate(SYNONYMS_PATH.read_text(encoding="utf-8").splitlines()):
        line = line.split("#", 1)[0].strip()
        for word in line.lower().split():
            groups.setdefault(word, f"~{number}")
    return groups


@lru_cache(maxsize=1)
def group_words() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for word, group in synonym_groups().items():
        words.setdefault(group, []).append(word)
    return words


def terms_of(texts: dict[str, list[str]]) -> str:
    """Space-joined weighted tokens of an item's texts by weight ("a", "b", "c")."""
    groups = synonym_groups()
    out: list[str] = []
    for weight, parts in texts.items():
        tokens = [
            t for t in index_tokens(" ".join(p for p in parts if p)).split() if t not in GENERIC
        ]
        with_groups = tokens + [groups[t] for t in tokens if t in groups]
        out.extend(with_groups * FIELD_WEIGHTS.get(weight, 1))
    return " ".join(out)
