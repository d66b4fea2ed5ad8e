"""Exact test-set negative log-likelihood of a trained run, in nats and bits/dim."""

import math

import numpy as np
import tensorflow as tf

from tfgen.models.flows.flow import Flow
from tfgen.models.latent import importance_weighted
from tfgen.training import run

# Noise draws u per example when scoring a dequantized flow.
DEQUANTIZATION_DRAWS = 10


def evaluate(workdir, split="test", batch_size=500, num_importance_samples=5000, seed=0,
             refine_steps=0):
  """Returns {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}.

  nll_nats is the mean of -log p(x) over the split's examples; bits_per_dim is
  nll_nats / (D ln 2) with D the number of values in one example. A MADE with
  num_masks = M > 1 is scored as the ensemble p(x) = (1/M) sum_m p_m(x), and the
  result gains "num_masks".

  A VAE's log p(x) has no closed form: nll_nats is then the IWAE estimate with
  `num_importance_samples` samples per example (seeded by `seed`), and the result
  gains "negative_elbo_nats" (-ELBO, analytic KL, one z per example) and
  "num_importance_samples". With refine_steps > 0 it also gains
  "nll_nats_refined": the same K-sample estimate with each example's q(z | x)
  first refined by `refine_steps` Adam steps on its own ELBO
  (`importance_weighted.refine_posterior`). Both estimate the same log p(x);
  nll_nats (the encoder's proposal) is the one the literature reports. An autoencoder has no likelihood: it reports
  "reconstruction_error" (per example) instead. A flow on discrete data reports
  the dequantization bound -E_u log p((x + u) / K) + D log K, E_u estimated
  by DEQUANTIZATION_DRAWS seeded draws of u per example.
  """
  model, config, info = run.load_model(workdir)
  if hasattr(model, "log_weights"):
    return _evaluate_latent(model, config, info, split, batch_size, num_importance_samples, seed,
                            refine_steps)
  if hasattr(model, "reconstruction_error"):
    dataset, _ = run.load_split(config, split, batch_size=batch_size, shuffle=False)
    errors = np.concatenate([model.reconstruction_error(batch).numpy() for batch in dataset])
    return {"model": config.model.name, "dataset": info.name, "split": split,
            "num_examples": len(errors), "reconstruction_error": round(float(errors.mean()), 4),
            "loss": config.model.get("loss", "head")}
  num_masks = getattr(model, "num_masks", 1)
  dataset, _ = run.load_split(config, split, batch_size=batch_size, shuffle=False)
  if isinstance(model, Flow):
    flow_log_prob = tf.function(lambda x, draw_seed: model.log_prob(x, seed=draw_seed))

    def log_prob(x, index):
      """Mean over DEQUANTIZATION_DRAWS seeded noise draws (one draw moves digits by ~0.5 nats)."""
      return tf.add_n([flow_log_prob(x, tf.constant([seed, index * DEQUANTIZATION_DRAWS + draw]))
                       for draw in range(DEQUANTIZATION_DRAWS)]) / DEQUANTIZATION_DRAWS
  else:
    exact = model.ensemble_log_prob if num_masks > 1 else tf.function(model.log_prob)
    # A labeled split gives (x, labels): the NLL is then -log p(x | label).
    log_prob = lambda batch, index: exact(*batch) if isinstance(batch, tuple) else exact(batch)
  total, count = 0.0, 0
  for index, batch in enumerate(dataset):
    values = log_prob(batch, index).numpy().astype(np.float64)
    total += values.sum()
    count += len(values)
  result = _summary(config, info, split, count, -total / count)
  if num_masks > 1:
    result["num_masks"] = num_masks
  return result


def _summary(config, info, split, count, nll):
  """The result fields every density model reports: NLL per example in nats and bits/dim."""
  dims = int(np.prod(info.shape))
  return {"model": config.model.name, "dataset": info.name, "split": split,
          "num_examples": count,
          "nll_nats": round(nll, 4), "bits_per_dim": round(nll / (dims * math.log(2.0)), 5)}


def _evaluate_latent(model, config, info, split, batch_size, num_importance_samples, seed,
                     refine_steps=0):
  """IWAE-k NLL and -ELBO of a VAE (and the refined-proposal NLL), streamed batch by batch."""
  if int(refine_steps) < 0:
    raise ValueError(f"refine_steps must be >= 0, got {refine_steps}")
  # k samples per example are decoded `chunk` at a time: keep chunk x batch near 50k rows.
  batch_size = min(int(batch_size), 100)
  chunk_size = max(1, min(int(num_importance_samples), 50000 // batch_size))
  dataset, _ = run.load_split(config, split, batch_size=batch_size, shuffle=False)
  def plain_elbo(x, condition, seed):
    """The ELBO itself (beta = 1) whatever beta the model trains with."""
    _, reconstruction, kl = model.elbo(x, condition, seed=seed)
    return reconstruction - kl

  elbo = tf.function(plain_elbo)
  total_nll = total_elbo = total_refined = 0.0
  count = 0
  for index, batch in enumerate(dataset):
    x, condition = batch if isinstance(batch, tuple) else (batch, None)
    batch_seed = (seed * 1_000_003 + index) % 2**31
    log_p = importance_weighted.log_likelihood(model, x, num_importance_samples, chunk_size,
                                               condition=condition, seed=batch_seed)
    total_nll -= float(tf.reduce_sum(log_p))
    total_elbo -= float(tf.reduce_sum(elbo(x, condition, tf.constant([batch_seed, 1]))))
    if refine_steps:
      refined = importance_weighted.refine_posterior(model, x, refine_steps, condition,
                                                     seed=[batch_seed, 2])
      total_refined -= float(tf.reduce_sum(importance_weighted.log_likelihood(
          model, x, num_importance_samples, chunk_size, condition=condition,
          seed=[batch_seed, 3], posterior=refined)))
    count += int(x.shape[0])
  result = {**_summary(config, info, split, count, total_nll / count),
            "negative_elbo_nats": round(total_elbo / count, 4),
            "num_importance_samples": int(num_importance_samples)}
  if refine_steps:
    result.update(nll_nats_refined=round(total_refined / count, 4), refine_steps=int(refine_steps))
  return result
