"""TabularVAE's training throughput against a plain PyTorch loop (the ceiling).

Both train the same module (``ConditionalVAEModule``) with the same loss
(``ELBOLoss``), optimizer (Adam, lr 2e-3), batch size and shuffled
mini-batches, on the same encoded tensors of a 10,000-row table (20 numeric
columns and a binary label, ``make_classification`` with a 6 % minority
class). The plain loop is what skaug's training would cost without skorch
(callbacks, history, the dataset and data loader) and without the glue of the
generator protocol.

Columns:

* ``plain_rows_s``: rows per second of one epoch of the plain loop (median
  over the epochs);
* ``skaug_rows_s``: the same for ``TabularVAE.fit``, from skorch's per-epoch
  durations (``history[:, "dur"]``);
* ``ratio``: ``skaug_rows_s / plain_rows_s`` (the aim is >= 0.5);
* ``skaug_fit_rows_s``: rows x epochs per second of the whole ``fit`` call,
  which adds the encoder (fit and transform) and the module's initialisation.

Batch sizes 64 (skaug's default) and 500 (SDV's). A warm-up fit runs first
(the first optimizer step in a process loads part of torch). ``--quick``
(default): 5 epochs; ``--full``: 20. Torch runs on one thread;
``--device cuda`` runs both on a GPU (the plain loop's epochs are timed after
``torch.cuda.synchronize``; skorch's per-batch loss read synchronises anyway).
"""

import argparse
import json
import time

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import make_classification

from skaug.models import TabularVAE
from skaug.models._modules import ConditionalVAEModule, ELBOLoss

N_ROWS = 10_000
LR = 2e-3


def _sync(device):
    # CUDA runs asynchronously: wait for the epoch's kernels before timing it
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)


def _plain_epochs(Xt, c, spans, batch_size, epochs, seed=0, device="cpu"):
    torch.manual_seed(seed)
    module = ConditionalVAEModule(Xt.shape[1], c.shape[1]).to(device)
    Xt, c = Xt.to(device), c.to(device)
    criterion = ELBOLoss(spans).to(device)
    optimizer = torch.optim.Adam(module.parameters(), lr=LR)
    module.train()
    durations = []
    n = len(Xt)
    for _ in range(epochs):
        started = time.perf_counter()
        order = torch.randperm(n, device=device)
        for start in range(0, n, batch_size):
            index = order[start : start + batch_size]
            x, cond = Xt[index], c[index]
            optimizer.zero_grad()
            recon, mu, logvar, prior_mu = module(x, cond)
            loss = criterion(recon, mu, logvar, prior_mu, x, module.log_sigma)
            loss.backward()
            optimizer.step()
        _sync(device)
        durations.append(time.perf_counter() - started)
    return durations


def run(full=False, device="cpu"):
    torch.set_num_threads(1)
    epochs = 20 if full else 5
    X, y = make_classification(
        n_samples=N_ROWS, n_features=20, weights=[0.94], random_state=0
    )
    # warm-up
    TabularVAE(max_epochs=1, random_state=0, device=device).fit(X[:200], y[:200])
    print(
        f"ceiling ({'full' if full else 'quick'}): {N_ROWS} rows, {epochs} epochs, "
        f"device {device}",
        flush=True,
    )
    rows = []
    for batch_size in (64, 500):
        vae = TabularVAE(
            max_epochs=epochs,
            batch_size=batch_size,
            lr=LR,
            random_state=0,
            device=device,
        )
        started = time.perf_counter()
        vae.fit(X, y)
        fit_s = time.perf_counter() - started
        skaug_epoch = float(np.median(vae.history[:, "dur"]))

        Xt = torch.as_tensor(vae.encoder_.transform(X).astype(np.float32))
        c = torch.as_tensor(np.eye(2, dtype=np.float32)[y])
        plain = _plain_epochs(
            Xt, c, vae.encoder_.spans_, batch_size, epochs, device=device
        )
        plain_epoch = float(np.median(plain))
        rows.append(
            {
                "batch_size": batch_size,
                "epochs": epochs,
                "plain_rows_s": N_ROWS / plain_epoch,
                "skaug_rows_s": N_ROWS / skaug_epoch,
                "ratio": plain_epoch / skaug_epoch,
                "skaug_fit_rows_s": N_ROWS * epochs / fit_s,
            }
        )
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False, float_format="%.2f"))
    return {
        "settings": {
            "full": full,
            "rows": N_ROWS,
            "epochs": epochs,
            "threads": 1,
            "device": str(device),
        },
        "results": json.loads(table.to_json(orient="records")),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="5 epochs (default)")
    mode.add_argument("--full", action="store_true", help="20 epochs")
    parser.add_argument("--device", default="cpu", help="torch device (e.g. cuda)")
    parser.add_argument("--json", metavar="PATH", help="also write the results here")
    args = parser.parse_args()
    payload = run(full=args.full, device=args.device)
    if args.json:
        from pathlib import Path

        Path(args.json).write_text(json.dumps(payload, indent=2))
