"""CycleGAN's history of generated images, which D trains on instead of only the newest ones."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgen")
class ImageHistory(keras.layers.Layer):
  """A buffer of `size` generated images (Shrivastava et al. 2017; Zhu et al. 2017, sec. 4).

  For each image of a batch, in order:
    while the buffer is not full: store it and return it;
    once full: with probability 1/2 return a stored image chosen uniformly and
    store the new one in its place; otherwise return the new image.

  D then sees older generators' images too, which damps the oscillation of
  the two players. The buffer, its fill count and its count of draws are
  weights of the layer, so a resumed run continues with the same history.

  Args:
    image_shape: (height, width, channels) of the stored images.
    size: images kept (50 in CycleGAN); 0 returns every batch as it is.
    seed: seeds the draws.
  """

  def __init__(self, image_shape, size=50, seed=0, **kwargs):
    super().__init__(**kwargs)
    if int(size) < 0:
      raise ValueError(f"the history size must be >= 0, got {size}")
    self.image_shape = tuple(int(side) for side in image_shape)
    self.size, self.seed = int(size), int(seed)
    self.images = self.add_weight(shape=(max(self.size, 1),) + self.image_shape,
                                  initializer="zeros", trainable=False, name="images")
    self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False,
                                 name="count")
    # Draws are stateless, seeded by (seed, calls so far): a saved weight, unlike a
    # SeedGenerator's state, so a resumed run draws what an unbroken one would.
    self.num_calls = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                     trainable=False, name="num_calls")
    self.built = True

  def call(self, images):
    """Images [batch, *image_shape] -> as many, each new or from the history."""
    if not self.size:
      return images
    images = tf.convert_to_tensor(images, self.images.dtype)
    batch = tf.shape(images)[0]
    call_seed = tf.random.experimental.stateless_fold_in(
        tf.constant([self.seed, 0], tf.int32), self.num_calls.value)
    self.num_calls.assign(self.num_calls.value + 1)
    swap_seed, slot_seed = tf.unstack(tf.random.experimental.stateless_split(call_seed, 2))
    swap = tf.random.stateless_uniform([batch], swap_seed) < 0.5
    slots = tf.random.stateless_uniform([batch], slot_seed, maxval=self.size, dtype=tf.int32)

    def step(index, outputs):
      image, count = images[index], self.count.value
      stored = self.images.value
      filling = count < self.size
      take_old = tf.logical_and(tf.logical_not(filling), swap[index])
      slot = tf.where(filling, count, slots[index])
      returned = tf.where(take_old, stored[slot], image)
      store = tf.logical_or(filling, take_old)
      updated = tf.tensor_scatter_nd_update(stored, [[slot]], image[tf.newaxis])
      self.images.assign(tf.where(store, updated, stored))
      self.count.assign(tf.minimum(count + 1, self.size))
      return index + 1, outputs.write(index, returned)

    outputs = tf.TensorArray(images.dtype, size=batch, element_shape=self.image_shape)
    _, outputs = tf.while_loop(lambda index, _: index < batch, step, [0, outputs])
    return outputs.stack()

  def get_config(self):
    return {**super().get_config(), "image_shape": list(self.image_shape), "size": self.size,
            "seed": self.seed}
