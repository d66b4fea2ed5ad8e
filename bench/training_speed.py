"""Training steps per second of each family: the plain Keras step against XLA and steps_per_execution.

  python bench/training_speed.py [--families=made,nade,vae,real_nvp,gru,transformer] [--num_steps=64]

Each family is built from its config at its default size (the digit configs; the text app's
configs on tiny Shakespeare, which needs ../shared/data), and trained three ways from the same
weights on the same in-memory batches:

  plain        model.compile(jit_compile=False): tfgen's training step today
  xla          jit_compile=True
  xla_spe8     jit_compile=True, steps_per_execution=8 (eight steps a call)

Before timing, the first batch's loss of each side is checked to agree with the plain one
(rtol 1e-3: XLA fuses and reorders float sums), except RealNVP's, whose evaluation draws
unseeded dequantization noise. After a warm-up fit that traces and compiles, the sides are
timed in turn for 3 rounds of at least 1.5 seconds each (fits of `--num_steps` steps), and
each side's best round is kept. Ratios only: run with nothing else on the
cores; absolute seconds are this machine's. Writes bench/results/training_speed.json.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position
import tensorflow as tf  # pylint: disable=wrong-import-position

from bench import bench_util  # pylint: disable=wrong-import-position
from tfgen import models  # pylint: disable=wrong-import-position
from tfgen.configs import made_digits, nade_digits, real_nvp_digits, vae_digits  # pylint: disable=wrong-import-position
from tfgen.training import run  # pylint: disable=wrong-import-position
from tfgen.training.optimizers import build_optimizer  # pylint: disable=wrong-import-position

SHAKESPEARE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..",
                           "shared", "data", "tinyshakespeare.txt")
SIDES = (("plain", False, 1), ("xla", True, 1), ("xla_spe8", True, 8))
# Families whose evaluation step draws unseeded noise (a flow's dequantization): each side
# scores other draws, so their first losses are reported but not compared.
UNSEEDED_TEST_NOISE = {"real_nvp"}
NUM_ROUNDS = 3  # Rounds of timing, each side once a round, the sides in turn.
ROUND_SECONDS = 1.5  # Each side's time in a round (at least).


def family_config(name):
  """The family's default config: a digit config, or the text app's on tiny Shakespeare."""
  digit_configs = {"made": made_digits, "nade": nade_digits, "vae": vae_digits,
                   "real_nvp": real_nvp_digits}
  if name in digit_configs:
    return digit_configs[name].get_config()
  from apps.text_generation import train_lib as text_train_lib  # pylint: disable=import-outside-toplevel
  if not os.path.exists(SHAKESPEARE):
    raise SystemExit(f"{name} needs {SHAKESPEARE} (../shared/data beside the repo)")
  return text_train_lib.choose_config(SHAKESPEARE, "rnn" if name == "gru" else "transformer",
                                      print_fn=lambda _: None)


def batches_of(config, count):
  """`count` training batches in memory, and the DatasetInfo."""
  dataset, info = run.load_split(config, "train", shuffle=False)
  dataset = dataset.unbatch().repeat().batch(int(config.data.batch_size), drop_remainder=True)
  dataset = run.as_fit_inputs(dataset, config)  # Full batches only: they are stacked below.
  return [batch for batch in dataset.take(count)], info


def compiled(config, info, weights, jit_compile, steps_per_execution):
  model = models.build(config.model, config.head, info)
  model.build((None,) + tuple(info.shape))
  if weights is not None:
    model.set_weights(weights)
  optimizer = config.optimizer.copy_and_resolve_references()
  optimizer.schedule = "constant"
  model.compile(optimizer=build_optimizer(optimizer, 1000), jit_compile=jit_compile,
                steps_per_execution=steps_per_execution)
  return model


def measure(name, num_steps):
  """{side: steps per second, ...} and the first-step losses of one family."""
  config = family_config(name)
  keras.utils.set_random_seed(0)
  batches, info = batches_of(config, num_steps)
  weights = None
  results = {"batch_size": int(config.data.batch_size), "event_shape": list(info.shape)}
  dataset = tf.data.Dataset.from_tensor_slices(
      tf.nest.map_structure(lambda *parts: tf.stack(parts), *batches)).repeat()
  trained = {}
  for side, jit_compile, steps_per_execution in SIDES:
    model = compiled(config, info, weights, jit_compile, steps_per_execution)
    if weights is None:
      weights = model.get_weights()
    first_loss = float(np.mean(model.test_on_batch(batches[0])))  # Same weights, no update.
    results[f"{side}_first_loss"] = round(first_loss, 5)
    model.fit(dataset, epochs=1, steps_per_epoch=2 * steps_per_execution, verbose=0)  # Compiles.
    trained[side] = model
  # Interleaved rounds, the best of each side: a slow spell of the machine hits all sides.
  best = {side: 0.0 for side in trained}
  for _ in range(NUM_ROUNDS):
    for side, model in trained.items():
      # Fits of num_steps for ROUND_SECONDS: the small models run hundreds of steps a second.
      start, steps_done = time.perf_counter(), 0
      while steps_done == 0 or time.perf_counter() - start < ROUND_SECONDS:
        model.fit(dataset, epochs=1, steps_per_epoch=num_steps, verbose=0)
        steps_done += num_steps
      best[side] = max(best[side], steps_done / (time.perf_counter() - start))
  for side, steps_per_second in best.items():
    results[f"{side}_steps_per_second"] = round(steps_per_second, 2)
  plain = results["plain_first_loss"]
  for side, _, _ in SIDES[1:]:
    if name in UNSEEDED_TEST_NOISE:
      results["first_loss_compared"] = False
    elif not np.isclose(results[f"{side}_first_loss"], plain, rtol=1e-3):
      raise SystemExit(f"{name}: {side}'s first loss {results[f'{side}_first_loss']} differs "
                       f"from the plain step's {plain}")
    results[f"{side}_speedup"] = round(results[f"{side}_steps_per_second"]
                                       / results["plain_steps_per_second"], 2)
  return results


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--families", default="made,nade,vae,real_nvp,gru,transformer")
  parser.add_argument("--num_steps", type=int, default=64)
  parser.add_argument("--output", default=bench_util.default_output(__file__, "training_speed"))
  args = parser.parse_args()
  results = {"num_steps": args.num_steps}
  for name in args.families.split(","):
    results[name] = measure(name, args.num_steps)
    print(name, results[name], flush=True)
  bench_util.report(results, args.output)


if __name__ == "__main__":
  main()
