import numpy as np
import pytest
import tensorflow as tf

from tfgen.layers import CausalConv1D


def time_dependencies(layer, length=12, channels=3):
  """D[t, s] = True if output t has a non-zero gradient w.r.t. input s."""
  x = tf.random.stateless_normal([1, length, channels], seed=[1, 2])
  with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    outputs = layer(x)
    sums = [tf.reduce_sum(outputs[0, t]) for t in range(length)]
  rows = [np.abs(tape.gradient(total, x).numpy()[0]).sum(-1) > 0 for total in sums]
  return np.array(rows)


@pytest.mark.parametrize("kernel_size,dilation,shift", [(2, 1, False), (3, 2, False), (2, 4, True),
                                                        (1, 1, True)])
def test_output_sees_exactly_its_receptive_field(kernel_size, dilation, shift):
  layer = CausalConv1D(4, kernel_size, dilation_rate=dilation, shift=shift)
  depends = time_dependencies(layer)
  for t in range(depends.shape[0]):
    expected = {t - int(shift) - k * dilation for k in range(kernel_size)}
    expected = {s for s in expected if s >= 0}
    assert set(np.flatnonzero(depends[t])) == expected, (t, np.flatnonzero(depends[t]))


def test_step_with_queue_equals_full_convolution():
  layer = CausalConv1D(5, kernel_size=3, dilation_rate=2, shift=True, activation="tanh")
  x = tf.random.stateless_normal([2, 10, 3], seed=[3, 4])
  full = layer(x).numpy()
  queue = layer.initial_queue(2, 3)
  stepped = []
  for t in range(10):
    output, queue = layer.step(x[:, t], queue)
    stepped.append(output.numpy())
  np.testing.assert_allclose(np.stack(stepped, axis=1), full, atol=1e-5)


def test_config_round_trip_and_bad_input():
  layer = CausalConv1D(4, 2, dilation_rate=8, shift=True, activation="relu")
  assert CausalConv1D.from_config(layer.get_config()).get_config() == layer.get_config()
  assert layer.receptive_field == 9 and layer.queue_length == 9
  with pytest.raises(ValueError, match=r"\[batch, time, channels\]"):
    layer(tf.zeros([2, 3]))
  with pytest.raises(ValueError, match="dilation_rate >= 1"):
    CausalConv1D(4, 2, dilation_rate=0)
