#!/usr/bin/python3
"""PyTorch peer of src/test/java/dev/orbit/bench/TrainBench.java: the same networks, data, batch and optimizer.

Networks as Orbit's NetworkBuilder lays them out:
  mlp:784-500x5-10:relu                  Linear(784,500) ReLU, 4 x (Linear(500,500) ReLU), Linear(500,10)
  cnn:1x28x28-c16-p-c32-p-fc64-10:relu   Conv2d(1,16,3,padding=1) ReLU MaxPool2d(2), Conv2d(16,32,3,padding=1) ReLU
                                         MaxPool2d(2), Flatten, Linear(1568,64) ReLU, Linear(64,10)
Kaiming-normal weights (fan_in, gain sqrt 2) and zero biases, as Orbit's "kaiming" initializer.
Data: the 8,000 bundled training digits, read from src/main/resources/data/mnist-10k/train-*-idx*-ubyte.gz,
pixel/255 as float32. Each epoch: a seeded shuffle, then batches of 256 gathered with index_select, forward,
cross-entropy, backward, torch.optim.SGD(lr 0.01, momentum 0.9) step, and the same bookkeeping as Orbit's
Trainer (loss.item() and the count of correct predictions). One warm-up epoch, then K timed epochs; prints
  pytorch ARCH batch=256 epoch_seconds=S ...
with S the median of the timed epochs (the upper median for an even K, as TrainBench).

Usage: /usr/bin/python3 bench/train_pytorch.py [threads] [epochs] [--foreach] [arch ...]
Run it with /usr/bin/python3 (Debian's python3-torch 1.13) and libopenblas0-pthread installed (see ../shared/PEERS.md).
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_ARCHS = ["mlp:784-500x5-10:relu", "cnn:1x28x28-c16-p-c32-p-fc64-10:relu"]
BATCH = 256
LR = 0.01
MOMENTUM = 0.9
SEED = 1
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "data", "mnist-10k")


def read_idx(path):
    """An IDX file (optionally gzipped) as a numpy array of its declared type and shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    dtype = np.dtype(dtypes[raw[2]])
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank))
    return np.frombuffer(raw, dtype=dtype, offset=4 + 4 * rank, count=int(np.prod(shape))).reshape(shape)


def load_train():
    images = read_idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy((images.reshape(len(images), -1).astype(np.float64) / 255.0).astype(np.float32))
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def build(arch):
    """The nn.Sequential and its input shape (without the batch) for an mlp:/cnn: spec as Orbit parses it."""
    family, body, act = (arch.split(":") + ["relu"])[:3]
    if act != "relu":
        raise ValueError("only relu is mirrored here")
    items = body.split("-")
    layers = []
    if family == "mlp":
        widths = [int(items[0])]
        for item in items[1:-1]:
            w, r = (item.split("x") + ["1"])[:2]
            widths += [int(w)] * int(r)
        widths.append(int(items[-1]))
        for i in range(1, len(widths)):
            layers.append(nn.Linear(widths[i - 1], widths[i]))
            if i < len(widths) - 1:
                layers.append(nn.ReLU())
        return nn.Sequential(*layers), (widths[0],)
    if family == "cnn":
        c, h, w = (int(v) for v in items[0].split("x"))
        shape = (c, h, w)
        features = None
        for item in items[1:-1]:
            if item == "p":
                layers.append(nn.MaxPool2d(2, 2))
                h //= 2
                w //= 2
            elif item.startswith("fc"):
                k, r = (item[2:].split("x") + ["1"])[:2]
                for _ in range(int(r)):
                    if features is None:
                        layers.append(nn.Flatten())
                        features = c * h * w
                    layers += [nn.Linear(features, int(k)), nn.ReLU()]
                    features = int(k)
            elif item.startswith("c"):
                if "/bn" in item:
                    raise ValueError("BatchNorm convs are not mirrored here")
                k, r = (item[1:].split("x") + ["1"])[:2]
                for _ in range(int(r)):
                    layers += [nn.Conv2d(c, int(k), 3, padding=1), nn.ReLU()]
                    c = int(k)
            else:
                raise ValueError(f"unknown CNN layer {item}")
        if features is None:
            layers.append(nn.Flatten())
            features = c * h * w
        layers.append(nn.Linear(features, int(items[-1])))
        return nn.Sequential(*layers), shape
    raise ValueError(f"unsupported family {family}")


def kaiming_(model):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(m.bias)


def epoch(model, opt, x, y, gen):
    order = torch.randperm(len(y), generator=gen)
    t0 = time.perf_counter()
    loss_sum, correct, seen = 0.0, 0, 0
    for start in range(0, len(y), BATCH):
        idx = order[start:start + BATCH]
        xb = x.index_select(0, idx)
        yb = y.index_select(0, idx)
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        l = loss.item()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss_sum += l * len(idx)
        correct += int((out.detach().argmax(1) == yb).sum().item())
        seen += len(idx)
    return time.perf_counter() - t0, loss_sum / seen, correct / seen


def main(argv):
    foreach = "--foreach" in argv
    args = [a for a in argv if a != "--foreach"]
    threads = int(args[0]) if len(args) > 0 else os.cpu_count()
    epochs = int(args[1]) if len(args) > 1 else 3
    archs = args[2:] or DEFAULT_ARCHS
    torch.set_num_threads(threads)
    x, y = load_train()
    for arch in archs:
        torch.manual_seed(SEED)
        model, shape = build(arch)
        kaiming_(model)
        xs = x.reshape((len(y),) + shape).contiguous()
        opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, foreach=foreach)
        gen = torch.Generator().manual_seed(SEED)
        model.train()
        warm, _, _ = epoch(model, opt, xs, y, gen)
        secs = []
        for _ in range(epochs):
            s, loss, acc = epoch(model, opt, xs, y, gen)
            secs.append(s)
        median = sorted(secs)[len(secs) // 2]
        print(f"pytorch {arch} batch={BATCH} epoch_seconds={median:.4f} warmup_seconds={warm:.4f} "
              f"epochs={','.join(f'{s:.4f}' for s in secs)} threads={torch.get_num_threads()} samples={len(y)} "
              f"final_loss={loss:.4f} final_acc={acc:.4f} torch={torch.__version__} foreach={foreach} "
              f"omp_wait_policy={os.environ.get('OMP_WAIT_POLICY', 'unset')}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
