"""Approximate nearest neighbours for the dense side at provincial scale.

An inverted-file index (faiss IVF with 8-bit scalar quantisation, inner
product over unit vectors = cosine): k-means cells trained on a sample, each
vector stored in its cell as 384 bytes. A search scans the NPROBE cells nearest
to the query. Built once per re-match, saved to disk and memory-mapped by every
worker process (`view`), so that N workers share one copy in the page cache.
Below MIN_SIZE items the engine's exact matrix product is fast enough (a chunk
of 500 demands against 200,000 vectors: ~0.4 s) and exact, and no index is
built. bench/matching_speed.py measures its recall against an exact scan; it
chose IVF over an HNSW graph (usearch), which took ten times longer to build
over a million vectors and reached a lower recall (docs/matching.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

MIN_SIZE = 200_000
TRAIN_SAMPLE = 100_000
NPROBE = 16  # of the ~4·√n cells: recall 0.99 at the top 50 at a million (bench/matching_speed.py)


def _cells(n: int) -> int:
    """About 4·√n cells (4,000 at a million), and at least 40 points a cell to train on."""
    return max(1, int(min(4 * np.sqrt(n), 16384, n // 40)))


class DenseIndex:
    """Positions (0 … n-1) of one side's items, searchable by cosine."""

    def __init__(self, index):
        self._index = index
        self._index.nprobe = NPROBE

    @classmethod
    def build(cls, vectors: np.ndarray, *, seed: int = 0) -> DenseIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        ok = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 0)
        cells = _cells(len(ok))
        index = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(dim),
            dim,
            cells,
            faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT,
        )
        rng = np.random.default_rng(seed)
        sample = ok if len(ok) <= TRAIN_SAMPLE else rng.choice(ok, TRAIN_SAMPLE, replace=False)
        index.train(vectors[sample])
        for start in range(0, len(ok), 100_000):
            part = ok[start : start + 100_000]
            index.add_with_ids(vectors[part], part.astype(np.int64))
        return cls(index)

    def save(self, path: Path) -> None:
        import faiss

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(path))

    @classmethod
    def view(cls, path: Path) -> DenseIndex:
        """The index saved at `path`, memory-mapped (not copied into this process)."""
        import faiss

        return cls(faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, queries: np.ndarray, k: int):
        """(positions, cosines) of each query's k nearest, best first; -1 pads."""
        sims, positions = self._index.search(np.ascontiguousarray(queries, np.float32), k)
        return positions.astype(np.int64), sims
