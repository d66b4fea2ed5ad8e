"""Exact test-set negative log-likelihood of a trained run, in nats and bits/dim."""

import math

import numpy as np
import tensorflow as tf

from tfgen.training import run


def evaluate(workdir, split="test", batch_size=500):
  """Returns {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}.

  nll_nats is the mean of -log p(x) over the split's examples; bits_per_dim is
  nll_nats / (D ln 2) with D the number of values in one example.
  """
  model, config, info = run.load_model(workdir)
  dataset, _ = run.load_split(config, split, batch_size=batch_size, shuffle=False)
  log_prob = tf.function(model.log_prob)
  total, count = 0.0, 0
  for batch in dataset:
    values = log_prob(batch).numpy().astype(np.float64)
    total += values.sum()
    count += len(values)
  nll = -total / count
  dims = int(np.prod(info.shape))
  return {"model": config.model.name, "dataset": info.name, "split": split,
          "num_examples": count,
          "nll_nats": round(nll, 4), "bits_per_dim": round(nll / (dims * math.log(2.0)), 5)}
