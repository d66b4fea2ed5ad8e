"""training.precision: mixed_float16 runs scale their losses and resume exactly; a resumed run
may switch to bfloat16 but not across the loss scale; older runs read as float32."""

import json

import keras
import numpy as np
import pytest

from tests.training.saved_weights import saved_weights
from tests.training.tiny_configs import tiny_config
from tests.training.interrupt import Interrupt, Interrupted
from tfgen.configs import dcgan_digits, made_digits
from tfgen.training import train_lib
from tfgen.training.workdir import Workdir


def tiny(config_module, precision):
  return tiny_config(config_module, num_epochs=2, steps_per_epoch=4, precision=precision)


class RecordOptimizers(keras.callbacks.Callback):
  """Keeps the model's optimizers' types, the first one's step count and the dtype its
  layers compute in, at the run's first step (after any restore)."""

  types = None

  def on_train_batch_begin(self, batch, logs=None):
    if self.types is not None:
      return
    optimizers = [getattr(self.model, name) for name in ("optimizer", "d_optimizer",
                                                          "g_optimizer") if hasattr(self.model, name)]
    self.types = {type(optimizer).__name__ for optimizer in optimizers}
    self.compute_dtype = self.model.compute_dtype
    self.iterations = int(optimizers[0].iterations.numpy())


def test_a_mixed_float16_run_resumes_to_the_weights_of_an_unbroken_one(tmp_path):
  config = tiny(made_digits, "mixed_float16")
  unbroken, resumed = str(tmp_path / "unbroken"), str(tmp_path / "resumed")
  recorder = RecordOptimizers()
  train_lib.train(config, unbroken, verbose=0, extra_callbacks=[recorder])
  assert recorder.types == {"LossScaleOptimizer"} and recorder.compute_dtype == "float16"
  with pytest.raises(Interrupted):
    train_lib.train(config, resumed, verbose=0, extra_callbacks=[Interrupt(6)])
  train_lib.train(config, resumed, verbose=0)
  # The loss scale and its counter are restored with the optimizer's moments.
  for resumed_weight, unbroken_weight in zip(saved_weights(resumed), saved_weights(unbroken)):
    np.testing.assert_allclose(resumed_weight, unbroken_weight, rtol=1e-5, atol=1e-6)
  # Weights stay float32; sampling and evaluating rebuild the model in float32 from them.
  model, _, _ = Workdir(unbroken).load_model()
  assert model.compute_dtype == "float32" and np.isfinite(float(
      np.mean(model.log_prob(np.zeros((2, 8, 8, 1), np.float32)).numpy())))


def test_a_gans_two_optimizers_each_scale_their_loss(tmp_path):
  recorder = RecordOptimizers()
  summary = train_lib.train(tiny(dcgan_digits, "mixed_float16"), str(tmp_path / "run"),
                            verbose=0, extra_callbacks=[recorder])
  assert recorder.types == {"LossScaleOptimizer"} and summary["epochs"] == 2
  assert all(np.all(np.isfinite(weight)) for weight in saved_weights(tmp_path / "run"))


def test_an_unknown_precision_is_named():
  config = tiny(made_digits, "float8")
  with pytest.raises(ValueError, match="training.precision must be one of float32, "
                                       "mixed_float16, mixed_bfloat16, got 'float8'"):
    train_lib.train(config, "unused", verbose=0)


def test_a_run_written_before_the_precision_field_reads_as_float32(tmp_path):
  workdir = str(tmp_path / "run")
  train_lib.train(tiny(made_digits, "float32"), workdir, verbose=0)
  path = Workdir(workdir).path + "/config.json"
  with open(path, encoding="utf-8") as handle:
    record = json.load(handle)
  del record["config"]["training"]["precision"]
  with open(path, "w", encoding="utf-8") as handle:
    json.dump(record, handle)
  config, _ = Workdir(workdir).read_config()
  assert config.training.precision == "float32"
  # And the same command resumes it (here: finds it finished).
  assert train_lib.train(tiny(made_digits, "float32"), workdir, verbose=0)["epochs"] == 2


def test_resuming_may_switch_bfloat16_but_not_the_loss_scale(tmp_path):
  workdir = str(tmp_path / "run")
  with pytest.raises(Interrupted):
    train_lib.train(tiny(made_digits, "float32"), workdir, verbose=0,
                    extra_callbacks=[Interrupt(4)])  # After the backup at step 3.
  with pytest.raises(ValueError, match="was trained with training.precision=float32; resume it "
                                       "with that precision"):
    train_lib.train(tiny(made_digits, "mixed_float16"), workdir, verbose=0)
  recorder = RecordOptimizers()
  train_lib.train(tiny(made_digits, "mixed_bfloat16"), workdir, verbose=0,
                  extra_callbacks=[recorder])
  # The optimizer state came back: Adam's step count continued from the backup's.
  assert recorder.iterations == 3 and recorder.compute_dtype == "bfloat16"
