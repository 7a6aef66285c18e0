"""Every formula's sympy expression compiled to exact Python arithmetic (ints and Fractions).

Written by ``scripts/compile_formulas.py`` from ``quizgen.nets.formulas``; do not edit. A formula whose
source differs from the one recorded here is compiled from sympy when it is first used, and a test fails
until the script is run again.
"""

import math
from fractions import Fraction as _Fr

_floor, _ceil = math.floor, math.ceil

# key -> (the sympy source compiled, its exact evaluator of the values substituted)
EXACT = {
    'bn.biases': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'bn.buffers': (
        '2*N_c',
        lambda v: (2 * v['N_c']),
    ),
    'bn.weights': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'bottleneck.percent': (
        '100*(D - B)/D',
        lambda v: ((_Fr(1) / (v['D']) ** 1) * ((-100 * v['B']) + (100 * v['D']))),
    ),
    'bottleneck.savings': (
        'D - B',
        lambda v: (v['D'] + (-1 * v['B'])),
    ),
    'chain.total1': (
        'P_a',
        lambda v: v['P_a'],
    ),
    'chain.total2': (
        'P_a + P_b',
        lambda v: (v['P_a'] + v['P_b']),
    ),
    'chain.total3': (
        'P_a + P_b + P_c',
        lambda v: (v['P_a'] + v['P_b'] + v['P_c']),
    ),
    'chain.total4': (
        'P_a + P_b + P_c + P_d',
        lambda v: (v['P_a'] + v['P_b'] + v['P_c'] + v['P_d']),
    ),
    'chain.total5': (
        'P_a + P_b + P_c + P_d + P_e',
        lambda v: (v['P_a'] + v['P_b'] + v['P_c'] + v['P_d'] + v['P_e']),
    ),
    'concat.depth': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'conv.biases': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'conv.weights': (
        'f**2*C*N_c',
        lambda v: (v['C'] * v['N_c'] * (v['f']) ** 2),
    ),
    'conv.weights.grouped': (
        'f**2*(C/g)*N_c',
        lambda v: (v['C'] * v['N_c'] * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.grouped.macs': (
        '(f**2*(C/g)*N_c)*O**2',
        lambda v: (v['C'] * v['N_c'] * (v['O']) ** 2 * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.grouped.macs.in': (
        '(f**2*(C/g)*N_c)*W**2',
        lambda v: (v['C'] * v['N_c'] * (v['W']) ** 2 * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.grouped.macs.in.rect': (
        '(f**2*(C/g)*N_c)*H*W',
        lambda v: (v['C'] * v['H'] * v['N_c'] * v['W'] * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.grouped.macs.rect': (
        '(f**2*(C/g)*N_c)*O_h*O_w',
        lambda v: (v['C'] * v['N_c'] * v['O_h'] * v['O_w'] * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.macs': (
        '(f**2*C*N_c)*O**2',
        lambda v: (v['C'] * v['N_c'] * (v['O']) ** 2 * (v['f']) ** 2),
    ),
    'conv.weights.macs.in': (
        '(f**2*C*N_c)*W**2',
        lambda v: (v['C'] * v['N_c'] * (v['W']) ** 2 * (v['f']) ** 2),
    ),
    'conv.weights.macs.in.rect': (
        '(f**2*C*N_c)*H*W',
        lambda v: (v['C'] * v['H'] * v['N_c'] * v['W'] * (v['f']) ** 2),
    ),
    'conv.weights.macs.rect': (
        '(f**2*C*N_c)*O_h*O_w',
        lambda v: (v['C'] * v['N_c'] * v['O_h'] * v['O_w'] * (v['f']) ** 2),
    ),
    'conv.weights.rect': (
        'f_h*f_w*C*N_c',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.rect.grouped': (
        'f_h*f_w*(C/g)*N_c',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w'] * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.rect.grouped.macs': (
        '(f_h*f_w*(C/g)*N_c)*O**2',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w'] * (v['O']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.rect.grouped.macs.in': (
        '(f_h*f_w*(C/g)*N_c)*W**2',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w'] * (v['W']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.rect.grouped.macs.in.rect': (
        '(f_h*f_w*(C/g)*N_c)*H*W',
        lambda v: (v['C'] * v['H'] * v['N_c'] * v['W'] * v['f_h'] * v['f_w'] * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.rect.grouped.macs.rect': (
        '(f_h*f_w*(C/g)*N_c)*O_h*O_w',
        lambda v: (v['C'] * v['N_c'] * v['O_h'] * v['O_w'] * v['f_h'] * v['f_w'] * (_Fr(1) / (v['g']) ** 1)),
    ),
    'conv.weights.rect.macs': (
        '(f_h*f_w*C*N_c)*O**2',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w'] * (v['O']) ** 2),
    ),
    'conv.weights.rect.macs.in': (
        '(f_h*f_w*C*N_c)*W**2',
        lambda v: (v['C'] * v['N_c'] * v['f_h'] * v['f_w'] * (v['W']) ** 2),
    ),
    'conv.weights.rect.macs.in.rect': (
        '(f_h*f_w*C*N_c)*H*W',
        lambda v: (v['C'] * v['H'] * v['N_c'] * v['W'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.rect.macs.rect': (
        '(f_h*f_w*C*N_c)*O_h*O_w',
        lambda v: (v['C'] * v['N_c'] * v['O_h'] * v['O_w'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.rect.table': (
        'f_h*f_w*K',
        lambda v: (v['K'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.rect.table.macs': (
        '(f_h*f_w*K)*O**2',
        lambda v: (v['K'] * v['f_h'] * v['f_w'] * (v['O']) ** 2),
    ),
    'conv.weights.rect.table.macs.in': (
        '(f_h*f_w*K)*W**2',
        lambda v: (v['K'] * v['f_h'] * v['f_w'] * (v['W']) ** 2),
    ),
    'conv.weights.rect.table.macs.in.rect': (
        '(f_h*f_w*K)*H*W',
        lambda v: (v['H'] * v['K'] * v['W'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.rect.table.macs.rect': (
        '(f_h*f_w*K)*O_h*O_w',
        lambda v: (v['K'] * v['O_h'] * v['O_w'] * v['f_h'] * v['f_w']),
    ),
    'conv.weights.table': (
        'f**2*K',
        lambda v: (v['K'] * (v['f']) ** 2),
    ),
    'conv.weights.table.macs': (
        '(f**2*K)*O**2',
        lambda v: (v['K'] * (v['O']) ** 2 * (v['f']) ** 2),
    ),
    'conv.weights.table.macs.in': (
        '(f**2*K)*W**2',
        lambda v: (v['K'] * (v['W']) ** 2 * (v['f']) ** 2),
    ),
    'conv.weights.table.macs.in.rect': (
        '(f**2*K)*H*W',
        lambda v: (v['H'] * v['K'] * v['W'] * (v['f']) ** 2),
    ),
    'conv.weights.table.macs.rect': (
        '(f**2*K)*O_h*O_w',
        lambda v: (v['K'] * v['O_h'] * v['O_w'] * (v['f']) ** 2),
    ),
    'custom.depth': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'custom.flatten': (
        'F',
        lambda v: v['F'],
    ),
    'custom.memory': (
        'n*b/U',
        lambda v: (v['b'] * v['n'] * (_Fr(1) / (v['U']) ** 1)),
    ),
    'custom.total': (
        'P',
        lambda v: v['P'],
    ),
    'custom.training': (
        'b*((2 + k)*P + U + B*A)/u',
        lambda v: (v['b'] * (_Fr(1) / (v['u']) ** 1) * (v['U'] + (v['A'] * v['B']) + (v['P'] * (2 + v['k'])))),
    ),
    'deconv.bias.connections': (
        'N_c*O_h*O_w',
        lambda v: (v['N_c'] * v['O_h'] * v['O_w']),
    ),
    'deconv.output_padding': (
        'W - ((O - 1)*s - 2*p + f)',
        lambda v: (v['W'] + (-1 * v['f']) + (2 * v['p']) + (-1 * v['s'] * (-1 + v['O']))),
    ),
    'fanin.conv': (
        'f**2*C',
        lambda v: (v['C'] * (v['f']) ** 2),
    ),
    'fanin.conv.grouped': (
        'f**2*C/g',
        lambda v: (v['C'] * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'fanin.conv.rect': (
        'f_h*f_w*C',
        lambda v: (v['C'] * v['f_h'] * v['f_w']),
    ),
    'fanin.conv.rect.grouped': (
        'f_h*f_w*C/g',
        lambda v: (v['C'] * v['f_h'] * v['f_w'] * (_Fr(1) / (v['g']) ** 1)),
    ),
    'fanin.deconv': (
        'f**2*N_c/g',
        lambda v: (v['N_c'] * (v['f']) ** 2 * (_Fr(1) / (v['g']) ** 1)),
    ),
    'fanin.deconv.rect': (
        'f_h*f_w*N_c/g',
        lambda v: (v['N_c'] * v['f_h'] * v['f_w'] * (_Fr(1) / (v['g']) ** 1)),
    ),
    'fanin.fc': (
        'F_prev',
        lambda v: v['F_prev'],
    ),
    'fanin.fc.flatten': (
        'O**2*N_c',
        lambda v: (v['N_c'] * (v['O']) ** 2),
    ),
    'fanin.fc.flatten.rect': (
        'O_h*O_w*N_c',
        lambda v: (v['N_c'] * v['O_h'] * v['O_w']),
    ),
    'fc.biases': (
        'F',
        lambda v: v['F'],
    ),
    'fc.connections': (
        'P',
        lambda v: v['P'],
    ),
    'fc.macs': (
        'F_prev*F',
        lambda v: (v['F'] * v['F_prev']),
    ),
    'fc.macs.flatten': (
        'O**2*N_c*F',
        lambda v: (v['F'] * v['N_c'] * (v['O']) ** 2),
    ),
    'fc.macs.flatten.rect': (
        'O_h*O_w*N_c*F',
        lambda v: (v['F'] * v['N_c'] * v['O_h'] * v['O_w']),
    ),
    'fc.weights': (
        'F_prev*F',
        lambda v: (v['F'] * v['F_prev']),
    ),
    'fc.weights.flatten': (
        'O**2*N_c*F',
        lambda v: (v['F'] * v['N_c'] * (v['O']) ** 2),
    ),
    'fc.weights.flatten.rect': (
        'O_h*O_w*N_c*F',
        lambda v: (v['F'] * v['N_c'] * v['O_h'] * v['O_w']),
    ),
    'flops': (
        '2*M',
        lambda v: (2 * v['M']),
    ),
    'footprint.activations': (
        'A*B*b',
        lambda v: (v['A'] * v['B'] * v['b']),
    ),
    'footprint.buffers': (
        'U*b',
        lambda v: (v['U'] * v['b']),
    ),
    'footprint.flops': (
        '2*M',
        lambda v: (2 * v['M']),
    ),
    'footprint.optimizer': (
        'k*P*b',
        lambda v: (v['P'] * v['b'] * v['k']),
    ),
    'footprint.parameters': (
        'P*b',
        lambda v: (v['P'] * v['b']),
    ),
    'footprint.training': (
        'b*((2 + k)*P + U + B*A)',
        lambda v: (v['b'] * (v['U'] + (v['A'] * v['B']) + (v['P'] * (2 + v['k'])))),
    ),
    'image.length': (
        'W**2*C',
        lambda v: (v['C'] * (v['W']) ** 2),
    ),
    'inception.percent': (
        '100*(D - B)/D',
        lambda v: ((_Fr(1) / (v['D']) ** 1) * ((-100 * v['B']) + (100 * v['D']))),
    ),
    'inverse.N': (
        'P/(f**2*C + 1)',
        lambda v: (v['P'] * (_Fr(1) / ((1 + (v['C'] * (v['f']) ** 2))) ** 1)),
    ),
    'inverse.f': (
        'W + 2*p - (O - 1)*s',
        lambda v: (v['W'] + (2 * v['p']) + (-1 * v['s'] * (-1 + v['O']))),
    ),
    'inverse.p': (
        '((O - 1)*s - W + f)/2',
        lambda v: ((_Fr(1, 2) * v['f']) + (_Fr(-1, 2) * v['W']) + (_Fr(1, 2) * v['s'] * (-1 + v['O']))),
    ),
    'inverse.s': (
        '(W - f + 2*p)/(O - 1)',
        lambda v: ((_Fr(1) / ((-1 + v['O'])) ** 1) * (v['W'] + (-1 * v['f']) + (2 * v['p']))),
    ),
    'layer.connections': (
        'P*O**2',
        lambda v: (v['P'] * (v['O']) ** 2),
    ),
    'layer.connections.rect': (
        'P*O_h*O_w',
        lambda v: (v['O_h'] * v['O_w'] * v['P']),
    ),
    'macs.params.share': (
        '100*P_conv/P',
        lambda v: (100 * v['P_conv'] * (_Fr(1) / (v['P']) ** 1)),
    ),
    'macs.share': (
        '100*M_conv/M',
        lambda v: (100 * v['M_conv'] * (_Fr(1) / (v['M']) ** 1)),
    ),
    'maps.size': (
        'O**2*N_c',
        lambda v: (v['N_c'] * (v['O']) ** 2),
    ),
    'maps.size.rect': (
        'O_h*O_w*N_c',
        lambda v: (v['N_c'] * v['O_h'] * v['O_w']),
    ),
    'memory.batch': (
        'B*n*b/U',
        lambda v: (v['B'] * v['b'] * v['n'] * (_Fr(1) / (v['U']) ** 1)),
    ),
    'memory.max_batch': (
        'floor((M - P*b)/(A*b))',
        lambda v: _floor(((_Fr(1) / (v['A']) ** 1) * (_Fr(1) / (v['b']) ** 1) * (v['M'] + (-1 * v['P'] * v['b'])))),
    ),
    'memory.unit': (
        'n*b/U',
        lambda v: (v['b'] * v['n'] * (_Fr(1) / (v['U']) ** 1)),
    ),
    'one-by-one.depth': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'pool.connections': (
        'f**2*N_c*O**2',
        lambda v: (v['N_c'] * (v['O']) ** 2 * (v['f']) ** 2),
    ),
    'pool.connections.rect': (
        'f_h*f_w*N_c*O_h*O_w',
        lambda v: (v['N_c'] * v['O_h'] * v['O_w'] * v['f_h'] * v['f_w']),
    ),
    'pool.depth': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'rbf.buffers': (
        'F_prev*F',
        lambda v: (v['F'] * v['F_prev']),
    ),
    'rbf.connections': (
        'F_prev*F',
        lambda v: (v['F'] * v['F_prev']),
    ),
    'rf.input': (
        '1',
        lambda v: 1,
    ),
    'rf.jump': (
        'j_prev*s',
        lambda v: (v['j_prev'] * v['s']),
    ),
    'rf.origin': (
        '0',
        lambda v: 0,
    ),
    'rf.size': (
        'r_prev + (f - 1)*j_prev',
        lambda v: (v['r_prev'] + (v['j_prev'] * (-1 + v['f']))),
    ),
    'rf.size.dilated': (
        'r_prev + d*(f - 1)*j_prev',
        lambda v: (v['r_prev'] + (v['d'] * v['j_prev'] * (-1 + v['f']))),
    ),
    'rf.start': (
        'c_prev + ((f - 1)/2 - p)*j_prev',
        lambda v: (v['c_prev'] + (v['j_prev'] * (_Fr(-1, 2) + (_Fr(1, 2) * v['f']) + (-1 * v['p'])))),
    ),
    'rf.start.crop': (
        'c_prev + o*j_prev',
        lambda v: (v['c_prev'] + (v['o'] * v['j_prev'])),
    ),
    'rf.start.deconv': (
        'c_prev + (p - d*(f - 1)/2)*j_prev',
        lambda v: (v['c_prev'] + (v['j_prev'] * (v['p'] + (_Fr(-1, 2) * v['d'] * (-1 + v['f']))))),
    ),
    'rf.start.dilated': (
        'c_prev + (d*(f - 1)/2 - p)*j_prev',
        lambda v: (v['c_prev'] + (v['j_prev'] * ((-1 * v['p']) + (_Fr(1, 2) * v['d'] * (-1 + v['f']))))),
    ),
    'separable.share': (
        '100*(A + B)/D',
        lambda v: ((_Fr(1) / (v['D']) ** 1) * ((100 * v['A']) + (100 * v['B']))),
    ),
    'share.percent': (
        '100*A/B',
        lambda v: (100 * v['A'] * (_Fr(1) / (v['B']) ** 1)),
    ),
    'size.ceil': (
        'ceiling((W - f + 2*p)/s) + 1',
        lambda v: (1 + (-(-((v['W'] + (-1 * v['f']) + (2 * v['p']))) // (v['s'])))),
    ),
    'size.ceil.dropped': (
        'ceiling((W - f + 2*p)/s)',
        lambda v: (-(-((v['W'] + (-1 * v['f']) + (2 * v['p']))) // (v['s']))),
    ),
    'size.deconv': (
        '(W - 1)*s - 2*p + f + p_o',
        lambda v: (v['p_o'] + v['f'] + (-2 * v['p']) + (v['s'] * (-1 + v['W']))),
    ),
    'size.deconv.dilated': (
        '(W - 1)*s - 2*p + d*(f - 1) + p_o + 1',
        lambda v: (1 + v['p_o'] + (-2 * v['p']) + (v['d'] * (-1 + v['f'])) + (v['s'] * (-1 + v['W']))),
    ),
    'size.explicit': (
        'floor((W - f + 2*p)/s) + 1',
        lambda v: (1 + (((v['W'] + (-1 * v['f']) + (2 * v['p']))) // (v['s']))),
    ),
    'size.explicit.dilated': (
        'floor((W + 2*p - d*(f - 1) - 1)/s) + 1',
        lambda v: (1 + (((-1 + v['W'] + (2 * v['p']) + (-1 * v['d'] * (-1 + v['f'])))) // (v['s']))),
    ),
    'size.same': (
        'ceiling(W/s)',
        lambda v: (-(-(v['W']) // (v['s']))),
    ),
    'size.sides': (
        'floor((W - f + p_1 + p_2)/s) + 1',
        lambda v: (1 + (((v['p_1'] + v['p_2'] + v['W'] + (-1 * v['f']))) // (v['s']))),
    ),
    'size.sides.dilated': (
        'floor((W + p_1 + p_2 - d*(f - 1) - 1)/s) + 1',
        lambda v: (1 + (((-1 + v['p_1'] + v['p_2'] + v['W'] + (-1 * v['d'] * (-1 + v['f'])))) // (v['s']))),
    ),
    'size.valid': (
        'ceiling((W - f + 1)/s)',
        lambda v: (-(-((1 + v['W'] + (-1 * v['f']))) // (v['s']))),
    ),
    'size.valid.dilated': (
        'ceiling((W - d*(f - 1))/s)',
        lambda v: (-(-((v['W'] + (-1 * v['d'] * (-1 + v['f'])))) // (v['s']))),
    ),
    'subsampling.biases': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'subsampling.connections': (
        '(f**2 + 1)*N_c*O**2',
        lambda v: (v['N_c'] * (v['O']) ** 2 * (1 + (v['f']) ** 2)),
    ),
    'subsampling.connections.rect': (
        '(f_h*f_w + 1)*N_c*O_h*O_w',
        lambda v: (v['N_c'] * v['O_h'] * v['O_w'] * (1 + (v['f_h'] * v['f_w']))),
    ),
    'subsampling.weights': (
        'N_c',
        lambda v: v['N_c'],
    ),
    'sum.1': (
        'A',
        lambda v: v['A'],
    ),
    'sum.10': (
        'A + B + D + K + M + P + R + U + n + k',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P'] + v['R'] + v['U'] + v['k'] + v['n']),
    ),
    'sum.11': (
        'A + B + D + K + M + P + R + U + n + k + b',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P'] + v['R'] + v['U'] + v['b'] + v['k'] + v['n']),
    ),
    'sum.12': (
        'A + B + D + K + M + P + R + U + n + k + b + F',
        lambda v: (v['A'] + v['B'] + v['D'] + v['F'] + v['K'] + v['M'] + v['P'] + v['R'] + v['U'] + v['b'] + v['k'] + v['n']),
    ),
    'sum.2': (
        'A + B',
        lambda v: (v['A'] + v['B']),
    ),
    'sum.3': (
        'A + B + D',
        lambda v: (v['A'] + v['B'] + v['D']),
    ),
    'sum.4': (
        'A + B + D + K',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K']),
    ),
    'sum.5': (
        'A + B + D + K + M',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M']),
    ),
    'sum.6': (
        'A + B + D + K + M + P',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P']),
    ),
    'sum.7': (
        'A + B + D + K + M + P + R',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P'] + v['R']),
    ),
    'sum.8': (
        'A + B + D + K + M + P + R + U',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P'] + v['R'] + v['U']),
    ),
    'sum.9': (
        'A + B + D + K + M + P + R + U + n',
        lambda v: (v['A'] + v['B'] + v['D'] + v['K'] + v['M'] + v['P'] + v['R'] + v['U'] + v['n']),
    ),
    'training.activations': (
        'B*A*b/u',
        lambda v: (v['A'] * v['B'] * v['b'] * (_Fr(1) / (v['u']) ** 1)),
    ),
    'training.gradients': (
        'P*b/u',
        lambda v: (v['P'] * v['b'] * (_Fr(1) / (v['u']) ** 1)),
    ),
    'training.max_batch': (
        'floor((M - b*((2 + k)*P + U))/(b*A))',
        lambda v: _floor(((_Fr(1) / (v['A']) ** 1) * (_Fr(1) / (v['b']) ** 1) * (v['M'] + (-1 * v['b'] * (v['U'] + (v['P'] * (2 + v['k']))))))),
    ),
    'training.state': (
        'k*P*b/u',
        lambda v: (v['P'] * v['b'] * v['k'] * (_Fr(1) / (v['u']) ** 1)),
    ),
    'training.static': (
        'b*((2 + k)*P + U)/u',
        lambda v: (v['b'] * (_Fr(1) / (v['u']) ** 1) * (v['U'] + (v['P'] * (2 + v['k'])))),
    ),
    'training.total': (
        'b*((2 + k)*P + U + B*A)/u',
        lambda v: (v['b'] * (_Fr(1) / (v['u']) ** 1) * (v['U'] + (v['A'] * v['B']) + (v['P'] * (2 + v['k'])))),
    ),
    'units': (
        'F',
        lambda v: v['F'],
    ),
    'zero': (
        '0',
        lambda v: 0,
    ),
}
