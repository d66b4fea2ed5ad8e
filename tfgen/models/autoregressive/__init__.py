"""Autoregressive models: p(x) = prod_i p(x_i | x_<i)."""

from tfgen.models.autoregressive.autoregressive_model import AutoregressiveModel
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

__all__ = ["AutoregressiveModel", "CharRNN", "FVSBN", "GatedPixelCNN", "MADE", "NADE", "PixelCNN", "PixelCNNPlusPlus", "PixelRNN", "ResidualGRU",
           "TransformerLM",
           "WaveNet"]
