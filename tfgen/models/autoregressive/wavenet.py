"""WaveNet: dilated causal convolutions with gated units, and Fast-WaveNet queued generation."""

import keras
import tensorflow as tf

from tfgen.layers.causal_conv1d import CausalConv1D
from tfgen.models.autoregressive.sequence_model import SequenceModel
from tfgen.utils import checks


@keras.saving.register_keras_serializable(package="tfgen")
class WaveNet(SequenceModel):
  """Stacks of dilated causal convolutions (dilations 1, 2, ..., 2^(L-1), repeated).

    h^0 = CausalConv(E x_{<t}),
    z^i = tanh(W_f^i * h^{i-1}) . sigmoid(W_g^i * h^{i-1}),   h^i = h^{i-1} + V_r^i z^i,
    p(x_t | x_<t) = head(W_o relu(W_s relu(sum_i V_s^i z^i)))

  (* a causal convolution of kernel 2 and dilation 2^(i mod L)). With global
  conditioning on a class c (num_conditions > 0) each gate also gets a learned
  vector: z^i = tanh(W_f^i * h + V_f^i c) . sigmoid(W_g^i * h + V_g^i c). Inputs are
  shifted one step behind a start vector, so the output at t sees x_<t only.
  Generation keeps a queue of past inputs per convolution, so each new sample
  costs O(layers), not a pass over the receptive field.

  Args:
    event_shape: (time,) of quantised samples (e.g. 8-bit mu-law values).
    head: Categorical(256) for mu-law audio, or a DiscretizedLogisticMixture.
    residual_channels, skip_channels: widths.
    num_layers_per_stack: L (dilations up to 2^(L-1)).
    num_stacks: repeats of the dilation pattern.
    embedding_size: size of the embedded input.
    num_conditions: classes for global conditioning (speakers, instruments); 0 = none.

  Example:
    model = WaveNet((4000,), tfgen.heads.Categorical(256), num_layers_per_stack=9)
    model.receptive_field   # 2 + 2^9 - 1
    speakers = WaveNet((4000,), tfgen.heads.Categorical(256), num_conditions=3)
    audio = speakers.sample(2, condition=[0, 2])

  References: van den Oord et al., "WaveNet: A Generative Model for Raw Audio",
  2016; Paine et al., "Fast Wavenet Generation Algorithm", 2016.
  """

  def __init__(self, event_shape, head, residual_channels=32, skip_channels=64,
               num_layers_per_stack=8, num_stacks=1, embedding_size=32, **kwargs):
    super().__init__(event_shape, head, embedding_size=embedding_size, **kwargs)
    checks.at_least_one("WaveNet", residual_channels=residual_channels, skip_channels=skip_channels,
                        num_layers_per_stack=num_layers_per_stack, num_stacks=num_stacks)
    self.residual_channels = int(residual_channels)
    self.skip_channels = int(skip_channels)
    self.num_layers_per_stack = int(num_layers_per_stack)
    self.num_stacks = int(num_stacks)
    self.input_conv = CausalConv1D(self.residual_channels, kernel_size=2, name="input_conv")
    self.dilations = [2 ** index for _ in range(self.num_stacks)
                      for index in range(self.num_layers_per_stack)]
    self.gated_convs = [CausalConv1D(2 * self.residual_channels, kernel_size=2,
                                     dilation_rate=dilation, name=f"gated_{index}")
                        for index, dilation in enumerate(self.dilations)]
    # The last layer feeds only the skip path.
    self.residual_projections = [keras.layers.Dense(self.residual_channels, name=f"residual_{index}")
                                 for index in range(len(self.dilations) - 1)]
    self.skip_projections = [keras.layers.Dense(self.skip_channels, name=f"skip_{index}")
                             for index in range(len(self.dilations))]
    self.skip_output = keras.layers.Dense(self.skip_channels, activation="relu", name="skip_output")
    self.condition_projections = [
        keras.layers.Dense(2 * self.residual_channels, use_bias=False, name=f"condition_{index}")
        for index in range(len(self.dilations) if self.num_conditions else 0)]

  @property
  def receptive_field(self):
    """Past samples one output depends on (the shift included)."""
    return 1 + self.input_conv.queue_length + sum(conv.queue_length for conv in self.gated_convs)

  def build(self, input_shape=None):
    self.build_sequence_layers()
    self.input_conv.build((None, None, self.embedding_size))
    for conv, skip in zip(self.gated_convs, self.skip_projections):
      conv.build((None, None, self.residual_channels))
      skip.build((None, None, self.residual_channels))
    for residual in self.residual_projections:
      residual.build((None, None, self.residual_channels))
    for projection in self.condition_projections:
      projection.build((None, self.num_conditions))
    self.skip_output.build((None, None, self.skip_channels))
    self.output_layer.build((None, None, self.skip_channels))
    self.built = True

  def _gated_layer(self, index, hidden, convolved, condition):
    if condition is not None:
      projected = self.condition_projections[index](condition)          # [B, 2C]
      if convolved.shape.rank == 3:
        projected = projected[:, tf.newaxis, :]
      convolved = convolved + projected
    filters, gates = tf.split(convolved, 2, axis=-1)
    gated = tf.tanh(filters) * tf.sigmoid(gates)
    if index < len(self.residual_projections):
      hidden = hidden + self.residual_projections[index](gated)
    return hidden, self.skip_projections[index](gated)

  def _network(self, embedded, training, condition):
    del training
    hidden = self.input_conv(embedded)
    skips = 0.0
    for index, conv in enumerate(self.gated_convs):
      hidden, skip = self._gated_layer(index, hidden, conv(hidden), condition)
      skips = skips + skip
    return self.skip_output(tf.nn.relu(skips))

  def _initial_network_state(self, batch_size):
    queues = [self.input_conv.initial_queue(batch_size, self.embedding_size)]
    queues += [conv.initial_queue(batch_size, self.residual_channels) for conv in self.gated_convs]
    return tuple(queues)

  def _network_step(self, embedded, step, state, condition):
    del step
    hidden, input_queue = self.input_conv.step(embedded, state[0])
    queues = [input_queue]
    skips = 0.0
    for index, (conv, queue) in enumerate(zip(self.gated_convs, state[1:])):
      convolved, queue = conv.step(hidden, queue)
      queues.append(queue)
      hidden, skip = self._gated_layer(index, hidden, convolved, condition)
      skips = skips + skip
    return self.skip_output(tf.nn.relu(skips)), tuple(queues)

  def get_config(self):
    config = super().get_config()
    config.update(residual_channels=self.residual_channels, skip_channels=self.skip_channels,
                  num_layers_per_stack=self.num_layers_per_stack, num_stacks=self.num_stacks)
    return config
