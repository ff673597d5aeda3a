// The Python side of `npm run torch:check`: it imports each generated file, calls its loss on the job's tensors
// in float64 and writes the value and the gradient with respect to the logits, one JSON document for all jobs.

/** One call: a generated module's function on one input, in PyTorch's NCHW layout, flattened row-major. */
export interface TorchJob {
  module: string;
  fn: string;
  task: 'binary' | 'multiclass';
  /** The logits' shape, (B, 1, H, W) or (B, C, H, W); a binary target has it too. */
  shape: number[];
  /** A multi-class target's shape, (B, H, W). */
  labelShape?: number[];
  logits: number[];
  target: number[];
}

/** A job's answer: NaN and infinities as the strings "nan", "inf", "-inf" (JSON has no such numbers). */
export type TorchAnswer = { value: number | string; grad: (number | string)[] } | { error: string };

/** Exits 3 when torch cannot be imported, so the caller can tell "no torch" from a failed check. */
export const HARNESS = String.raw`import importlib.util
import json
import math
import sys

try:
    import torch
except ImportError:
    sys.exit(3)


def number(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def load(path, cache={}):
    if path not in cache:
        spec = importlib.util.spec_from_file_location("generated_%d" % len(cache), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cache[path] = module
    return cache[path]


def run(job):
    fn = getattr(load(job["module"]), job["fn"])
    logits = torch.tensor(job["logits"], dtype=torch.float64).reshape(job["shape"]).requires_grad_(True)
    if job["task"] == "binary":
        target = torch.tensor(job["target"], dtype=torch.float64).reshape(job["shape"])
    else:
        target = torch.tensor(job["target"], dtype=torch.long).reshape(job["labelShape"])
    value = fn(logits, target)
    if value.requires_grad:
        value.backward()
    grad = logits.grad if logits.grad is not None else torch.zeros_like(logits)
    return {"value": number(value.item()), "grad": [number(g) for g in grad.reshape(-1).tolist()]}


answers = []
for job in json.load(open(sys.argv[1])):
    try:
        answers.append(run(job))
    except Exception as e:  # one broken function must not hide the others' results
        answers.append({"error": "%s: %s" % (type(e).__name__, e)})
json.dump(answers, open(sys.argv[2], "w"))
print("torch %s" % torch.__version__)
`;
