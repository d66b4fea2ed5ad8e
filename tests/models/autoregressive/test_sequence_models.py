"""char-RNN (GRU and LSTM) and the transformer LM: the five checks, normalisation, causality, caches."""

import functools

import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import CharRNN, TransformerLM, WaveNet
from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel

MODELS = {
    "gru": lambda shape, vocabulary: CharRNN(shape, heads.Categorical(vocabulary), embedding_size=6,
                                             hidden_units=12, num_layers=2),
    "lstm": lambda shape, vocabulary: CharRNN(shape, heads.Categorical(vocabulary), embedding_size=6,
                                              hidden_units=12, num_layers=1, cell="lstm"),
    "transformer": lambda shape, vocabulary: TransformerLM(shape, heads.Categorical(vocabulary),
                                                           width=12, num_layers=2, num_heads=3),
    "wavenet": lambda shape, vocabulary: WaveNet(shape, heads.Categorical(vocabulary),
                                                 residual_channels=6, skip_channels=8,
                                                 num_layers_per_stack=2, num_stacks=2,
                                                 embedding_size=5),
}


def make(kind, shape=(6,), vocabulary=5):
  model = MODELS[kind](shape, vocabulary)
  model.build((None,) + shape)
  return model


def tokens(shape, vocabulary, seed=0):
  return np.random.default_rng(seed).integers(0, vocabulary, shape).astype(np.float32)


@pytest.fixture(params=sorted(MODELS))
def kind(request):
  return request.param


def test_output_shape(kind):
  model_checks.check_output_shape(make(kind), tokens((3, 6), 5), (3, 6, 5))


def test_fit_step(kind):
  model_checks.check_fit_step(make(kind), tokens((8, 6), 5))


def test_same_seed_same_sample(kind):
  model_checks.check_seeded_sampling(make(kind))


def test_prefix_conditioning_keeps_the_prompt(kind):
  given = tokens((4, 6), 5, seed=1)
  mask = np.zeros_like(given)
  mask[:, :3] = 1.0
  model_checks.check_conditioned_sampling(make(kind), given, mask)


def test_save_load_round_trip(kind, tmp_path):
  model_checks.check_save_load(make(kind), tokens((3, 6), 5), tmp_path)


def test_eighty_one_strings_sum_to_one(kind):
  model = make(kind, shape=(4,), vocabulary=3)
  model_checks.check_normalization(model.log_prob, 3, (4,))


def test_step_t_depends_only_on_earlier_tokens(kind):
  model = make(kind)
  depends = model_checks.check_autoregressive(model, tokens((1, 6), 5))
  assert depends.sum(axis=1).tolist() == [0, 1, 2, 3, 4, 5]


def test_cached_generation_equals_full_recompute(kind):
  model = make(kind, shape=(8,), vocabulary=7)
  given = tokens((6, 8), 7, seed=3)
  mask = np.zeros_like(given)
  mask[:, :2] = 1.0
  cached = model.sample(6, conditioned_on=given, mask=mask, seed=11).numpy()
  # The same model, sampling by rerunning the whole network at every step.
  model._sample_step = functools.partial(AutoregressiveModel._sample_step, model)
  model._initial_sample_state = functools.partial(AutoregressiveModel._initial_sample_state, model)
  model._compiled_sampler = None
  np.testing.assert_array_equal(cached, model.sample(6, conditioned_on=given, mask=mask,
                                                      seed=11).numpy())


def test_cached_step_logits_equal_full_logits(kind):
  model = make(kind, shape=(7,), vocabulary=4)
  x = tokens((2, 7), 4, seed=5)
  full = model(x).numpy()
  state = model._initial_sample_state(tf.constant(x))
  for step in range(7):
    params, state = model._sample_step(tf.constant(x), tf.constant(step), tf.constant(step), state)
    np.testing.assert_allclose(params.numpy(), full[:, step], atol=1e-5)


def test_bad_input(kind):
  model = make(kind)
  with pytest.raises(ValueError, match=r"expects examples of shape \(6,\)"):
    model.log_prob(tokens((2, 7), 5))
  with pytest.raises(tf.errors.InvalidArgumentError, match="values > 4"):
    model.log_prob(np.full((1, 6), 5.0, np.float32))


def test_constructor_checks():
  with pytest.raises(ValueError, match="cell"):
    CharRNN((4,), heads.Categorical(3), cell="rnn")
  with pytest.raises(ValueError, match="multiple of num_heads"):
    TransformerLM((4,), heads.Categorical(3), width=10, num_heads=3)


def test_wavenet_receptive_field_is_what_the_gradients_show():
  model = WaveNet((20,), heads.Categorical(3), residual_channels=4, skip_channels=4,
                  num_layers_per_stack=3, embedding_size=3)
  model.build((None, 20))
  assert model.receptive_field == 1 + 1 + (1 + 2 + 4)  # Shift, input conv, dilations.
  # relu units can zero a gradient for one input: take the union over a few.
  depends = np.any([model_checks.check_autoregressive(model, tokens((1, 20), 3, seed=seed))
                    for seed in range(4)], axis=0)
  # Output t sees exactly x_{t-9} .. x_{t-1}.
  assert depends.sum(axis=1).tolist() == [min(t, model.receptive_field) for t in range(20)]


def test_wavenet_learns_generated_tones():
  import keras  # pylint: disable=import-outside-toplevel
  from tfgen import data  # pylint: disable=import-outside-toplevel
  dataset, info = data.load("tones", "train", sequence_length=128, batch_size=8, shuffle=False)
  model = WaveNet(info.shape, heads.Categorical(256), residual_channels=16, skip_channels=16,
                  num_layers_per_stack=5, embedding_size=8)
  model.compile(keras.optimizers.Adam(3e-3))
  history = model.fit(dataset.take(40), epochs=2, verbose=0)
  per_sample = np.array(history.history["loss"]) / 128
  assert per_sample[-1] < np.log(256) - 0.5, per_sample  # Clearly below uniform over 256 levels.
