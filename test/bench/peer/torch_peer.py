"""PyTorch peer of the training bench (test/bench/training.bench.ts --peer).

Builds one catalog model's architecture in PyTorch from the spec the bench derives from
main/core/models/ (same layer sizes, output layer, loss, optimizer and learning rate, batch size
and input shape), trains it on random data of that shape, and times steady-state steps
(forward + backward + optimizer step, warm-up skipped) at each thread count asked. Prints one
JSON line.

  /usr/bin/python3 test/bench/peer/torch_peer.py --probe
  /usr/bin/python3 test/bench/peer/torch_peer.py --seconds 2 --threads 1,2 --spec '{"model": "text-lstm",
    "input": {"kind": "sequence", "vocabularySize": 10000, "sequenceLength": 200},
    "output": {"kind": "binary", "classes": 2}, "hyperparameters": {"embeddingDim": 32, "units": 64},
    "learningRate": 0.001, "optimizer": "adam", "batchSize": 32}'

Debian's python3-torch is the peer: run it with /usr/bin/python3 (the interpreter apt installs it
for). Exit status 3, with {"ok": false, "error": ...}, when torch cannot be imported.
"""

import argparse
import ctypes
import json
import os
import re
import sys
import time

try:
    import torch
    from torch import nn
except Exception as error:  # ImportError, or OSError from a torch whose shared libraries are missing
    print(json.dumps({"ok": False, "error": f"cannot import torch: {error}", "python": sys.executable}))
    sys.exit(3)

# Keras' epsilon: tfjs clips probabilities with it before taking logs.
EPSILON = 1e-7
# Distinct batches cycled through while timing, so the step does not see one cached input.
DATA_BATCHES = 8


# --- architectures (mirroring main/core/models/*.ts) -------------------------------------------


class TextModel(nn.Module):
    """Embedding → body → output layer: the frame buildTextModel gives every text model."""

    def __init__(self, spec, body, body_width):
        super().__init__()
        hp = spec["hyperparameters"]
        self.embedding = nn.Embedding(spec["input"]["vocabularySize"], hp["embeddingDim"])
        self.body = body
        self.output_layer = output_layer(spec, body_width)

    def forward(self, ids):
        return self.output_layer(self.body(self.embedding(ids)))


class LastState(nn.Module):
    """A recurrent layer's final state; a bidirectional one concatenates both readings (mergeMode 'concat')."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, words):
        _, state = self.rnn(words)
        hidden = state[0] if isinstance(state, tuple) else state  # an LSTM returns (h, c)
        return torch.cat(list(hidden), dim=1)


class MeanOverWords(nn.Module):
    """globalAveragePooling1d: tfjs's embedding has no mask here, so padding counts too."""

    def forward(self, words):
        return words.mean(dim=1)


class PhraseSpotter(nn.Module):
    """conv1d(relu, padding 'same') → globalMaxPooling1d."""

    def __init__(self, dim, filters, kernel_size):
        super().__init__()
        self.conv = nn.Conv1d(dim, filters, kernel_size, padding="same")

    def forward(self, words):
        # PyTorch convolves [batch, channels, length]; tfjs [batch, length, channels].
        return torch.relu(self.conv(words.transpose(1, 2))).amax(dim=2)


def output_layer(spec, width):
    """Dense(1, sigmoid) for two classes, Dense(n, softmax) for more, Dense(1) for a number (outputLayer)."""
    kind = spec["output"]["kind"]
    if kind == "binary":
        return nn.Sequential(nn.Linear(width, 1), nn.Sigmoid())
    if kind == "multiclass":
        return nn.Sequential(nn.Linear(width, spec["output"]["classes"]), nn.Softmax(dim=1))
    return nn.Linear(width, 1)


def build(spec):
    hp = spec["hyperparameters"]
    model = spec["model"]
    if model == "text-lstm":
        # PyTorch's LSTM keeps two bias vectors where tfjs keeps one: 4 × units more parameters, same work.
        return TextModel(spec, LastState(nn.LSTM(hp["embeddingDim"], hp["units"], batch_first=True)), hp["units"])
    if model == "text-bigru":
        # PyTorch's GRU applies the reset gate after the recurrent matmul (tfjs: before, its only mode);
        # the same matmuls either way.
        gru = nn.GRU(hp["embeddingDim"], hp["units"], batch_first=True, bidirectional=True)
        return TextModel(spec, LastState(gru), 2 * hp["units"])
    if model == "text-bow":
        return TextModel(spec, MeanOverWords(), hp["embeddingDim"])
    if model == "text-cnn":
        return TextModel(spec, PhraseSpotter(hp["embeddingDim"], hp["filters"], hp["kernelSize"]), hp["filters"])
    width = spec["input"]["width"]
    if model == "tabular-mlp":
        layers = []
        for i in range(hp["hiddenLayers"]):
            layers += [nn.Linear(width if i == 0 else hp["units"], hp["units"]), nn.ReLU()]
        return nn.Sequential(*layers, output_layer(spec, hp["units"]))
    if model == "tabular-linear":
        return output_layer(spec, width)
    raise ValueError(f"no PyTorch peer for {model}")


def categorical_crossentropy(probabilities, one_hot):
    """tfjs's categoricalCrossentropy on softmax output: clip, log, sum over classes, mean over rows."""
    return -(one_hot * probabilities.clamp(EPSILON, 1 - EPSILON).log()).sum(dim=1).mean()


def loss_for(kind):
    """compile.ts's lossFor, on the same outputs (probabilities, not logits)."""
    if kind == "binary":
        return nn.BCELoss()
    if kind == "multiclass":
        return categorical_crossentropy
    return nn.MSELoss()


def optimizer_for(spec, parameters):
    """compile.ts's makeOptimizer: Adam, or SGD with classic momentum."""
    if spec.get("optimizer") == "sgd":
        return torch.optim.SGD(parameters, lr=spec["learningRate"], momentum=spec.get("momentum", 0.9))
    return torch.optim.Adam(parameters, lr=spec["learningRate"])


def random_batches(spec):
    """Random inputs and targets of the bench's shape: token ids, or standardized-looking numbers."""
    size = spec["batchSize"]
    inputs = spec["input"]
    output = spec["output"]
    batches = []
    for _ in range(DATA_BATCHES):
        if inputs["kind"] == "sequence":
            x = torch.randint(0, inputs["vocabularySize"], (size, inputs["sequenceLength"]))
        else:
            x = torch.randn(size, inputs["width"])
        if output["kind"] == "binary":
            y = torch.randint(0, 2, (size, 1)).float()
        elif output["kind"] == "multiclass":
            y = nn.functional.one_hot(torch.randint(0, output["classes"], (size,)), output["classes"]).float()
        else:
            y = torch.randn(size, 1)
        batches.append((x, y))
    return batches


# --- timing ------------------------------------------------------------------------------------


def samples_per_second(spec, seconds, warmup_seconds):
    """Trains a fresh model; returns steady-state samples/s after a warm-up."""
    model = build(spec)
    model.train()
    optimizer = optimizer_for(spec, model.parameters())
    loss_fn = loss_for(spec["output"]["kind"])
    batches = random_batches(spec)
    step_index = 0

    def step():
        nonlocal step_index
        x, y = batches[step_index % len(batches)]
        step_index += 1
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        # Reading the loss back, as fit() does for its progress events.
        return loss.item()

    # Warm-up: the first steps allocate buffers and wake the thread pools.
    started = time.perf_counter()
    steps = 0
    while steps < 3 or time.perf_counter() - started < warmup_seconds:
        step()
        steps += 1
    started = time.perf_counter()
    steps = 0
    while steps < 5 or time.perf_counter() - started < seconds:
        step()
        steps += 1
    elapsed = time.perf_counter() - started
    return steps * spec["batchSize"] / elapsed, sum(p.numel() for p in model.parameters())


# --- environment: which BLAS, and its thread pool ---------------------------------------------


def loaded_libraries():
    """Shared objects mapped into this process (Linux); empty elsewhere."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            return sorted({line.split()[-1] for line in maps if line.rstrip().endswith(".so") or ".so." in line})
    except OSError:
        return []


def blas_library():
    """The BLAS torch really calls: Debian builds it against the generic libblas.so.3, which
    update-alternatives points at OpenBLAS when libopenblas0-pthread is installed, else at the
    slow reference BLAS, so torch's own BLAS_INFO ("generic") does not say which."""
    candidates = [p for p in loaded_libraries() if re.search(r"blas|mkl|blis", os.path.basename(p))]
    for name, pattern in (("openblas", r"openblas"), ("mkl", r"mkl"), ("blis", r"blis"), ("reference", r"/blas/libblas")):
        for path in candidates:
            if re.search(pattern, path):
                variant = os.path.basename(os.path.dirname(path)) if name == "openblas" else name
                return variant if variant.startswith(name) else name, path
    return "unknown", candidates[0] if candidates else None


def openblas_handle(path):
    """OpenBLAS keeps its own thread pool; torch.set_num_threads does not reach it."""
    if not path:
        return None
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return None
    if not hasattr(library, "openblas_set_num_threads") or not hasattr(library, "openblas_get_config"):
        return None
    library.openblas_get_config.restype = ctypes.c_char_p
    return library


def environment():
    # A matmul first, so a lazily loaded BLAS is mapped by the time we look.
    torch.ones(8, 8) @ torch.ones(8, 8)
    blas, path = blas_library()
    openblas = openblas_handle(path) if blas.startswith("openblas") else None
    build_info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return {
        "python": sys.executable,
        "torch": torch.__version__,
        "blas": blas,
        "blasLibrary": path,
        "blasInfo": build_info.group(1) if build_info else None,
        "openblasConfig": openblas.openblas_get_config().decode() if openblas else None,
        "cpus": os.cpu_count(),
    }, openblas


def set_threads(count, openblas):
    torch.set_num_threads(count)
    if openblas:
        openblas.openblas_set_num_threads(count)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", action="store_true", help="only report torch, its BLAS and the CPU count")
    parser.add_argument("--spec", help="the architecture as JSON (see the module docstring)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per thread count")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts to try")
    args = parser.parse_args()

    env, openblas = environment()
    if args.probe or not args.spec:
        print(json.dumps({"ok": True, **env}))
        return
    spec = json.loads(args.spec)
    torch.manual_seed(0)
    by_threads = {}
    params = None
    for count in (int(t) for t in args.threads.split(",")):
        set_threads(count, openblas)
        rate, params = samples_per_second(spec, args.seconds, warmup_seconds=min(0.5, args.seconds / 4))
        by_threads[str(count)] = round(rate, 1)
    best = max(by_threads, key=by_threads.get)
    print(json.dumps({
        "ok": True,
        "model": spec["model"],
        "batchSize": spec["batchSize"],
        "params": params,
        "samplesPerSecond": by_threads[best],
        "threads": int(best),
        "byThreads": by_threads,
        **env,
    }))


if __name__ == "__main__":
    main()
