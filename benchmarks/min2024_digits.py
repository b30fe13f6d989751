"""Min et al.'s digits protocol (Figures 5, 10, 11 on the 8x8 substitute): batched vs per run.

Full-batch GD on both layers of the two-layer ReLU network, h = 50, D = 64, initial scale
α = 1e-6, mean logistic loss, η = 1e-2, on the three digit pairs 1/0, 3/8 and 1/7 (n = 360,
357, 361), ``S`` seeds each, the loss and accuracy recorded every 50 iterations. The book
advances the 3·S runs as one array (``gdtheory.papers.min2024.experiments.gd``: smaller pairs
zero-padded, their step rescaled so that each follows its own mean loss, exactly as the
chapter does). The baselines are what a user would write instead:

* ``torch``: one run at a time, a PyTorch model, autograd, ``W -= η W.grad``, float64;
* ``loop``: the book's own ``gd`` called once per run (no padding), a Python loop over runs.

Every recorded accuracy is asserted equal and the final weights to agree to 1e-9 relative
(the three implementations sum in different orders; the difference is the reading printed).
Prints a table and ``ratio min2024-digits-torch`` / ``ratio min2024-digits-loop`` lines.

Usage: ``python benchmarks/min2024_digits.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gdtheory.data import digits
from gdtheory.papers.min2024 import experiments as ex

PAIRS = [(1, 0), (3, 8), (1, 7)]
H, D, ALPHA0, ETA, EVERY = 50, 64, 1e-6, 1e-2, 50


def torch_run(X, y, W0, v0, n_iter):
    """One run of GD with autograd; accuracy every ``EVERY`` iterations and the final state."""
    import torch

    Xt = torch.tensor(X)
    yt = torch.tensor(y)
    W = torch.tensor(W0, requires_grad=True)
    v = torch.tensor(v0, requires_grad=True)
    acc = []
    for t in range(n_iter + 1):
        f = torch.relu(Xt @ W.T) @ v
        if t % EVERY == 0 or t == n_iter:
            acc.append(float((yt * f > 0).double().mean()))
        if t == n_iter:
            break
        loss = torch.nn.functional.softplus(-yt * f).mean()
        loss.backward()
        with torch.no_grad():
            W -= ETA * W.grad
            v -= ETA * v.grad
        W.grad = None
        v.grad = None
    return np.array(acc), W.detach().numpy(), v.detach().numpy()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="2000 iterations, 1 seed per pair")
    args = ap.parse_args()
    n_iter, seeds = (2000, 1) if args.quick else (15000, 3)
    data = [digits.digits_pair(*p) for p in PAIRS]
    n = np.array([len(y) for _, y in data])
    n_max = n.max()
    X = np.zeros((len(PAIRS), 1, n_max, D))
    Y = np.ones((len(PAIRS), 1, n_max))
    for k, (Xp, yp) in enumerate(data):
        X[k, 0, : n[k]], Y[k, 0, : n[k]] = Xp, yp
    W0, v0 = ex.gaussian_init(np.random.default_rng(400), (len(PAIRS), seeds), H, D, ALPHA0)
    kw = dict(n_iter=n_iter, loss="logistic", reduction="mean", record_every=EVERY)

    t0 = time.perf_counter()
    book = ex.gd(X, Y, W0, v0, eta=(ETA * n_max / n)[:, None], n_real=n[:, None], **kw)
    t_book = time.perf_counter() - t0

    t0 = time.perf_counter()
    loop = [
        [ex.gd(*data[k], W0[k, s], v0[k, s], eta=ETA, **kw) for s in range(seeds)]
        for k in range(len(PAIRS))
    ]
    t_loop = time.perf_counter() - t0

    t0 = time.perf_counter()
    torch = [
        [torch_run(*data[k], W0[k, s], v0[k, s], n_iter) for s in range(seeds)]
        for k in range(len(PAIRS))
    ]
    t_torch = time.perf_counter() - t0

    worst = {"loop": 0.0, "torch": 0.0}
    for k in range(len(PAIRS)):
        for s in range(seeds):
            Wb, vb, ab = book["W"][-1, k, s], book["v"][-1, k, s], book["acc"][:, k, s]
            for name, (acc, W, v) in (
                ("loop", (loop[k][s]["acc"], loop[k][s]["W"][-1], loop[k][s]["v"][-1])),
                ("torch", torch[k][s]),
            ):
                assert np.array_equal(acc, ab), (name, PAIRS[k], s)
                rel = max(
                    np.abs(W - Wb).max() / np.abs(Wb).max(), np.abs(v - vb).max() / np.abs(vb).max()
                )
                assert rel <= 1e-9, (name, PAIRS[k], s, rel)
                worst[name] = max(worst[name], rel)
    runs = len(PAIRS) * seeds
    print(f"{runs} runs (3 digit pairs x {seeds} seed(s)), {n_iter} GD steps, h = {H}, D = {D}")
    print(f"{'':>22} {'s':>8} {'ratio':>7} {'max rel. diff.':>15}")
    print(f"{'book (batched)':>22} {t_book:>8.2f}")
    for label, t, name in (
        ("book gd, run by run", t_loop, "loop"),
        ("PyTorch, run by run", t_torch, "torch"),
    ):
        print(f"{label:>22} {t:>8.2f} {t / t_book:>6.1f}x {worst[name]:>15.1e}")
    print(f"final accuracy (book): {np.round(book['acc'][-1].ravel(), 4).tolist()}")
    print(f"ratio min2024-digits-torch {t_torch / t_book:.2f}")
    print(f"ratio min2024-digits-loop {t_loop / t_book:.2f}")


if __name__ == "__main__":
    main()
