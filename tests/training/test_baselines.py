import numpy as np
import tensorflow_probability as tfp

from tfgen import data
from tfgen.training import baselines

tfd = tfp.distributions


def test_independent_pixels_agree_with_tfp_categoricals():
  result = baselines.independent_pixel_nll("binarized_digits", "valid")
  train = np.concatenate([b.numpy() for b in data.load("binarized_digits", "train", 2000)[0]])
  valid = np.concatenate([b.numpy() for b in data.load("binarized_digits", "valid", 2000)[0]])
  ones = train.reshape(len(train), -1).sum(axis=0)
  probs = np.stack([len(train) - ones + 1, ones + 1], axis=-1) / (len(train) + 2)
  reference = tfd.Independent(tfd.Categorical(probs=probs), 1).log_prob(
      valid.reshape(len(valid), -1).astype(np.int32))
  np.testing.assert_allclose(result["nll_nats"], -reference.numpy().mean(), rtol=1e-5)
  assert result["num_examples"] == len(valid)
  np.testing.assert_allclose(result["bits_per_dim"], result["nll_nats"] / (64 * np.log(2)), rtol=1e-4)
