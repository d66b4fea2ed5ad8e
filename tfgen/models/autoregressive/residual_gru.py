"""A GRU over continuous frames (poses, sensor vectors) with residual connections."""

import keras
import tensorflow as tf

from tfgen import heads as heads_lib
from tfgen.heads import sampling
from tfgen.models import conditioning
from tfgen.models.losses import scale_for_replicas
from tfgen.models.autoregressive.sequence_model import SequenceModel


@keras.saving.register_keras_serializable(package="tfgen")
class ResidualGRU(SequenceModel):
  """p(x) = prod_t p(x_t | x_<t) over frames x_t of D values, from a stacked GRU.

    e_t = act(W_e x_{t-1} + b_e)                    (a learned start vector at t = 0)
    h_t = GRU_L(... GRU_1(e_<=t)) (+ e_t if input_residual)
    params_t = W_o dec(h_t) + b_o, dec = Dense-ReLU or identity
    mean_t  += x_{t-1}                              (if residual_velocity)

  With `residual_velocity` the network predicts the change from the previous
  frame, so an untrained model already repeats the last frame (Martinez et
  al.'s residual connection). With `num_observed` > 0 the training and
  validation loss is Martinez et al.'s sampling-based loss: the first
  `num_observed` frames are read, then the model runs on its own mean
  predictions and the loss is -log p of the remaining frames under them;
  `log_prob` stays the exact teacher-forced likelihood either way.

  The head is a `DiagonalGaussianMixture` over a whole frame: fixed_scale and
  one component for point regression (squared error), learned scales and K
  components for a mixture density network whose samples are distinct futures.

  Args:
    event_shape: (time, features).
    head: a `tfgen.heads.DiagonalGaussianMixture`.
    hidden_units: width of the encoder and of every GRU layer.
    num_layers: stacked GRU layers.
    encoder_activation: "relu" (the lecture's Linear + ReLU) or "linear".
    input_residual: add the encoded input to the last GRU layer's output.
    decoder_units: width of the hidden Dense-ReLU layer before the output
      layer; 0 for a linear decoder.
    residual_velocity: predict x_t - x_{t-1}.
    num_observed: frames read before the sampling-based loss starts; 0 trains
      by teacher forcing on -log p(x).
    num_conditions: classes of a global label (an action), added to each input.

  Example:
    model = ResidualGRU((75, 54), DiagonalGaussianMixture(fixed_scale=1.0), residual_velocity=True)
    future = model.forecast(observed, num_frames=25)       # observed [batch, 50, 54]

  References: Martinez, Black and Romero, "On human motion prediction using
  recurrent neural networks", CVPR 2017; Bishop, "Mixture Density Networks", 1994.
  """

  serves_log_prob_by_steps = True  # Its TFLite log_prob (Keras RNN layers are TensorLists).

  def __init__(self, event_shape, head, hidden_units=256, num_layers=2, encoder_activation="relu",
               input_residual=True, decoder_units=256, residual_velocity=False, num_observed=0,
               **kwargs):
    if "embedding_size" in kwargs:
      raise ValueError("ResidualGRU embeds frames to hidden_units values; drop embedding_size")
    if int(hidden_units) < 1:
      raise ValueError(f"hidden_units must be >= 1, got {hidden_units}")
    # Small initial changes, so an untrained model with residual velocities starts near
    # "repeat the last frame" (Martinez et al. draw the output weights from U(-0.04, 0.04)).
    output_initializer = (keras.initializers.RandomUniform(-0.04, 0.04) if residual_velocity
                          else "glorot_uniform")
    super().__init__(event_shape, head, embedding_size=hidden_units,
                     output_initializer=output_initializer, **kwargs)
    if not isinstance(self.head, heads_lib.DiagonalGaussianMixture):
      raise ValueError(f"ResidualGRU needs a DiagonalGaussianMixture head over whole frames, got "
                       f"{self.head!r}")
    if len(self.event_shape) != 2:
      raise ValueError(f"ResidualGRU's examples are [time, features], got event_shape "
                       f"{self.event_shape}")
    if int(num_layers) < 1 or int(decoder_units) < 0:
      raise ValueError(f"num_layers must be >= 1 and decoder_units >= 0, got {num_layers}, "
                       f"{decoder_units}")
    if encoder_activation not in ("relu", "linear"):
      raise ValueError(f"encoder_activation must be 'relu' or 'linear', got {encoder_activation!r}")
    if not 0 <= int(num_observed) < self.event_shape[0]:
      raise ValueError(f"num_observed must be in [0, {self.event_shape[0]}) for "
                       f"{self.event_shape[0]} frames, got {num_observed}")
    self.hidden_units = int(hidden_units)
    self.num_layers = int(num_layers)
    self.encoder_activation = encoder_activation
    self.input_residual = bool(input_residual)
    self.decoder_units = int(decoder_units)
    self.residual_velocity = bool(residual_velocity)
    self.num_observed = int(num_observed)
    self.recurrent_layers = [keras.layers.GRU(self.hidden_units, return_sequences=True,
                                              name=f"gru_{index}")
                             for index in range(self.num_layers)]
    self.decoder_layer = (keras.layers.Dense(self.decoder_units, activation="relu", name="decoder")
                          if self.decoder_units else None)
    self._forecasters = {}

  def build(self, input_shape=None):
    self.build_sequence_layers()
    self.encoder_bias = self.add_weight(name="encoder_bias", shape=(self.hidden_units,),
                                        initializer="zeros")
    for layer in self.recurrent_layers:
      layer.build((None, None, self.hidden_units))
    size = self.hidden_units
    if self.decoder_layer is not None:
      self.decoder_layer.build((None, None, size))
      size = self.decoder_units
    self.output_layer.build((None, None, size))
    self.built = True

  # ---- the network -------------------------------------------------------

  def _encode(self, embedded):
    encoded = embedded + self.encoder_bias
    return tf.nn.relu(encoded) if self.encoder_activation == "relu" else encoded

  def _decode(self, hidden, encoded):
    if self.input_residual:
      hidden = hidden + encoded
    return hidden if self.decoder_layer is None else self.decoder_layer(hidden)

  def _network(self, embedded, training, condition):
    del condition  # Already added to the embedded inputs.
    encoded = self._encode(embedded)
    hidden = encoded
    for layer in self.recurrent_layers:
      hidden = layer(hidden, training=training)
    return self._decode(hidden, encoded)

  def _initial_network_state(self, batch_size):
    return tuple(tf.zeros([batch_size, self.hidden_units]) for _ in range(self.num_layers))

  def _network_step(self, embedded, step, state, condition):
    del step, condition
    encoded = self._encode(embedded)
    hidden, new_state = encoded, []
    for layer, layer_state in zip(self.recurrent_layers, state):
      hidden, cell_state = layer.cell(hidden, [layer_state])
      new_state.append(cell_state[0] if isinstance(cell_state, (list, tuple)) else cell_state)
    return self._decode(hidden, encoded), tuple(new_state)

  def call(self, inputs, training=None):
    params = super().call(inputs, training=training)
    if not self.residual_velocity:
      return params
    x, _ = self.split_inputs(inputs)
    x = tf.cast(x, tf.float32)
    previous = tf.concat([tf.zeros_like(x[:, :1]), x[:, :-1]], axis=1)
    return self.head.shift_loc(params, previous)

  def next_params(self, previous, position, state, condition=None):
    params, state = super().next_params(previous, position, state, condition)
    if self.residual_velocity:
      previous = tf.reshape(tf.cast(previous, tf.float32), [-1, self.element_size])
      params = self.head.shift_loc(params, tf.where(position > 0, previous, 0.0))
    return params, state

  # ---- the sampling-based loss -------------------------------------------

  def free_running_params(self, x, condition=None):
    """Params [batch, time, P]: frames < num_observed read from x, later ones the model's means."""
    batch = tf.shape(x)[0]
    state = self.start_state(batch)
    previous = tf.zeros([batch, self.element_size])
    all_params = []
    for position in range(self.event_shape[0]):
      params, state = self.next_params(previous, tf.constant(position), state, condition)
      all_params.append(params)
      previous = x[:, position] if position < self.num_observed else self.head.mean(params)
    return tf.stack(all_params, axis=1)

  def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
    """-log p(x) per example (teacher forcing), or with num_observed the sampling-based loss:
    -log p(x_{>=num_observed} | the model's own forecast), per example."""
    if not self.num_observed:
      return super().compute_loss(x, y, y_pred, sample_weight, training)
    values, condition = self.split_inputs(x)
    values = tf.cast(values, tf.float32)
    params = self.free_running_params(values, condition)
    start = self.num_observed
    log_prob = self.head.distribution(params[:, start:], batch_ndims=1).log_prob(values[:, start:])
    return scale_for_replicas(-tf.reduce_mean(log_prob))

  # ---- forecasting ---------------------------------------------------------

  def forecast(self, observed, num_frames, *, condition=None, num_samples=1, mean=True,
               temperature=1.0, seed=None):
    """The next `num_frames` frames after `observed`, by the cached step.

      x_{T+k} = mean of p(x_{T+k} | x_<=T, forecast_<k)      (mean=True)
      x_{T+k} ~ p(x_{T+k} | x_<=T, drawn_<k)                (mean=False)

    Args:
      observed: [batch, num_observed, features], at least one frame.
      num_frames: frames to predict, >= 1.
      condition: for a conditional model, an int label or labels [batch].
      num_samples: futures per observation (draws need mean=False).
      mean: feed back the head's mean (a point forecast) instead of draws.
      temperature, seed: as for `sample`; with the same seed, the frames drawn
        after T equal those of `sample(conditioned_on=..., mask=...)` with the
        first T frames given.
    Returns:
      float32 [batch * num_samples, num_frames, features]; the futures of
      observation b are rows b * num_samples ... (b + 1) * num_samples - 1.
    """
    observed = tf.convert_to_tensor(observed, tf.float32)
    if (observed.shape.rank != 3 or observed.shape[-1] != self.element_size
        or observed.shape[1] == 0):
      raise ValueError(f"observed must be [batch, time >= 1, {self.element_size}] frames, got "
                       f"shape {tuple(observed.shape)}")
    num_frames, temperature = self.check_sample_arguments(num_frames, temperature, "num_frames")
    num_samples, _ = self.check_sample_arguments(num_samples, 1.0, "num_samples")
    if mean and num_samples > 1:
      raise ValueError("a mean forecast is one future; draw several with mean=False")
    self.head.check_support(observed)
    if not self.built:
      self.build((None,) + self.event_shape)
    observed = tf.repeat(observed, num_samples, axis=0)
    if condition is not None:
      condition = conditioning.per_sample(condition, int(observed.shape[0]) // num_samples)
      condition = tf.repeat(tf.convert_to_tensor(condition), num_samples, axis=0)
    one_hot = self._forecast_condition(condition, tf.shape(observed)[0])
    key = (num_frames, bool(mean))
    if key not in self._forecasters:
      self._forecasters[key] = tf.function(
          lambda observed, one_hot, temperature, seed: self._forecast_loop(
              observed, one_hot, num_frames, mean, temperature, seed),
          reduce_retracing=True, jit_compile=self.jit_sampling)
    return self._forecasters[key](observed, one_hot, tf.constant(temperature),
                                  sampling.as_seed(seed))

  def _forecast_condition(self, labels, batch):
    """One-hot labels [batch, num_conditions], or [batch, 0] for a model without conditions."""
    one_hot = self.encode_condition(labels)
    return tf.zeros([batch, 0]) if one_hot is None else one_hot

  def _forecast_loop(self, observed, one_hot, num_frames, mean, temperature, seed,
                     growing=False):
    """[batch, num_frames, D] forecast frames. growing=True gathers them by concatenation
    instead of a TensorArray: no TensorList ops (TFLite builtins), but not XLA-compatible."""
    condition = one_hot if self.num_conditions else None
    batch, num_observed = tf.shape(observed)[0], tf.shape(observed)[1]
    state = self.start_state(batch)
    previous = tf.zeros([batch, self.element_size])
    for position in tf.range(num_observed):
      _, state = self.next_params(previous, position, state, condition)
      previous = observed[:, position]
    frames = (tf.zeros([batch, 0, self.element_size]) if growing
              else tf.TensorArray(tf.float32, size=num_frames))
    invariants = [(frames, tf.TensorShape([None, None, self.element_size]))] if growing else []
    for step in tf.range(num_frames):
      tf.autograph.experimental.set_loop_options(shape_invariants=invariants)
      params, state = self.next_params(previous, num_observed + step, state, condition)
      if mean:
        previous = self.head.mean(params)
      else:
        # The seed of drawn frame t is the one `sample` uses for position t.
        step_seed = (None if seed is None else
                     tf.random.experimental.stateless_fold_in(seed, num_observed + step))
        previous = self.head.sample(params, step_seed, temperature)
      if growing:
        frames = tf.concat([frames, tf.expand_dims(previous, 1)], axis=1)
      else:
        frames = frames.write(step, previous)
    return frames if growing else tf.transpose(frames.stack(), [1, 0, 2])

  def serving_signatures(self, seeded=True, keys=None):
    """`SequenceModel`'s, and the mean forecast:

      forecast(observed [batch, time, features] float32, num_frames int32 []
               (, condition [batch] int32)) -> {"frames": [batch, num_frames, features]}
    """
    signatures = super().serving_signatures(seeded, keys)
    if keys is not None and "forecast" not in keys:
      return signatures

    @tf.function
    def forecast(observed, num_frames, condition=None):
      one_hot = self._forecast_condition(condition, tf.shape(observed)[0])
      return {"frames": self._forecast_loop(observed, one_hot, num_frames, True, 1.0, None,
                                            growing=True)}

    specs = dict(observed=tf.TensorSpec([None, None, self.element_size], tf.float32,
                                        name="observed"),
                 num_frames=tf.TensorSpec([], tf.int32, name="num_frames"))
    if self.num_conditions:
      specs["condition"] = tf.TensorSpec([None], tf.int32, name="condition")
    signatures["forecast"] = forecast.get_concrete_function(**specs)
    return signatures

  def get_config(self):
    config = super().get_config()
    config.pop("embedding_size", None)
    config.update(hidden_units=self.hidden_units, num_layers=self.num_layers,
                  encoder_activation=self.encoder_activation, input_residual=self.input_residual,
                  decoder_units=self.decoder_units, residual_velocity=self.residual_velocity,
                  num_observed=self.num_observed)
    return config
