"""Long et al.'s Table 1 protocol: the book's batched GD against a per-run PyTorch loop.

For every width 2k = 6..24 and both initialisations, ``N`` runs of gradient descent (3) on the
summed hinge loss of network (6) over the 880-point set, η = 1/(10·880), stopped at the first
iterate with zero loss (cap 20000). The book advances all runs of a cell as one array
(``gdtheory.papers.long2021.hinge_net.run_gd``); the baseline is what a user would write: one run
at a time, a PyTorch model, autograd, the same stopping rule, float64. The iteration count of
every run is asserted identical. Prints a table and ``ratio table1-2k<2k> <torch / book>`` lines.

Batching cannot shorten the longest run of a cell: once only a few runs are left, each step
costs the engine a fixed ~35 us of array calls against the ~150 us of a PyTorch step, so a
cell whose slowest run dwarfs the others is bounded near that 4-5x. With the protocol's 100
runs per initialisation the bulk dominates; the ``capped`` column counts runs that hit the cap
(their tail is the bound just described). ``--runs 20`` shows the small-sample case.

Usage: ``python benchmarks/table1_torch.py [--quick] [--runs N]`` (``--quick``: 2k = 6, 14, 24).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gdtheory.papers.long2021 import hinge_net as hn
from gdtheory.papers.long2021 import rays

MAX_ITER = 20000


def torch_runs(W0: np.ndarray, U0: np.ndarray, X: np.ndarray, eta: float) -> np.ndarray:
    """Iterations to zero loss of each run, one run at a time, PyTorch autograd."""
    import torch

    torch.set_num_threads(1)
    Xt = torch.tensor(X, dtype=torch.float64)
    iters = np.empty(len(W0), dtype=np.int64)
    for i in range(len(W0)):
        W = torch.tensor(W0[i], dtype=torch.float64, requires_grad=True)
        U = torch.tensor(U0[i], dtype=torch.float64, requires_grad=True)
        t = 0
        while True:
            f = torch.relu(Xt @ W.T).sum(1) - torch.relu(Xt @ U.T).sum(1)
            loss = torch.relu(1.0 - f).sum()
            if loss.item() == 0.0 or t == MAX_ITER:
                break
            loss.backward()
            with torch.no_grad():
                W -= eta * W.grad
                U -= eta * U.grad
            W.grad = None
            U.grad = None
            t += 1
        iters[i] = t
    return iters


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="widths 2k = 6, 14, 24 only")
    ap.add_argument("--runs", type=int, default=None)
    args = ap.parse_args()
    n = args.runs or 100
    widths = [3, 7, 12] if args.quick else list(range(3, 13))
    E, R = rays.long2021_rays()
    X = rays.long2021_points()
    eta = 1 / (10 * len(X))
    print(
        f"{'2k':>4} {'runs':>5} {'book s':>8} {'torch s':>8} {'ratio':>7} {'mean iters':>10} "
        f"{'max iters':>9} {'capped':>6}"
    )
    ratios = {}
    for k in widths:
        tb = tt = 0.0
        its = []
        for h in (0, 1):
            W0, U0 = hn.init_weights(np.random.default_rng(1000 * k + h), n, k, half_space=bool(h))
            t0 = time.perf_counter()
            s = hn.run_gd(W0, U0, E, R, eta, max_iter=MAX_ITER, track_gc=False)
            tb += time.perf_counter() - t0
            t0 = time.perf_counter()
            it = torch_runs(W0, U0, X, eta)
            tt += time.perf_counter() - t0
            book_iters = np.where(s.converged, s.iters, MAX_ITER)
            same = book_iters == it
            assert same.all(), (
                k,
                h,
                np.flatnonzero(~same)[:5],
                book_iters[~same][:5],
                it[~same][:5],
            )
            its.append(it)
        ratios[k] = tt / tb
        print(
            f"{2 * k:>4} {2 * n:>5} {tb:>8.2f} {tt:>8.2f} {tt / tb:>6.1f}x "
            f"{np.concatenate(its).mean():>10.0f} {np.concatenate(its).max():>9d} "
            f"{int((np.concatenate(its) == MAX_ITER).sum()):>6d}"
        )
    for k, r in ratios.items():
        print(f"ratio table1-2k{2 * k} {r:.1f}")


if __name__ == "__main__":
    main()
