"""Training under tf.distribute with two replicas gives the single-device loss and steps (SGD, AdaGrad)."""

import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import numpy as np, tensorflow as tf, keras
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from tfgen import heads
    from tfgen.models import MADE
    x = np.random.default_rng(0).integers(0, 2, (8, 6)).astype(np.float32)

    def run(strategy):
      keras.utils.set_random_seed(0)
      with strategy.scope():
        model = MADE((6,), heads.Bernoulli(), hidden_units=[8, 8], seed=1)
        model.build((None, 6))
        model.compile(optimizer=keras.optimizers.SGD(0.1))
      before = float(tf.reduce_mean(-model.log_prob(x)))
      logged = model.evaluate(x, batch_size=8, verbose=0)
      model.fit(x, batch_size=8, epochs=1, verbose=0, shuffle=False)
      return before, logged, [w.numpy() for w in model.trainable_weights]

    single = run(tf.distribute.get_strategy())
    mirrored = run(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
    assert abs(single[0] - mirrored[0]) < 1e-5
    assert abs(mirrored[1] - mirrored[0]) < 1e-4, (mirrored[1], mirrored[0])
    for a, b in zip(single[2], mirrored[2]):
      np.testing.assert_allclose(a, b, atol=1e-5)

    # tfgen's AdaGrad under a strategy: Keras's update, every same-shaped weight its own.
    from tfgen.training.fused_adagrad import FusedAdagrad

    def adagrad_steps(strategy, optimizer_class):
      keras.utils.set_random_seed(0)
      with strategy.scope():
        model = MADE((6,), heads.Bernoulli(), hidden_units=[8, 8], seed=1)
        model.build((None, 6))
        model.compile(optimizer=optimizer_class(0.1, initial_accumulator_value=1e-6, epsilon=0.0))
      model.fit(x, batch_size=8, epochs=3, verbose=0, shuffle=False)
      return [w.numpy() for w in model.trainable_weights]

    keras_single = adagrad_steps(tf.distribute.get_strategy(), keras.optimizers.Adagrad)
    fused_mirrored = adagrad_steps(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]), FusedAdagrad)
    for a, b in zip(keras_single, fused_mirrored):
      np.testing.assert_allclose(a, b, atol=1e-5)
    print("OK")
""")


def test_mirrored_strategy_matches_single_device():
  result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "2", "PATH": "/usr/bin:/bin"})
  assert result.returncode == 0 and result.stdout.strip().endswith("OK"), result.stderr[-3000:]
