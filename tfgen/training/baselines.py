"""Reference likelihoods that need no training run: independent pixels."""

import math

import numpy as np

from tfgen import data


def independent_pixel_nll(name, split="test", path=None, data_dir=None):
  """Test NLL of independent per-element categoricals fit on the train split.

    p(x) = prod_d q_d(x_d),  q_d(v) = (count_d(v) + 1) / (N + K)   (add-one smoothing)

  Returns:
    {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}.
  """
  def collect(which):
    dataset, info = data.load(name, which, batch_size=1000, path=path, data_dir=data_dir,
                              shuffle=False)
    return np.concatenate([batch.numpy() for batch in dataset]), info

  train, info = collect("train")
  evaluated, _ = collect(split)
  train = train.reshape(len(train), -1).astype(np.int64)
  evaluated = evaluated.reshape(len(evaluated), -1).astype(np.int64)
  counts = np.stack([np.bincount(train[:, index], minlength=info.num_values)
                     for index in range(train.shape[1])]) + 1.0
  log_probs = np.log(counts / counts.sum(axis=1, keepdims=True))
  nll = float(-log_probs[np.arange(evaluated.shape[1]), evaluated].sum(axis=1).mean())
  return {"model": "independent_pixels", "dataset": name, "split": split,
          "num_examples": len(evaluated), "nll_nats": round(nll, 4),
          "bits_per_dim": round(nll / (evaluated.shape[1] * math.log(2.0)), 5)}
