#!/usr/bin/env python3
"""PyTorch CPU side-by-side for `w2v-bench seq2seq`: the seed book's addition model (Encoder + PeekyDecoder,
reversed input; embedding 16, hidden 128, batch 128, Adam 0.001, clip 5) on a file written by
`w2v seq2seq generate addition`. Prints one JSON line per epoch (loss, test_accuracy, seconds).

  ~/.cache/w2v-peers/torch-venv/bin/python Benchmarks/seq2seq_torch.py addition.txt --epochs 25 --threads 2
(the venv is the one /work/shared/tools/peers.sh lm sets up)."""
import argparse, json, random, time
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("file"); p.add_argument("--epochs", type=int, default=25); p.add_argument("--threads", type=int, default=2)
p.add_argument("--hidden", type=int, default=128); p.add_argument("--embedding", type=int, default=16)
p.add_argument("--batch", type=int, default=128); p.add_argument("--seed", type=int, default=1)
p.add_argument("--no-peeky", action="store_true"); p.add_argument("--no-reverse", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(a.seed); random.seed(a.seed)

lines = [l.rstrip("\n") for l in open(a.file, encoding="utf-8") if l.strip()]
pairs = [(l[:l.index("_")], "_" + l[l.index("_") + 1:]) for l in lines]
qw, aw = max(len(q) for q, _ in pairs), max(len(x) for _, x in pairs)
symbols = sorted(set("".join(q + x for q, x in pairs)) | {" ", "_"})
sid = {c: i for i, c in enumerate(symbols)}
def enc(s, w): return [sid[c] for c in s.ljust(w)]
Q = torch.tensor([enc(q, qw) for q, _ in pairs]); A = torch.tensor([enc(x, aw) for _, x in pairs])
if not a.no_reverse: Q = Q.flip(1)
order = list(range(len(pairs))); random.shuffle(order); cut = len(order) - len(order) // 10
tr, te = torch.tensor(order[:cut]), torch.tensor(order[cut:])
V, D, H, peeky = len(symbols), a.embedding, a.hidden, not a.no_peeky

class Model(nn.Module):
    def __init__(s):
        super().__init__()
        s.ee, s.el = nn.Embedding(V, D), nn.LSTM(D, H, batch_first=True)
        s.de, s.dl = nn.Embedding(V, D), nn.LSTM(D + (H if peeky else 0), H, batch_first=True)
        s.out = nn.Linear(2 * H if peeky else H, V)
    def encode(s, q):
        _, (h, _) = s.el(s.ee(q)); return h  # [1, N, H]
    def decode(s, x, h, state=None):
        e = s.de(x)
        hp = h.transpose(0, 1).expand(-1, x.shape[1], -1)
        if peeky: e = torch.cat([hp, e], 2)
        y, state = s.dl(e, state if state is not None else (h, torch.zeros_like(h)))
        if peeky: y = torch.cat([hp, y], 2)
        return s.out(y), state
    def forward(s, q, x): return s.decode(x, s.encode(q))[0]
    @torch.no_grad()
    def generate(s, q, n):
        h = s.encode(q); x = torch.full((q.shape[0], 1), sid["_"]); state = None; out = []
        for _ in range(n):
            y, state = s.decode(x, h, state); x = y.argmax(2); out.append(x)
        return torch.cat(out, 1)

m = Model(); opt = torch.optim.Adam(m.parameters(), lr=0.001); lossf = nn.CrossEntropyLoss()
print(json.dumps({"threads": a.threads, "train": len(tr), "test": len(te), "vocabulary": V, "peeky": peeky,
                  "reversed": not a.no_reverse, "parameters": sum(p.numel() for p in m.parameters())}), flush=True)
total = 0.0
for epoch in range(1, a.epochs + 1):
    start = time.perf_counter(); perm = tr[torch.randperm(len(tr))]; losses = []
    for i in range(0, len(perm), a.batch):
        b = perm[i:i + a.batch]; q, t = Q[b], A[b]
        y = m(q, t[:, :-1]); loss = lossf(y.reshape(-1, V), t[:, 1:].reshape(-1))
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 5.0); opt.step(); losses.append(loss.item())
    train_s = time.perf_counter() - start
    g = m.generate(Q[te], aw - 1); acc = (g == A[te][:, 1:]).all(1).float().mean().item()
    seconds = time.perf_counter() - start; total += seconds
    print(json.dumps({"epoch": epoch, "loss": sum(losses) / len(losses), "test_accuracy": acc, "train_s": round(train_s, 2),
                      "seconds": round(seconds, 2)}), flush=True)
print(json.dumps({"total_seconds": round(total, 1)}))
