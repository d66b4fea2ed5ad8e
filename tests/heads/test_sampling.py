"""The next-token rules and the seeds of tfgen.heads.sampling."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen.heads import sampling


def test_top_k_and_top_p_filters():
  logits = tf.math.log(tf.constant([[0.5, 0.3, 0.15, 0.05]]))
  kept = lambda filtered: np.isfinite(filtered.numpy()[0]).tolist()
  assert kept(sampling.filter_logits(logits, top_k=2)) == [True, True, False, False]
  assert kept(sampling.filter_logits(logits, top_p=0.7)) == [True, True, False, False]
  assert kept(sampling.filter_logits(logits, top_p=0.85)) == [True, True, True, False]
  assert kept(sampling.filter_logits(logits, top_p=0.1)) == [True, False, False, False]
  np.testing.assert_allclose(sampling.filter_logits(logits, temperature=2.0).numpy(),
                             logits.numpy() / 2.0)


def test_filter_arguments_are_checked():
  assert sampling.check_filters(3, 0.5) == (3, 0.5)
  with pytest.raises(ValueError, match="top_k must be an integer >= 0"):
    sampling.check_filters(-1, 1.0)
  with pytest.raises(ValueError, match="top_k must be an integer >= 0"):
    sampling.check_filters(1.5, 1.0)
  with pytest.raises(ValueError, match=r"top_p must be in \(0, 1\]"):
    sampling.check_filters(0, 0.0)
  with pytest.raises(ValueError, match=r"top_p must be in \(0, 1\]"):
    sampling.check_filters(0, 1.5)
