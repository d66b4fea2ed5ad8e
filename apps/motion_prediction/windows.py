"""Training and validation windows of normalised motion: [batch, observed + target, D] float32."""

import numpy as np
import tensorflow as tf

from tfgen.data import DataError


class WindowSource:
  """Every window of `length` frames that fits inside one of a split's clips.

  Args:
    clips_by_action: {action: [normalised clips [T, D]]}.
    length: frames a window.
    split: for messages.
    actions: the action names in label order (a window's label is its action's
      index); None = the sorted names of `clips_by_action`.
  """

  def __init__(self, clips_by_action, length, split, actions=None):
    self.length = int(length)
    frames, starts, actions_seen, offset = [], [], [], 0
    self.actions = list(actions) if actions is not None else sorted(clips_by_action)
    for action in sorted(clips_by_action):
      if action not in self.actions:
        raise DataError(f"the {split} split has the action {action!r}, which the labels "
                        f"{self.actions} lack")
      action_id = self.actions.index(action)
      for clip in clips_by_action[action]:
        clip = np.asarray(clip, np.float32)
        num_starts = len(clip) - self.length + 1
        if num_starts > 0:
          starts.append(offset + np.arange(num_starts))
          actions_seen.append(np.full(num_starts, action_id))
        frames.append(clip)
        offset += len(clip)
    if not starts:
      longest = max((len(clip) for clips in clips_by_action.values() for clip in clips), default=0)
      raise DataError(f"no {split} clip has the {self.length} frames a window needs (the longest "
                      f"has {longest}); use longer clips or fewer observed + target frames")
    self.frames = np.concatenate(frames)
    self.starts = np.concatenate(starts)
    self.action_ids = np.concatenate(actions_seen)

  @property
  def num_windows(self):
    return len(self.starts)

  def fixed(self, num_windows, seed):
    """(windows [N, length, D], action ids [N]): N distinct starts (all if fewer), drawn once."""
    rng = np.random.RandomState(seed)
    chosen = np.sort(rng.permutation(self.num_windows)[:num_windows])
    index = self.starts[chosen][:, np.newaxis] + np.arange(self.length)
    return self.frames[index], self.action_ids[chosen]

  def stream(self, seed, start, with_labels=False):
    """Element k >= start: the window at a start drawn with the stateless seed (seed, k).

    Everything is a function of k, so a resumed run sees what an unbroken one would.
    """
    frames = tf.constant(self.frames)
    starts = tf.constant(self.starts, tf.int32)
    action_ids = tf.constant(self.action_ids, tf.int32)
    offsets = tf.range(self.length)

    def element(index):
      pick = tf.random.stateless_uniform([], seed=tf.stack([tf.constant(seed, tf.int64), index]),
                                         maxval=self.num_windows, dtype=tf.int32)
      window = tf.gather(frames, starts[pick] + offsets)
      return (window, action_ids[pick]) if with_labels else window

    # counter, not range(start, 2**62): fit takes steps_per_epoch only from an infinite stream.
    return tf.data.Dataset.counter(int(start)).map(element)
