"""A deterministic autoencoder (MLP or conv) trained on L2 or a head's negative log-likelihood."""

import keras
import tensorflow as tf

from tfgen import heads as heads_lib
from tfgen.models.generative_model import GenerativeModel
from tfgen.models.latent import networks
from tfgen.models.losses import scale_for_replicas

LOSSES = ("l2", "head")


@keras.saving.register_keras_serializable(package="tfgen")
class Autoencoder(GenerativeModel):
  """x -> code = encoder(x) -> decoder(code) -> x_hat, with a code smaller than x.

    loss="l2":   sum_i (n(x)_i - decoder(encoder(x))_i)^2, n = the head's normalize
    loss="head": -log p(x | params = decoder(encoder(x)))

  `encode(x)` gives the code, a feature vector for a supervised model.

  Args:
    event_shape: shape of one example, e.g. (28, 28, 1).
    head: a `tfgen.heads.Head`; it scales inputs, and with loss="head" it
      turns the decoder's output into p(x | code).
    code_size: size of the code (>= 1).
    network: "mlp" or "conv" (4 conv layers down, 4 transposed conv layers up).
    hidden_units: encoder hidden sizes (the decoder mirrors them).
    activation: hidden activation.
    loss: "l2" or "head".

  Example:
    autoencoder = Autoencoder((28, 28, 1), tfgen.heads.Bernoulli(), code_size=32, network="conv")
    autoencoder.compile(optimizer="adam"); autoencoder.fit(images, epochs=5)
    features = autoencoder.encode(images)      # [batch, 32]

  Reference: Hinton & Salakhutdinov, "Reducing the Dimensionality of Data
  with Neural Networks", 2006.
  """

  # No likelihood and nothing to sample from: `tfgen.evaluate` reports the
  # reconstruction error, and `sample` is refused.
  likelihood_kind = None

  def __init__(self, event_shape, head, code_size=32, network="mlp", hidden_units=(256,),
               activation="relu", loss="head", **kwargs):
    super().__init__(**kwargs)
    head = heads_lib.as_head(head)
    if int(code_size) < 1:
      raise ValueError(f"code_size must be >= 1, got {code_size}")
    if loss not in LOSSES:
      raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    self.event_shape = tuple(int(size) for size in event_shape)
    networks.check_network(network, self.event_shape)
    self.head = head
    self.code_size = int(code_size)
    self.network = network
    self.hidden_units = tuple(int(units) for units in hidden_units)
    self.activation = activation
    self.loss_kind = loss
    output_shape = (head.params_shape(self.event_shape) if loss == "head"
                    else self.event_shape)
    self.encoder = networks.encoder(network, self.event_shape, self.code_size, self.hidden_units,
                                    activation, name="encoder")
    self.decoder = networks.decoder(network, self.code_size, output_shape, self.hidden_units,
                                    activation, name="decoder")

  def build(self, input_shape=None):
    if not self.encoder.built:
      self.encoder.build((None,) + self.event_shape)
    if not self.decoder.built:
      self.decoder.build((None, self.code_size))
    self.built = True

  def _features(self, x):
    x = tf.convert_to_tensor(x, tf.float32)
    if tuple(x.shape[1:]) != self.event_shape:
      raise ValueError(f"Autoencoder expects examples of shape {self.event_shape}, "
                       f"got shape {tuple(x.shape[1:])}")
    return self.head.normalize(self.head.check_support(x))

  def encode(self, x):
    """The code [batch, code_size]."""
    return self.encoder(self._features(x))

  def call(self, inputs, training=None):
    """Decoder output: head params (loss="head") or normalized values (loss="l2")."""
    del training
    return self.decoder(self.encode(inputs))

  def reconstruction_error(self, x, outputs=None):
    """Per-example loss [batch]: squared error, or -log p(x | code) in nats."""
    outputs = self(x) if outputs is None else outputs
    if self.loss_kind == "l2":
      difference = self._features(x) - outputs
      return tf.reduce_sum(tf.reshape(tf.square(difference), [tf.shape(difference)[0], -1]), -1)
    return -self.head.log_prob(x, outputs)

  def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
    del y, sample_weight, training
    return scale_for_replicas(tf.reduce_mean(self.reconstruction_error(x, y_pred)))

  def reconstruct(self, x, condition=None):
    """x_hat in data units: the head's mean, or the L2 output mapped back from normalized units.

    `condition` must be None (as for every unconditional model).
    """
    self.encode_condition(condition)
    outputs = self(x)
    if self.loss_kind == "head":
      return self.head.mean(outputs)
    zero, one = (float(value) for value in self.head.normalize(tf.constant([0.0, 1.0])).numpy())
    return (outputs - zero) / (one - zero)

  def served_functions(self):
    return ("encode", "reconstruct")

  def get_config(self):
    config = super().get_config()
    config.update(event_shape=list(self.event_shape),
                  head=keras.saving.serialize_keras_object(self.head), code_size=self.code_size,
                  network=self.network, hidden_units=list(self.hidden_units),
                  activation=self.activation, loss=self.loss_kind)
    return config
