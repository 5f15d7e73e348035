"""The PyTorch architectures of Orbit's ground-truth zoo, with reduced widths and depths.

Every builder returns (model, input_shape, description). Weights are random (seeded by the caller);
`randomize_norms` then gives every norm gain, bias and running statistic, layer scale and class token
distinct random values: PyTorch initialises them to 1, 0 or 1e-6, and the exporter's initializer
de-duplication would otherwise merge equal tensors of different layers into one shared initializer.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import convnext, efficientnet, mobilenetv3, resnet, swin_transformer
from torchvision.models.vision_transformer import VisionTransformer

BATCH = 2


# ---------------------------------------------------------------------------------------
# torchvision, reduced
# ---------------------------------------------------------------------------------------

class ResNet18Narrow(resnet.ResNet):
    """torchvision's ResNet with its BasicBlock and layers [2, 2, 2, 2] (ResNet-18's depth), stem and stage
    widths 8/16/32/64 instead of 64/128/256/512 (1/8), 10 classes. Uses ResNet._make_layer and forward."""

    def __init__(self, widths=(8, 16, 32, 64), num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = widths[0], 1, 1, 64
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(resnet.BasicBlock, widths[0], 2)
        self.layer2 = self._make_layer(resnet.BasicBlock, widths[1], 2, stride=2)
        self.layer3 = self._make_layer(resnet.BasicBlock, widths[2], 2, stride=2)
        self.layer4 = self._make_layer(resnet.BasicBlock, widths[3], 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3], num_classes)


def resnet18():
    return (ResNet18Narrow(), [BATCH, 3, 32, 32],
            "torchvision ResNet-18 (BasicBlock, layers [2,2,2,2]) with stage widths 8/16/32/64 instead of "
            "64/128/256/512, 10 classes, input 3x32x32.")


def mobilenet_v3_small():
    m = torchvision.models.mobilenet_v3_small(weights=None, width_mult=0.5, num_classes=10)
    return (m, [BATCH, 3, 32, 32],
            "torchvision MobileNetV3-Small with width_mult 0.5 (all 11 inverted-residual blocks kept, "
            "Hardswish/ReLU, squeeze-excitation with Hardsigmoid gates), 10 classes, input 3x32x32.")


def efficientnet_b0():
    setting, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.5)
    m = efficientnet.EfficientNet(setting, dropout=0.2, last_channel=last, num_classes=10)
    return (m, [BATCH, 3, 32, 32],
            "torchvision EfficientNet-B0 built with width_mult 0.25 and depth_mult 0.5 (MBConv blocks "
            "1/1/1/2/2/2/1 instead of 1/2/2/3/3/4/1; SiLU, squeeze-excitation with Sigmoid gates), "
            "10 classes, input 3x32x32.")


def convnext_tiny():
    cfg = convnext.CNBlockConfig
    setting = [cfg(16, 32, 1), cfg(32, 64, 1), cfg(64, 128, 2), cfg(128, None, 1)]
    m = convnext.ConvNeXt(setting, stochastic_depth_prob=0.0, num_classes=10)
    return (m, [BATCH, 3, 32, 32],
            "torchvision ConvNeXt (CNBlock: depthwise 7x7, LayerNorm over channels between two Permutes, "
            "Linear-GELU-Linear, layer scale) with widths 16/32/64/128 (Tiny: 96/192/384/768) and depths "
            "1/1/2/1 (Tiny: 3/3/9/3), 10 classes, input 3x32x32.")


def vit_b_16():
    m = VisionTransformer(image_size=32, patch_size=16, num_layers=2, num_heads=4, hidden_dim=64,
                          mlp_dim=128, num_classes=10)
    # torchvision zero-initialises the classifier (heads.head weight and bias): the logits would be the bias alone,
    # the same for every input, and a verification on them would prove nothing. Give it a Linear's usual scale.
    nn.init.normal_(m.heads.head.weight, std=m.hidden_dim ** -0.5)
    return (m, [BATCH, 3, 32, 32],
            "torchvision VisionTransformer with ViT-B/16's patch size 16 and pre-norm encoder blocks "
            "(nn.MultiheadAttention, fused in_proj), reduced to 2 layers (B: 12), hidden 64 with 4 heads "
            "of 16 (B: 768, 12 heads), MLP 128 (B: 3072), image 32x32 (4 patches + class token), 10 classes.")


def swin_t():
    m = swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=32, depths=[2, 2], num_heads=[2, 4],
                                         window_size=[4, 4], stochastic_depth_prob=0.0, num_classes=10)
    return (m, [BATCH, 3, 64, 64],
            "torchvision SwinTransformer (V1 blocks: shifted windows, fused qkv Linear reshaped to "
            "[B*nW, N, 3, heads, d], relative position bias, PatchMerging) reduced from Swin-T's "
            "embed 96, depths 2/2/6/2, heads 3/6/12/24, window 7 to embed 32, depths 2/2, heads 2/4 "
            "(head dim 16), window 4; input 3x64x64 (16x16 then 8x8 tokens, shifted windows in both "
            "stages), 10 classes.")


# ---------------------------------------------------------------------------------------
# Language-model styles in plain torch. Inputs are float features [B, T, D_IN] read by a linear
# token embedding (Orbit's random inputs are float; a one-hot input makes it an embedding table).
# ---------------------------------------------------------------------------------------

SEQ, D_IN, D_MODEL, N_HEADS, D_FF, VOCAB = 8, 16, 64, 4, 128, 10


class BertLayer(nn.Module):
    """Post-norm encoder layer as in BERT: LN(x + Attn(x)), LN(h + FFN(h)), separate q/k/v Linears, GELU."""

    def __init__(self, d=D_MODEL, h=N_HEADS, ff=D_FF):
        super().__init__()
        self.h, self.dh = h, d // h
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attn_out, self.attn_norm = nn.Linear(d, d), nn.LayerNorm(d, eps=1e-12)
        self.intermediate, self.output = nn.Linear(d, ff), nn.Linear(ff, d)
        self.out_norm = nn.LayerNorm(d, eps=1e-12)

    def heads(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.h, self.dh).permute(0, 2, 1, 3)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.heads(self.query(x)), self.heads(self.key(x)), self.heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh)
        ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).reshape(b, t, d)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(F.gelu(self.intermediate(x))))


class Bert(nn.Module):
    def __init__(self, layers=2):
        super().__init__()
        self.word_embeddings = nn.Linear(D_IN, D_MODEL, bias=False)
        self.position_embeddings = nn.Parameter(torch.randn(SEQ, D_MODEL) * 0.02)
        self.embed_norm = nn.LayerNorm(D_MODEL, eps=1e-12)
        self.layers = nn.ModuleList(BertLayer() for _ in range(layers))
        self.pooler = nn.Linear(D_MODEL, D_MODEL)
        self.classifier = nn.Linear(D_MODEL, VOCAB)

    def forward(self, x):
        x = self.embed_norm(self.word_embeddings(x) + self.position_embeddings)
        for layer in self.layers:
            x = layer(x)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


def bert():
    return (Bert(), [BATCH, SEQ, D_IN],
            "BERT-style post-norm encoder in plain torch: linear token embedding of float features [B,8,16] "
            "(no bias) + learned position embedding, embedding LayerNorm, 2 post-norm layers (separate "
            "query/key/value Linears, 4 heads of 16, softmax, output Linear, LayerNorm; GELU FFN 64-128-64, "
            "LayerNorm), tanh pooler on token 0, classifier to 10.")


class GPT2Block(nn.Module):
    """Pre-norm block as in GPT-2: fused c_attn (d -> 3d) split into q, k, v; causal mask from a registered
    lower-triangular buffer sliced to T and applied with torch.where; tanh-approximated GELU."""

    def __init__(self, d=D_MODEL, h=N_HEADS, ff=D_FF):
        super().__init__()
        self.h, self.dh, self.d = h, d // h, d
        self.ln_1, self.c_attn, self.c_proj = nn.LayerNorm(d), nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln_2, self.c_fc, self.mlp_proj = nn.LayerNorm(d), nn.Linear(d, ff), nn.Linear(ff, d)
        self.register_buffer("bias", torch.tril(torch.ones(SEQ, SEQ, dtype=torch.bool)).view(1, 1, SEQ, SEQ))

    def split_heads(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.h, self.dh).permute(0, 2, 1, 3)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(self.d, dim=2)
        q, k, v = self.split_heads(q), self.split_heads(k), self.split_heads(v)
        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh)
        w = torch.where(self.bias[:, :, :t, :t], w, torch.tensor(-1e4, dtype=w.dtype))
        a = torch.matmul(w.softmax(-1), v).permute(0, 2, 1, 3).reshape(b, t, d)
        x = x + self.c_proj(a)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT2(nn.Module):
    def __init__(self, layers=2):
        super().__init__()
        self.wte = nn.Linear(D_IN, D_MODEL, bias=False)
        self.wpe = nn.Parameter(torch.randn(SEQ, D_MODEL) * 0.02)
        self.h = nn.ModuleList(GPT2Block() for _ in range(layers))
        self.ln_f = nn.LayerNorm(D_MODEL)
        self.lm_head = nn.Linear(D_MODEL, VOCAB, bias=False)

    def forward(self, x):
        x = self.wte(x) + self.wpe[: x.shape[1]]
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def gpt2():
    return (GPT2(), [BATCH, SEQ, D_IN],
            "GPT-2-style pre-norm decoder in plain torch: linear token embedding of float features [B,8,16] "
            "(no bias) + learned position embedding, 2 blocks (LayerNorm, fused c_attn Linear 64->192 split "
            "into q/k/v, 4 heads of 16, causal mask from a registered tril buffer via torch.where(-1e4), "
            "softmax, c_proj; LayerNorm, Linear 64->128, tanh-GELU, Linear 128->64), final LayerNorm, "
            "lm_head to 10 (no bias); output logits [B,8,10].")


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps, self.weight = eps, nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaBlock(nn.Module):
    """Pre-RMSNorm block as in LLaMA: q/k/v/o without bias, grouped-query attention (4 query heads share
    2 key/value heads, repeat_kv by expand+reshape), rotary embeddings in the rotate-half form (channel i
    pairs with i + d/2), causal mask built by torch.triu at run time, SwiGLU FFN w2(silu(w1 x) * w3 x)."""

    def __init__(self, d=D_MODEL, h=N_HEADS, kv=2, ff=D_FF):
        super().__init__()
        self.h, self.kv, self.dh = h, kv, d // h
        self.attention_norm, self.ffn_norm = RMSNorm(d), RMSNorm(d)
        self.wq = nn.Linear(d, h * self.dh, bias=False)
        self.wk = nn.Linear(d, kv * self.dh, bias=False)
        self.wv = nn.Linear(d, kv * self.dh, bias=False)
        self.wo = nn.Linear(h * self.dh, d, bias=False)
        self.w1, self.w3, self.w2 = nn.Linear(d, ff, bias=False), nn.Linear(d, ff, bias=False), nn.Linear(ff, d, bias=False)

    def repeat_kv(self, x):
        b, t, kv, dh = x.shape
        rep = self.h // self.kv
        return x[:, :, :, None, :].expand(b, t, kv, rep, dh).reshape(b, t, kv * rep, dh)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        hn = self.attention_norm(x)
        q = self.wq(hn).view(b, t, self.h, self.dh)
        k = self.wk(hn).view(b, t, self.kv, self.dh)
        v = self.wv(hn).view(b, t, self.kv, self.dh)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = self.repeat_kv(k), self.repeat_kv(v)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.dh)
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        a = torch.matmul((scores + mask).softmax(-1), v).transpose(1, 2).reshape(b, t, d)
        x = x + self.wo(a)
        hn = self.ffn_norm(x)
        return x + self.w2(F.silu(self.w1(hn)) * self.w3(hn))


class Llama(nn.Module):
    def __init__(self, layers=2, theta=10000.0):
        super().__init__()
        self.tok_embeddings = nn.Linear(D_IN, D_MODEL, bias=False)
        self.layers = nn.ModuleList(LlamaBlock() for _ in range(layers))
        self.norm = RMSNorm(D_MODEL)
        self.output = nn.Linear(D_MODEL, VOCAB, bias=False)
        dh = D_MODEL // N_HEADS
        inv = 1.0 / theta ** (torch.arange(0, dh, 2).float() / dh)
        ang = torch.outer(torch.arange(SEQ).float(), inv)  # [T, dh/2]
        ang = torch.cat((ang, ang), dim=-1)[:, None, :]  # [T, 1, dh]: channel i and i + dh/2 share a frequency
        self.register_buffer("cos", ang.cos())
        self.register_buffer("sin", ang.sin())

    def forward(self, x):
        t = x.shape[1]
        cos, sin = self.cos[:t], self.sin[:t]
        x = self.tok_embeddings(x)
        for layer in self.layers:
            x = layer(x, cos, sin)
        return self.output(self.norm(x))


def llama():
    return (Llama(), [BATCH, SEQ, D_IN],
            "LLaMA-style decoder in plain torch: linear token embedding of float features [B,8,16], 2 blocks "
            "(RMSNorm with gain, q/k/v/o without bias, 4 query heads of 16 sharing 2 key/value heads "
            "(GQA, repeat_kv by expand+reshape), rotary embeddings in the rotate-half form (theta 1e4, "
            "channel i pairs with i+8), causal mask by torch.triu at run time, softmax; RMSNorm, SwiGLU "
            "w2(silu(w1 x)*w3 x) 64->128->64), final RMSNorm, output Linear to 10; output logits [B,8,10].")


# ---------------------------------------------------------------------------------------

TORCH_MODELS = {
    "resnet18": resnet18,
    "mobilenet_v3_small": mobilenet_v3_small,
    "efficientnet_b0": efficientnet_b0,
    "convnext_tiny": convnext_tiny,
    "vit_b_16": vit_b_16,
    "swin_t": swin_t,
    "bert": bert,
    "gpt2": gpt2,
    "llama": llama,
}


def randomize_norms(model, make_batch=None):
    """Distinct random values for every norm gain/bias, layer scale, class token, Swin relative position bias
    table and BatchNorm statistic.

    BatchNorm statistics come from a few train-mode passes over random batches, like the fixtures."""
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm, RMSNorm)):
                m.weight.uniform_(0.5, 1.5)
                if getattr(m, "bias", None) is not None:
                    m.bias.normal_(0.0, 0.1)
            if isinstance(m, convnext.CNBlock):
                m.layer_scale.uniform_(0.1, 1.0)
            if isinstance(m, VisionTransformer):
                m.class_token.normal_(0.0, 0.02)
            if isinstance(m, swin_transformer.ShiftedWindowAttention):
                m.relative_position_bias_table.normal_(0.0, 0.5)  # trunc_normal(0.02) would barely matter
            if isinstance(m, nn.MultiheadAttention) and m.in_proj_bias is not None:
                m.in_proj_bias.normal_(0.0, 0.02)
            if isinstance(m, (nn.Linear, nn.Conv2d)) and m.bias is not None and float(m.bias.abs().max()) < 1e-3:
                m.bias.normal_(0.0, 0.02)  # zero- or 1e-6-initialised biases (Swin, ViT, EfficientNet heads)
        if make_batch is not None and any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
            model.train()
            for _ in range(3):
                model(make_batch())
    model.eval()
