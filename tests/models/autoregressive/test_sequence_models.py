"""char-RNN (GRU and LSTM) and the transformer LM: the five checks, normalisation, causality, caches."""


import keras
import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models import CharRNN, TransformerLM, WaveNet

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
  np.testing.assert_array_equal(cached, model.sample(6, conditioned_on=given, mask=mask, seed=11,
                                                      cached=False).numpy())


def test_cached_step_logits_equal_full_logits(kind):
  model = make(kind, shape=(7,), vocabulary=4)
  x = tokens((2, 7), 4, seed=5)
  full = model(x).numpy()
  state = model.start_state(2)
  for step in range(7):
    params, state = model.next_params(x[:, max(step - 1, 0)], tf.constant(step), state)
    np.testing.assert_allclose(params.numpy(), full[:, step], atol=1e-5)


def test_greedy_sample_and_stream_take_the_argmax(kind):
  """top_k=1 leaves one token per step: the compiled loop and the stream agree with argmax."""
  model = make(kind, shape=(6,), vocabulary=5)
  for weight in model.trainable_weights:  # No ties between logits (some start at zero).
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[5, len(weight.path)]))
  greedy = model.sample(2, seed=0, top_k=1).numpy()
  np.testing.assert_array_equal(greedy, model.sample(2, seed=7, top_k=1).numpy())
  logits = model(greedy).numpy()
  np.testing.assert_array_equal(greedy[0], logits[0].argmax(-1))
  streamed = list(model.stream([], 10, seed=3, top_k=1))
  np.testing.assert_array_equal(streamed[:6], greedy[0])
  prompt = list(model.stream([], 1, seed=4))
  assert list(model.stream(prompt, 4, seed=5)) == list(model.stream(prompt, 4, seed=5))


def test_bad_sampling_arguments(kind):
  model = make(kind)
  with pytest.raises(ValueError, match="num_tokens must be an integer >= 1"):
    next(model.stream([1], 0))
  with pytest.raises(ValueError, match="top_p must be in"):
    model.sample(2, top_p=0.0)
  with pytest.raises(ValueError, match="temperature must be > 0"):
    next(model.stream([1], 3, temperature=0.0))


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


# ---- global conditioning ---------------------------------------------------

def make_conditional(kind, shape=(6,), vocabulary=5, num_conditions=3):
  model = MODELS[kind](shape, vocabulary)
  model = type(model).from_config({**model.get_config(), "num_conditions": num_conditions})
  model((tf.zeros((1,) + shape), tf.zeros([1], tf.int32)))
  return model


def test_conditional_model_uses_its_label_and_stays_normalized(kind):
  model = make_conditional(kind, shape=(4,), vocabulary=3)
  x = tokens((2, 4), 3)
  for label in range(3):
    model_checks.check_normalization(
        lambda values, label=label: model.log_prob(values, np.full(len(values), label)), 3, (4,))
  assert not np.allclose(model.log_prob(x, [0, 0]).numpy(), model.log_prob(x, [2, 2]).numpy())
  # Dict inputs are the same as tuple inputs.
  np.testing.assert_allclose(model({"x": x, "condition": np.array([1, 2])}).numpy(),
                             model((x, np.array([1, 2]))).numpy())


def test_conditional_cached_generation_equals_full_recompute(kind):
  model = make_conditional(kind, shape=(8,), vocabulary=7)
  labels = np.array([0, 1, 2, 1])
  cached = model.sample(4, seed=5, condition=labels).numpy()
  np.testing.assert_array_equal(cached, model.sample(4, seed=5, condition=labels,
                                                     cached=False).numpy())


def test_conditional_step_logits_equal_full_logits(kind):
  model = make_conditional(kind, shape=(7,), vocabulary=4)
  x = tokens((2, 7), 4, seed=5)
  labels = np.array([2, 0])
  full = model((x, labels)).numpy()
  condition = model.encode_condition(labels)
  state = model.start_state(2)
  for step in range(7):
    params, state = model.next_params(x[:, max(step - 1, 0)], tf.constant(step), state, condition)
    np.testing.assert_allclose(params.numpy(), full[:, step], atol=1e-5)


def test_conditional_stream_follows_its_label(kind):
  model = make_conditional(kind, shape=(6,), vocabulary=5)
  for weight in model.trainable_weights:  # No ties between logits (some start at zero).
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[6, len(weight.path)]))
  for label in (0, 2):
    greedy = model.sample(1, condition=label, seed=0, top_k=1).numpy()[0]
    np.testing.assert_array_equal(list(model.stream([], 6, condition=label, top_k=1)), greedy)
  with pytest.raises(ValueError, match="condition must be one label"):
    model.stream([], 3, condition=[0, 1, 2])
  with pytest.raises(ValueError, match="is conditional: pass condition"):
    model.stream([], 3)
  with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match=r"values > 2"):
    model.stream([], 3, condition=5)


def test_conditional_causality_and_save_load(kind, tmp_path):
  model = make_conditional(kind)
  x = tokens((1, 6), 5)
  depends = model_checks.check_autoregressive(model, x, condition=np.array([1]))
  assert depends.sum(axis=1).tolist() == [0, 1, 2, 3, 4, 5]
  path = tmp_path / "conditional.keras"
  model.save(path)
  loaded = keras.saving.load_model(path, safe_mode=True)
  assert loaded.num_conditions == 3
  np.testing.assert_allclose(loaded((x, np.array([2]))).numpy(), model((x, np.array([2]))).numpy(),
                             atol=1e-6)


def test_condition_errors_name_the_problem(kind):
  model = make_conditional(kind)
  x = tokens((2, 6), 5)
  with pytest.raises(ValueError, match="conditioned on one of 3 classes"):
    model(x)
  with pytest.raises(ValueError, match="conditional: pass condition"):
    model.sample(2)
  with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match=r"values > 2"):
    model.log_prob(x, [0, 3])
  with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match=r"values > 2"):
    model.sample(2, condition=5)
  with pytest.raises(ValueError, match="unconditional"):
    make(kind).log_prob(x, [0, 1])
  with pytest.raises(ValueError, match="unconditional"):
    make(kind).sample(2, condition=1)


def test_conditional_wavenet_learns_one_pattern_per_label():
  """Label 0 repeats 0,1,2,3; label 1 repeats 3,2,1,0: after training, the right label wins."""
  model = WaveNet((16,), heads.Categorical(4), residual_channels=8, skip_channels=8,
                  num_layers_per_stack=3, embedding_size=4, num_conditions=2)
  up, down = np.tile(np.arange(4), 4), np.tile(np.arange(4)[::-1], 4)
  x = np.stack([up, down] * 32).astype(np.float32)
  labels = np.tile([0, 1], 32)
  model.compile(optimizer=keras.optimizers.Adam(0.01))
  model.fit((x, labels), epochs=150, batch_size=64, verbose=0)
  right = model.log_prob(x[:2], [0, 1]).numpy()
  wrong = model.log_prob(x[:2], [1, 0]).numpy()
  assert np.all(right > wrong + 5.0), (right, wrong)
  samples = model.sample(2, condition=[0, 1], seed=0).numpy()
  np.testing.assert_array_equal(samples[0, 4:], up[4:])
  np.testing.assert_array_equal(samples[1, 4:], down[4:])


def test_wavenet_with_a_discretized_logistic_mixture_head():
  """The other head the paper family uses: normalised, trainable, cached sampling exact."""
  head = heads.DiscretizedLogisticMixture(num_components=2, num_bins=3)
  model = WaveNet((4,), head, residual_channels=6, skip_channels=8, num_layers_per_stack=2,
                  embedding_size=5)
  model.build((None, 4))
  model_checks.check_normalization(model.log_prob, 3, (4,))
  model_checks.check_fit_step(model, tokens((8, 4), 3))
  cached = model.sample(5, seed=2).numpy()
  np.testing.assert_array_equal(cached, model.sample(5, seed=2, cached=False).numpy())
