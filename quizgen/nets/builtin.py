"""Built-in networks, written in the spec grammar, each with its source.

Published per-layer numbers are kept as ``Listed`` values so the engine can check the published
tables against their own arithmetic (and the tests check the engine against the publications).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from quizgen.errors import QuizgenError
from quizgen.nets import modern
from quizgen.nets.layers import Listed, Network
from quizgen.nets.spec import parse_spec
from quizgen.nets.tables import LENET5_C3_TABLE

__all__ = ["BUILTINS", "LECTURE", "LENET5_C3_TABLE", "Builtin", "builtin"]


@dataclass(frozen=True)
class Builtin:
    name: str
    title: str
    spec: str
    source: str
    listed: dict[str, Listed]
    total: int | None = None


BUILTINS: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin(
            "lenet5",
            "LeNet-5 (LeCun et al., 1998)",
            "32x32x1 > C1: conv 6 5 > S2: subsample 2 > C3: conv 16 5 table=lenet5 > S4: subsample 2"
            " > C5: conv 120 5 > F6: fc 84 > Out: rbf 10",
            "Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, 'Gradient-based learning applied to document "
            "recognition', Proc. IEEE 86(11), 1998, section II.B and Table I. C1..F6 have 60,000 trainable "
            "parameters; the output layer's 84x10 RBF centres are fixed by hand, so they are connections, "
            "not parameters.",
            {
                "C1": Listed((28, 28), 156, 122_304),
                "S2": Listed((14, 14), 12, 5_880),
                "C3": Listed((10, 10), 1_516, 151_600),
                "S4": Listed((5, 5), 32, 2_000),
                "C5": Listed((1, 1), 48_120, 48_120),
                "F6": Listed(None, 10_164, 10_164),
            },
            60_000,
        ),
        Builtin(
            "lenet5-modern",
            "LeNet-5, modern form (full C3, max pooling, softmax output)",
            "32x32x1 > C1: conv 6 5 > relu > S2: maxpool 2 > C3: conv 16 5 > relu > S4: maxpool 2 > flatten"
            " > C5: fc 120 > relu > F6: fc 84 > relu > Out: fc 10 > softmax",
            "The form LeNet-5 takes in today's courses and frameworks (e.g. the lecture's figure): every C3 map "
            "sees all six S2 maps, pooling has no parameters, and the output is a fully connected softmax layer.",
            {"C1": Listed((28, 28), 156), "C3": Listed((10, 10), 2_416), "C5": Listed(None, 48_120),
             "F6": Listed(None, 10_164), "Out": Listed(None, 850)},
            61_706,
        ),
        Builtin(
            "alexnet",
            "AlexNet as in the lecture's table (single stream, no pooling after C7)",
            "224x224x3 > C1: conv 96 11/4 same > relu > S2: maxpool 3/2 valid > C3: conv 256 5 same > relu"
            " > S4: maxpool 3/2 valid > C5: conv 384 3 same > relu > C6: conv 384 3 same > relu"
            " > C7: conv 256 3 same > relu > F8: fc 4096 > relu > F9: fc 4096 > relu > Out: fc 1000 > softmax",
            "The lecture's AlexNet table (after A. Geron, Hands-On Machine Learning, 2nd ed., Table 14-2), "
            "one stream, SAME/VALID padding with TensorFlow semantics, layer by layer as the table lists them. "
            "The table has no pooling after C7 (the lecture's text, like the 2012 paper, has one after the fifth "
            "convolution; alexnet-2012 has it), so F8 sees 13x13x256 maps. Its C1 row lists 55x55, which a 224 "
            "input with SAME padding and stride 4 cannot give (ceil(224/4) = 56); a 227 input with VALID does.",
            {
                "C1": Listed((55, 55)), "S2": Listed((27, 27)), "C3": Listed((27, 27)), "S4": Listed((13, 13)),
                "C5": Listed((13, 13)), "C6": Listed((13, 13)), "C7": Listed((13, 13)),
            },
        ),
        Builtin(
            "alexnet-2012",
            "AlexNet 2012 (Krizhevsky et al.), two GPU groups",
            "227x227x3 > conv1: conv 96 11/4 > relu > lrn 5 > pool1: maxpool 3/2 > conv2: conv 256 5 p=2 g=2"
            " > relu > lrn 5 > pool2: maxpool 3/2 > conv3: conv 384 3 p=1 > relu > conv4: conv 384 3 p=1 g=2"
            " > relu > conv5: conv 256 3 p=1 g=2 > relu > pool5: maxpool 3/2 > fc6: fc 4096 > relu > dropout 0.5"
            " > fc7: fc 4096 > relu > dropout 0.5 > fc8: fc 1000 > softmax",
            "A. Krizhevsky, I. Sutskever, G. E. Hinton, 'ImageNet classification with deep convolutional "
            "neural networks', NIPS 2012, section 3.5 and Figure 2: conv2, conv4 and conv5 see only the maps on "
            "their own GPU (2 groups); conv3 and the FC layers see both. The paper says 224x224 input; 227 is "
            "the size its arithmetic needs (and Caffe's reference model uses).",
            {"conv1": Listed((55, 55)), "pool1": Listed((27, 27)), "conv2": Listed((27, 27)),
             "pool2": Listed((13, 13)), "conv5": Listed((13, 13)), "pool5": Listed((6, 6)),
             "*Krizhevsky et al. 2012, section 3.5": Listed(input=(224, 224))},
            60_965_224,
        ),
        Builtin(
            "alexnet-torchvision",
            "AlexNet as in torchvision (torchvision.models.alexnet)",
            "224x224x3 > conv1: conv 64 11/4 p=2 > relu > pool1: maxpool 3/2 > conv2: conv 192 5 p=2 > relu"
            " > pool2: maxpool 3/2 > conv3: conv 384 3 p=1 > relu > conv4: conv 256 3 p=1 > relu"
            " > conv5: conv 256 3 p=1 > relu > pool5: maxpool 3/2 > avgpool: adaptiveavgpool 6 > flatten"
            " > dropout 0.5 > fc6: fc 4096 > relu > dropout 0.5 > fc7: fc 4096 > relu > fc8: fc 1000",
            "torchvision.models.alexnet (after A. Krizhevsky, 'One weird trick for parallelizing "
            "convolutional neural networks', 2014): 61,100,840 parameters.",
            {},
            61_100_840,
        ),
        Builtin(
            "vgg16",
            "VGG-16 (Simonyan and Zisserman, 2015), configuration D",
            "224x224x3 > conv1_1: conv 64 3 p=1 > relu > conv1_2: conv 64 3 p=1 > relu > pool1: maxpool 2"
            " > conv2_1: conv 128 3 p=1 > relu > conv2_2: conv 128 3 p=1 > relu > pool2: maxpool 2"
            " > conv3_1: conv 256 3 p=1 > relu > conv3_2: conv 256 3 p=1 > relu > conv3_3: conv 256 3 p=1 > relu"
            " > pool3: maxpool 2 > conv4_1: conv 512 3 p=1 > relu > conv4_2: conv 512 3 p=1 > relu"
            " > conv4_3: conv 512 3 p=1 > relu > pool4: maxpool 2 > conv5_1: conv 512 3 p=1 > relu"
            " > conv5_2: conv 512 3 p=1 > relu > conv5_3: conv 512 3 p=1 > relu > pool5: maxpool 2"
            " > flatten > fc6: fc 4096 > relu > dropout 0.5 > fc7: fc 4096 > relu > dropout 0.5"
            " > fc8: fc 1000 > softmax",
            "K. Simonyan, A. Zisserman, 'Very deep convolutional networks for large-scale image "
            "recognition', ICLR 2015, Table 1 column D and Table 2 (138M parameters): 138,357,544.",
            {},
            138_357_544,
        ),
        Builtin(
            "vgg16-bn",
            "VGG-16 with batch norm (torchvision.models.vgg16_bn)",
            modern.vgg("vgg16", batch_norm=True),
            "torchvision.models.vgg16_bn: configuration D of Simonyan and Zisserman (ICLR 2015) with a batch norm "
            "after every convolution (S. Ioffe, C. Szegedy, 'Batch normalization', ICML 2015), adaptive average "
            "pooling to 7x7: 138,365,992 parameters.",
            {},
            138_365_992,
        ),
        Builtin(
            "vgg19",
            "VGG-19 (Simonyan and Zisserman, 2015), configuration E",
            modern.vgg("vgg19", batch_norm=False),
            "K. Simonyan, A. Zisserman, 'Very deep convolutional networks for large-scale image recognition', "
            "ICLR 2015, Table 1 column E (Table 2: 144M parameters); torchvision.models.vgg19: 143,667,240.",
            {},
            143_667_240,
        ),
        Builtin(
            "resnet18",
            "ResNet-18 (He et al., 2016)",
            modern.resnet((2, 2, 2, 2), bottleneck=False),
            "K. He, X. Zhang, S. Ren, J. Sun, 'Deep residual learning for image recognition', CVPR 2016, Table 1 "
            "(18-layer): basic blocks of two 3x3 convolutions, projection shortcuts (1x1 convolution and batch "
            "norm) where the size changes; torchvision.models.resnet18: 11,689,512 parameters. Table 1 gives "
            "1.8x10^9 'FLOPs': they are multiply-adds (MACs); FLOPs are twice as many. torchvision's page "
            "(ResNet18_Weights.IMAGENET1K_V1) lists 1.81 GFLOPS, also multiply-adds, and a 44.7 MB file: "
            "44.6 MiB of float32 values.",
            {"*He et al. 2016, Table 1": Listed(flops="1.8e9"),
             "*torchvision, ResNet18_Weights.IMAGENET1K_V1": Listed(flops="1.81e9", megabytes="44.7")},
            11_689_512,
        ),
        Builtin(
            "resnet50",
            "ResNet-50 (He et al., 2016), torchvision's v1.5",
            modern.resnet((3, 4, 6, 3), bottleneck=True),
            "K. He, X. Zhang, S. Ren, J. Sun, 'Deep residual learning for image recognition', CVPR 2016, Table 1 "
            "(50-layer): bottleneck blocks 1x1, 3x3, 1x1; torchvision.models.resnet50 puts the stride in the 3x3 "
            "convolution (v1.5; the paper's in the first 1x1), which changes MACs, not parameters: 25,557,032. "
            "Table 1 gives 3.8x10^9 'FLOPs': they are multiply-adds (MACs) of the paper's v1 (v1.5 has 4.1x10^9); "
            "FLOPs are twice as many.",
            {},
            25_557_032,
        ),
        Builtin(
            "mobilenet-v2",
            "MobileNet-v2 (Sandler et al., 2018), width 1.0",
            modern.mobilenet_v2(),
            "M. Sandler, A. Howard, M. Zhu, A. Zhmoginov, L.-C. Chen, 'MobileNetV2: inverted residuals and linear "
            "bottlenecks', CVPR 2018, Table 2: expansion 1x1, depthwise 3x3 (groups = channels), linear 1x1 "
            "projection, a residual where the stride is 1 and the channels stay; torchvision.models.mobilenet_v2: "
            "3,504,872 parameters. Its page (MobileNet_V2_Weights.IMAGENET1K_V1) lists 0.30 GFLOPS, which are "
            "multiply-adds, and a 13.6 MB file, which is MiB.",
            {"*torchvision, MobileNet_V2_Weights.IMAGENET1K_V1": Listed(flops="0.30e9", megabytes="13.6")},
            3_504_872,
        ),
        Builtin(
            "googlenet",
            "GoogLeNet (Szegedy et al., 2015) as in torchvision, without the auxiliary classifiers",
            modern.googlenet(),
            "C. Szegedy et al., 'Going deeper with convolutions', CVPR 2015, Table 1; torchvision.models.googlenet "
            "(aux_logits=False) adds batch norm after every convolution, pools in ceil mode, and uses 3x3 where "
            "the paper's third branch has 5x5: 6,624,904 parameters.",
            {},
            6_624_904,
        ),
        Builtin(
            "densenet121",
            "DenseNet-121 (Huang et al., 2017)",
            modern.densenet(),
            "G. Huang, Z. Liu, L. van der Maaten, K. Q. Weinberger, 'Densely connected convolutional networks', "
            "CVPR 2017, Table 1 (DenseNet-BC, growth rate 32): each dense layer (BN, ReLU, 1x1 conv, BN, ReLU, "
            "3x3 conv) concatenates its 32 new maps to its input; torchvision.models.densenet121: 7,978,856.",
            {},
            7_978_856,
        ),
        Builtin(
            "unet",
            "U-Net (Ronneberger et al., 2015)",
            modern.unet(),
            "O. Ronneberger, P. Fischer, T. Brox, 'U-Net: convolutional networks for biomedical image "
            "segmentation', MICCAI 2015, Figure 1: unpadded 3x3 convolutions, 2x2 max pooling, 2x2 "
            "up-convolutions that halve the channels, the contracting path's maps cropped and concatenated, a "
            "final 1x1 convolution to 2 classes; a 572x572 input gives a 388x388 output map.",
            {},
            31_030_658,
        ),
    )
}


LECTURE = ("lenet5", "lenet5-modern", "alexnet", "alexnet-2012", "alexnet-torchvision", "vgg16")
"""The lecture's networks: plain chains of the lecture's layers (the ones the problem families and diagrams use)."""


@cache
def builtin(name: str) -> Network:
    """A built-in network by name (lenet5, lenet5-modern, alexnet, alexnet-2012, resnet18, ...)."""
    try:
        b = BUILTINS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(BUILTINS), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "built-in networks: " + ", ".join(BUILTINS)
        raise QuizgenError(f"no built-in network '{name}'", fix=fix) from None
    network = parse_spec(b.spec, name=b.name)
    return replace(network, title=b.title, source=b.source, listed=b.listed)
