"""An image model's run through sample (grids, completions) and evaluate."""

import numpy as np
import pytest

from tfgen.configs import (gated_pixel_cnn_binarized_mnist, gated_pixel_cnn_labeled_digits,
                           pixel_cnn_plus_plus_photo_patches, pixel_rnn_binarized_mnist)
from tfgen.training import evaluate_lib, sample_lib, score_lib, train_lib
from tfgen.training.workdir import Workdir


def test_pixel_cnn_run_samples_completes_and_evaluates(pixel_cnn_run, tmp_path):
  samples = sample_lib.sample(pixel_cnn_run, num_samples=6, output=str(tmp_path / "s.png"), seed=1)
  again = sample_lib.sample(pixel_cnn_run, num_samples=6, seed=1)
  np.testing.assert_array_equal(samples, again)
  assert samples.shape == (6, 8, 8, 1) and set(np.unique(samples)) <= set(range(17))
  originals, completions = sample_lib.complete(pixel_cnn_run, num_examples=4, seed=2,
                                               output=str(tmp_path / "c.png"))
  assert completions.shape == (3, 4, 8, 8, 1) and (tmp_path / "c.png").stat().st_size > 0
  for completion in completions:  # The top half is kept, the bottom half drawn.
    np.testing.assert_array_equal(completion[:, :4], originals[:, :4])
  assert not np.array_equal(completions[0][:, 4:], completions[1][:, 4:])
  result = evaluate_lib.evaluate(pixel_cnn_run, "test")
  # 64 pixels with 17 levels: uniform guessing costs 64 ln 17 = 181 nats.
  assert result["model"] == "pixel_cnn" and 0 < result["nll_nats"] < 150


def test_class_conditional_gated_pixel_cnn_run(tmp_path):
  config = gated_pixel_cnn_labeled_digits.get_config()
  config.model.num_filters = 8
  config.model.num_layers = 2
  config.training.num_epochs = 1
  config.training.steps_per_epoch = 3
  workdir = str(tmp_path / "run")
  train_lib.train(config, workdir, verbose=0)
  sevens = sample_lib.sample(workdir, num_samples=3, seed=0, label=7)
  np.testing.assert_array_equal(sevens, sample_lib.sample(workdir, num_samples=3, seed=0, label="7"))
  assert not np.array_equal(sevens, sample_lib.sample(workdir, num_samples=3, seed=0, label=1))
  result = evaluate_lib.evaluate(workdir, "test")  # -log p(x | digit)
  assert 0 < result["nll_nats"] < 64 * np.log(17) + 20
  # Scored without labels: log p(x) = log mean_c p(x | c).
  np.save(tmp_path / "x.npy", sevens[:2])
  model, _, _ = Workdir(workdir).load_model()
  per_class = np.stack([model.log_prob(sevens[:2], [label] * 2).numpy() for label in range(10)])
  expected = -(np.logaddexp.reduce(per_class.astype(np.float64), axis=0) - np.log(10))
  scored = score_lib.score(workdir, input_path=str(tmp_path / "x.npy"))
  assert scored["input"]["mean_nll_nats"] == pytest.approx(expected.mean(), abs=1e-3)
  with pytest.raises(ValueError, match="conditional model needs labels"):
    score_lib.score(workdir, input_path=str(tmp_path / "x.npy"), bits_map=str(tmp_path / "b.png"))


@pytest.mark.parametrize("config_module,overrides", [
    # One resolution: test_image_models.py covers the down- and up-sampling streams.
    (pixel_cnn_plus_plus_photo_patches, {"model.num_filters": 8, "model.num_resnet": 1,
                                         "model.num_resolutions": 1}),
    (pixel_rnn_binarized_mnist, {"data.name": "binarized_digits", "model.num_units": 6,
                                 "model.num_layers": 1, "data.batch_size": 16}),
    (gated_pixel_cnn_binarized_mnist, {"data.name": "binarized_digits", "model.num_filters": 8,
                                       "model.num_layers": 2, "data.batch_size": 16}),
], ids=["pixel_cnn_plus_plus", "pixel_rnn", "gated_pixel_cnn"])
def test_every_image_model_trains_evaluates_and_samples_from_its_workdir(config_module, overrides,
                                                                       tmp_path):
  config = config_module.get_config()
  # XLA would compile each step for longer than these two steps take.
  config.update_from_flattened_dict({**overrides, "training.num_epochs": 1,
                                     "training.steps_per_epoch": 2, "training.jit_compile": False})
  workdir = str(tmp_path / "run")
  train_lib.train(config, workdir, verbose=0)
  result = evaluate_lib.evaluate(workdir, "test")
  assert result["model"] == config.model.name and np.isfinite(result["nll_nats"])
  samples = sample_lib.sample(workdir, num_samples=2, seed=0)
  assert samples.shape[1:] == tuple(Workdir(workdir).load_model()[2].shape)
