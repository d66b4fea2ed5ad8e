import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import CausalSelfAttention


def test_position_t_depends_only_on_positions_up_to_t():
  layer = CausalSelfAttention(num_heads=2, head_size=4)
  x = tf.random.stateless_normal([1, 7, 6], seed=[1, 1])
  with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    outputs = layer(x)
    sums = [tf.reduce_sum(outputs[0, t]) for t in range(7)]
  for t, total in enumerate(sums):
    seen = np.flatnonzero(np.abs(tape.gradient(total, x).numpy()[0]).sum(-1) > 0)
    assert list(seen) == list(range(t + 1)), (t, seen)


def test_cached_steps_equal_full_recompute():
  layer = CausalSelfAttention(num_heads=3, head_size=5)
  x = tf.random.stateless_normal([2, 9, 8], seed=[2, 3])
  full = layer(x).numpy()
  cache = layer.initial_cache(batch_size=2, max_length=12)
  stepped = []
  for t in range(9):
    output, cache = layer.step(x[:, t], cache, position=t)
    stepped.append(output.numpy())
  np.testing.assert_allclose(np.stack(stepped, axis=1), full, atol=1e-5)


def test_config_round_trip_and_bad_arguments():
  layer = CausalSelfAttention(num_heads=2, head_size=8, dropout=0.1)
  assert CausalSelfAttention.from_config(layer.get_config()).get_config() == layer.get_config()
  with pytest.raises(ValueError, match="num_heads"):
    CausalSelfAttention(num_heads=0, head_size=4)
  with pytest.raises(ValueError, match=r"\[batch, time, features\]"):
    layer(tf.zeros([2, 8]))
