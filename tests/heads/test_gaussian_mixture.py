import numpy as np
import scipy.stats
import tensorflow as tf

from tests.heads import head_checks
from tfgen import heads


PARAMS = [0.3, -0.5, 1.0, -2.0, 0.0, 1.5, 0.2, -1.0, 0.5]  # 3 logits, 3 means, 3 raw scales


def test_integrates_to_one():
  total = head_checks.integrate_1d(heads.GaussianMixture(3), PARAMS, -15.0, 15.0)
  assert abs(total - 1.0) < 1e-4, total


def test_density_matches_weighted_normals():
  head = heads.GaussianMixture(3)
  logits, loc, raw = np.split(np.array(PARAMS), 3)
  weights = np.exp(logits) / np.exp(logits).sum()
  scale = np.log1p(np.exp(raw)) + 1e-3
  x = 0.7
  expected = np.log(np.sum(weights * scipy.stats.norm.pdf(x, loc, scale)))
  got = head.log_prob(tf.constant([[x]]), tf.constant([[PARAMS]])).numpy()[0]
  np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_samples_follow_the_mixture():
  head = heads.GaussianMixture(3)
  draws = head.sample(tf.repeat(tf.constant([[PARAMS]]), 5000, axis=0), seed=5).numpy().ravel()
  logits, loc, raw = np.split(np.array(PARAMS), 3)
  weights = np.exp(logits) / np.exp(logits).sum()
  scale = np.log1p(np.exp(raw)) + 1e-3
  cdf = lambda x: np.sum(weights * scipy.stats.norm.cdf(np.asarray(x)[..., None], loc, scale), -1)
  assert scipy.stats.kstest(draws, cdf).pvalue > 1e-3
