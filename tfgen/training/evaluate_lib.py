"""Test-set negative log-likelihood of a trained run, in nats and bits/dim.

What is reported depends on what the model says its `log_prob` is
(`GenerativeModel.likelihood_kind`), not on its class:

  "exact", "dequantized"  the mean of -`evaluation_log_prob` over the split
  "elbo", "iwae_k"        the IWAE-k estimate of -log p(x) (k = num_importance_samples), and -ELBO
  None                    the reconstruction error (an autoencoder has no likelihood),
                          or, for a model that samples (a GAN), the quality of its samples
                          (`sample_quality`: a Fréchet distance and an Inception-Score-style
                          entropy in a classifier's feature space)

Any model that samples can add the sample-quality fields (sample_quality=True),
so a VAE's samples are scored the same way as a GAN's.
"""

import math

import numpy as np
import tensorflow as tf

from tfgen.models.latent import importance_weighted
from tfgen.training import run
from tfgen.training import sample_quality as sample_quality_lib
from tfgen.training.workdir import Workdir


def evaluate(workdir, split="test", batch_size=500, num_importance_samples=5000, seed=0,
             refine_steps=0, sample_quality=False):
  """Returns {"model", "dataset", "split", "num_examples", "nll_nats", "bits_per_dim"}.

  nll_nats is the mean of -log p(x) over the split's examples; bits_per_dim is
  nll_nats / (D ln 2) with D the number of values in one example. A labeled
  split scores -log p(x | label). The model may add fields
  (`evaluation_fields`: a MADE ensemble adds "num_masks").

  A latent-variable model's log p(x) has no closed form: nll_nats is then the
  IWAE estimate with `num_importance_samples` samples per example (seeded by
  `seed`), and the result gains "negative_elbo_nats" (-ELBO, analytic KL, one z
  per example) and "num_importance_samples". With refine_steps > 0 it also gains
  "nll_nats_refined": the same K-sample estimate with each example's q(z | x)
  first refined by `refine_steps` Adam steps on its own ELBO
  (`importance_weighted.refine_posterior`). Both estimate the same log p(x);
  nll_nats (the encoder's proposal) is the one the literature reports. A model
  with no likelihood reports "reconstruction_error" (per example) instead. A flow
  on discrete data reports the dequantization bound -E_u log p((x + u) / K) + D log K
  (`Flow.evaluation_log_prob`).

  A model with no likelihood that samples (a GAN) reports the quality of its
  samples against the split (`sample_quality.sample_quality`); sample_quality=True
  adds those fields for any model that samples.
  """
  model, config, info = Workdir(workdir).load_model()
  kind = model.likelihood_kind
  samples = "sample" in model.served_functions()
  if sample_quality and not samples:
    raise ValueError(f"{config.model.name} cannot sample, so its samples cannot be scored")
  if kind is None and samples:
    return {"model": config.model.name, "dataset": info.name, "split": split,
            **sample_quality_lib.sample_quality(model, config, info, split, seed)}
  if kind is None and "reconstruct" not in model.served_functions():
    raise ValueError(f"{config.model.name} has no likelihood, samples or reconstructions to "
                     "score (a CycleGAN's translations: python -m apps.style_transfer.digits_check)")
  if kind is None:
    return _evaluate_reconstruction(model, config, info, split, batch_size)
  if kind in ("elbo", "iwae_k"):
    result = _evaluate_latent(model, config, info, split, batch_size, num_importance_samples,
                              seed, refine_steps)
  else:
    result = _evaluate_density(model, config, info, split, batch_size, seed)
  if sample_quality:
    result.update(sample_quality_lib.sample_quality(model, config, info, split, seed))
  return result


def _evaluate_density(model, config, info, split, batch_size, seed):
  """Mean -log p(x) (or the model's bound) over the split, batch by batch."""
  total, count = 0.0, 0
  for index, (x, labels) in enumerate(run.split_batches(config, split, batch_size)):
    log_p = model.evaluation_log_prob(x, labels, seed=tf.constant([seed, index]))
    values = log_p.numpy().astype(np.float64)
    total += values.sum()
    count += len(values)
  return {**_summary(config, info, split, count, -total / count), **model.evaluation_fields()}


def _evaluate_reconstruction(model, config, info, split, batch_size):
  errors = np.concatenate([model.reconstruction_error(x).numpy()
                           for x, _ in run.split_batches(config, split, batch_size)])
  return {"model": config.model.name, "dataset": info.name, "split": split,
          "num_examples": len(errors), "reconstruction_error": round(float(errors.mean()), 4),
          "loss": model.loss_kind}


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

  def plain_elbo(x, condition, seed):
    """The ELBO itself (beta = 1) whatever beta the model trains with."""
    _, reconstruction, kl = model.elbo(x, condition, seed=seed)
    return reconstruction - kl

  elbo = tf.function(plain_elbo)
  total_nll = total_elbo = total_refined = 0.0
  count = 0
  for index, (x, condition) in enumerate(run.split_batches(config, split, batch_size)):
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
