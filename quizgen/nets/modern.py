"""One-line specs of the networks after AlexNet, built as torchvision builds them (and U-Net as the paper).

Each function returns a spec string in the grammar of ``quizgen.nets.spec``; ``quizgen.nets.builtin``
names them and gives their sources. Layer names follow torchvision's module names where it has them
(``layer1.0``, ``features.3``, ``inception4a``, ``denseblock2.denselayer5``), so a table reads against
``model.named_modules()``.
"""

from __future__ import annotations


def resnet(blocks: tuple[int, int, int, int], bottleneck: bool) -> str:
    """ResNet-18/34 (basic blocks) or ResNet-50/101/152 (bottlenecks, stride in the 3x3 as torchvision's v1.5)."""
    layers = ["224x224x3", "conv1: conv 64 7/2 p=3 nobias", "bn1: bn", "relu", "maxpool: maxpool 3/2 p=1"]
    inplanes = 64
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks, strict=True), start=1):
        for i in range(count):
            stride = "/2" if stage > 1 and i == 0 else ""
            out = planes * 4 if bottleneck else planes
            if bottleneck:
                body = (f"conv1: conv {planes} 1 nobias > bn1: bn > relu > conv2: conv {planes} 3{stride} p=1 nobias"
                        f" > bn2: bn > relu > conv3: conv {out} 1 nobias > bn3: bn")
            else:
                body = (f"conv1: conv {planes} 3{stride} p=1 nobias > bn1: bn > relu"
                        f" > conv2: conv {planes} 3 p=1 nobias > bn2: bn")
            shortcut = f" | downsample: conv {out} 1{stride} nobias > bn" if stride or inplanes != out else ""
            layers += [f"layer{stage}.{i}: res({body}{shortcut})", "relu"]
            inplanes = out
    return " > ".join([*layers, "avgpool: adaptiveavgpool 1", "flatten", "fc: fc 1000"])


def mobilenet_v2() -> str:
    """MobileNet-v2 (width 1.0): inverted residuals, a residual only where stride 1 keeps the channels."""
    layers = ["224x224x3", "features.0: conv 32 3/2 p=1 nobias", "bn", "relu6"]
    settings = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1))
    inp, index = 32, 1
    for t, c, n, s in settings:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = inp * t
            expand = [f"conv {hidden} 1 nobias", "bn", "relu6"] if t != 1 else []
            body = " > ".join([*expand, f"conv {hidden} 3{'/2' if stride == 2 else ''} p=1 g={hidden} nobias", "bn",
                               "relu6", f"conv {c} 1 nobias", "bn"])
            if stride == 1 and inp == c:
                layers.append(f"features.{index}: res({body})")
            else:
                layers.append(f"features.{index}: {body}")
            inp, index = c, index + 1
    layers += [f"features.{index}: conv 1280 1 nobias", "bn", "relu6", "globalavgpool", "flatten", "dropout 0.2",
               "classifier: fc 1000"]
    return " > ".join(layers)


def _basic(out: int, kernel: str, name: str = "") -> str:
    """GoogLeNet's BasicConv2d: convolution without bias, batch norm, ReLU."""
    prefix = f"{name}: " if name else ""
    return f"{prefix}conv {out} {kernel} nobias > bn > relu"


def _inception(name: str, c1: int, c3r: int, c3: int, c5r: int, c5: int, pool: int) -> str:
    # torchvision's branch 3 is a 3x3 convolution, not the paper's 5x5 (and so are its weights)
    return (f"{name}: concat({_basic(c1, '1')} | {_basic(c3r, '1')} > {_basic(c3, '3 p=1')}"
            f" | {_basic(c5r, '1')} > {_basic(c5, '3 p=1')} | maxpool 3/1 p=1 ceil > {_basic(pool, '1')})")


def googlenet() -> str:
    """GoogLeNet as torchvision's (no auxiliary classifiers)."""
    layers = [
        "224x224x3", _basic(64, "7/2 p=3", "conv1"), "maxpool1: maxpool 3/2 ceil", _basic(64, "1", "conv2"),
        _basic(192, "3 p=1", "conv3"), "maxpool2: maxpool 3/2 ceil",
        _inception("inception3a", 64, 96, 128, 16, 32, 32), _inception("inception3b", 128, 128, 192, 32, 96, 64),
        "maxpool3: maxpool 3/2 ceil",
        _inception("inception4a", 192, 96, 208, 16, 48, 64), _inception("inception4b", 160, 112, 224, 24, 64, 64),
        _inception("inception4c", 128, 128, 256, 24, 64, 64), _inception("inception4d", 112, 144, 288, 32, 64, 64),
        _inception("inception4e", 256, 160, 320, 32, 128, 128), "maxpool4: maxpool 2/2 ceil",
        _inception("inception5a", 256, 160, 320, 32, 128, 128), _inception("inception5b", 384, 192, 384, 48, 128, 128),
        "avgpool: adaptiveavgpool 1", "flatten", "dropout 0.2", "fc: fc 1000",
    ]
    return " > ".join(layers)


VGG = {
    "vgg16": (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    "vgg19": (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"),
}


def vgg(config: str, batch_norm: bool) -> str:
    """VGG as torchvision's: 3x3 convolutions with bias (and batch norm), adaptive pooling to 7x7, three FC layers."""
    layers, index = ["224x224x3"], 0
    for item in VGG[config]:
        if item == "M":
            layers.append(f"features.{index}: maxpool 2")
            index += 1
            continue
        layers.append(f"features.{index}: conv {item} 3 p=1")
        if batch_norm:
            layers.append(f"features.{index + 1}: bn")
        layers.append("relu")
        index += 3 if batch_norm else 2
    layers += ["avgpool: adaptiveavgpool 7", "flatten", "classifier.0: fc 4096", "relu", "dropout 0.5",
               "classifier.3: fc 4096", "relu", "dropout 0.5", "classifier.6: fc 1000"]
    return " > ".join(layers)


def densenet(blocks: tuple[int, ...] = (6, 12, 24, 16), growth: int = 32, init: int = 64, bn_size: int = 4) -> str:
    """DenseNet-BC as torchvision's: each dense layer's new maps are concatenated to its input."""
    layers = ["224x224x3", f"conv0: conv {init} 7/2 p=3 nobias", "norm0: bn", "relu", "pool0: maxpool 3/2 p=1"]
    features = init
    for b, count in enumerate(blocks, start=1):
        for i in range(1, count + 1):
            new = (f"norm1: bn > relu > conv1: conv {bn_size * growth} 1 nobias > norm2: bn > relu"
                   f" > conv2: conv {growth} 3 p=1 nobias")
            layers.append(f"denseblock{b}.denselayer{i}: concat(id | {new})")
            features += growth
        if b != len(blocks):
            features //= 2
            layers += [f"transition{b}.norm: bn", "relu", f"transition{b}.conv: conv {features} 1 nobias",
                       f"transition{b}.pool: avgpool 2"]
    layers += ["norm5: bn", "relu", "adaptiveavgpool 1", "flatten", "classifier: fc 1000"]
    return " > ".join(layers)


def unet(depth: int = 4, width: int = 64, classes: int = 2, size: int = 572) -> str:
    """U-Net (Ronneberger et al. 2015): valid 3x3 convolutions, 2x2 up-convolutions halving the channels, the
    contracting path's maps cropped to the expanding path's size and concatenated (as nested blocks)."""

    def convs(n: int, name: str) -> str:
        return f"{name}.conv1: conv {n} 3 > relu > {name}.conv2: conv {n} 3 > relu"

    # sizes: each level's two valid convolutions take 4; pooling halves, up-convolution doubles
    down = [size - 4]
    for _ in range(depth):
        down.append(down[-1] // 2 - 4)
    up = down[-1]
    crops = []
    for _ in range(depth):
        up *= 2
        crops.append(up)
        up -= 4
    inner = convs(width * 2 ** depth, "bottom")
    for level in range(depth - 1, -1, -1):  # from the deepest skip connection out
        n = width * 2 ** level
        inner = (f"skip{level + 1}: concat(crop {crops[depth - 1 - level]} | maxpool 2 > {inner}"
                 f" > up{level + 1}: deconv {n} 2/2) > {convs(n, f'up{level + 1}')}")
        if level:
            inner = f"{convs(n, f'down{level + 1}')} > {inner}"
    return f"{size}x{size}x1 > {convs(width, 'down1')} > {inner} > out: conv {classes} 1"
