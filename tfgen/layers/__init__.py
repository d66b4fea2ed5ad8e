"""Layers shared by tfgen's models."""

from tfgen.layers.additive_coupling import AdditiveCoupling
from tfgen.layers.affine_coupling import AffineCoupling
from tfgen.layers.causal_conv1d import CausalConv1D
from tfgen.layers.causal_self_attention import CausalSelfAttention
from tfgen.layers.coupling import Coupling
from tfgen.layers.diagonal_bilstm import DiagonalBiLSTM
from tfgen.layers.diagonal_scaling import DiagonalScaling
from tfgen.layers.gated_resnet import GatedResnet
from tfgen.layers.masked_conv2d import MaskedConv2D
from tfgen.layers.masked_dense import MaskedDense
from tfgen.layers.philox_dropout import PhiloxDropout
from tfgen.layers.row_lstm import RowLSTM
from tfgen.layers.shifted_conv2d import ShiftedConv2D
from tfgen.layers.transformer_block import TransformerBlock

__all__ = ["AdditiveCoupling", "AffineCoupling", "CausalConv1D", "CausalSelfAttention", "Coupling",
           "DiagonalBiLSTM", "DiagonalScaling", "GatedResnet", "MaskedConv2D", "MaskedDense",
           "PhiloxDropout", "RowLSTM", "ShiftedConv2D", "TransformerBlock"]
