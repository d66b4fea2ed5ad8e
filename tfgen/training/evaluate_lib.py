"""Exact test-set negative log-likelihood of a trained run, in nats and bits/dim."""

import math

import numpy as np
import tensorflow as tf

from tfgen.training import run


def evaluate(workdir, split="test", batch_size=500):
  """Returns {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}.

  nll_nats is the mean of -log p(x) over the split's examples; bits_per_dim is
  nll_nats / (D ln 2) with D the number of values in one example. A MADE with
  num_masks = M > 1 is scored as the ensemble p(x) = (1/M) sum_m p_m(x), and the
  result gains "num_masks".
  """
  model, config, info = run.load_model(workdir)
  num_masks = getattr(model, "num_masks", 1)
  dataset, _ = run.load_split(config, split, batch_size=batch_size, shuffle=False)
  log_prob = model.ensemble_log_prob if num_masks > 1 else tf.function(model.log_prob)
  total, count = 0.0, 0
  for batch in dataset:
    # A labeled split gives (x, labels): the NLL is then -log p(x | label).
    values = (log_prob(*batch) if isinstance(batch, tuple) else log_prob(batch))
    values = values.numpy().astype(np.float64)
    total += values.sum()
    count += len(values)
  nll = -total / count
  dims = int(np.prod(info.shape))
  result = {"model": config.model.name, "dataset": info.name, "split": split,
            "num_examples": count,
            "nll_nats": round(nll, 4), "bits_per_dim": round(nll / (dims * math.log(2.0)), 5)}
  if num_masks > 1:
    result["num_masks"] = num_masks
  return result
