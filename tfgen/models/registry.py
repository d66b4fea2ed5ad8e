"""Builds a model from a config's `model` and `head` sections and the data's metadata."""

from tfgen import heads
from tfgen.models.adversarial.cycle_gan import CycleGAN
from tfgen.models.adversarial.dcgan import DCGAN
from tfgen.models.adversarial.gan import GAN
from tfgen.models.autoregressive.char_rnn import CharRNN
from tfgen.models.autoregressive.fvsbn import FVSBN
from tfgen.models.autoregressive.gated_pixel_cnn import GatedPixelCNN
from tfgen.models.autoregressive.made import MADE
from tfgen.models.autoregressive.nade import NADE
from tfgen.models.autoregressive.pixel_cnn import PixelCNN
from tfgen.models.autoregressive.pixel_cnn_plus_plus import PixelCNNPlusPlus
from tfgen.models.autoregressive.pixel_rnn import PixelRNN
from tfgen.models.autoregressive.residual_gru import ResidualGRU
from tfgen.models.autoregressive.transformer_lm import TransformerLM
from tfgen.models.autoregressive.wavenet import WaveNet
from tfgen.models.flows.maf import MAF
from tfgen.models.flows.nice import NICE
from tfgen.models.flows.real_nvp import RealNVP
from tfgen.models.latent.autoencoder import Autoencoder
from tfgen.models.latent.conditional_vae import ConditionalVAE
from tfgen.models.latent.vae import VAE

MODELS = {
    "fvsbn": FVSBN,
    "made": MADE,
    "nade": NADE,
    "char_rnn": CharRNN,
    "pixel_cnn": PixelCNN,
    "gated_pixel_cnn": GatedPixelCNN,
    "pixel_cnn_plus_plus": PixelCNNPlusPlus,
    "pixel_rnn": PixelRNN,
    "residual_gru": ResidualGRU,
    "transformer_lm": TransformerLM,
    "wavenet": WaveNet,
    "autoencoder": Autoencoder,
    "vae": VAE,
    "conditional_vae": ConditionalVAE,
    "nice": NICE,
    "real_nvp": RealNVP,
    "maf": MAF,
    "gan": GAN,
    "dcgan": DCGAN,
    "cycle_gan": CycleGAN,
}

# Flows model the data's values themselves (dequantized when discrete), and GANs
# make them: no head.
HEADLESS = {"nice", "real_nvp", "maf", "gan", "dcgan", "cycle_gan"}


def build(model_config, head_config, data_info):
  """Returns an unbuilt model.

  Args:
    model_config: mapping with `name` and the model's constructor arguments.
    head_config: mapping with `name` and the head's constructor arguments.
    data_info: `tfgen.data.DatasetInfo` (shape and number of values per element).
  """
  model_config, head_config = dict(model_config), dict(head_config)
  model_name, head_name = model_config.pop("name", None), head_config.pop("name", None)
  if model_name is None or head_name is None:
    raise ValueError("a config needs model.name and head.name")
  if model_name not in MODELS:
    raise ValueError(f"unknown model {model_name!r}; known models: {', '.join(sorted(MODELS))}")
  if model_name in HEADLESS:
    if head_name != "none":
      raise ValueError(f"{model_name} models the data directly: set head.name='none'")
    return MODELS[model_name](event_shape=data_info.shape, num_values=data_info.num_values or 0,
                              **model_config)
  head = heads.get(head_name, num_values=data_info.num_values, **head_config)
  return MODELS[model_name](event_shape=data_info.shape, head=head, **model_config)
