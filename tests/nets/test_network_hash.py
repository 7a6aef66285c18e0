"""A network's hash is kept once computed, and never travels to another process (str hashes differ there)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace

from quizgen.nets.builtin import builtin


def test_kept_hash_is_the_fields_hash_and_stays_out_of_copies() -> None:
    net = builtin("alexnet")
    assert hash(net) == hash((net.input, net.layers, net.name, net.title, net.source))
    assert "_hash" in net.__dict__
    again = pickle.loads(pickle.dumps(net))
    assert "_hash" not in again.__dict__ and again == net and hash(again) == hash(net)
    renamed = replace(net, name="other")
    assert renamed != net and hash(renamed) == hash((net.input, net.layers, "other", net.title, net.source))


def test_a_network_pickled_in_another_process_hashes_like_ours() -> None:
    code = ("import pickle, sys; from quizgen.nets.builtin import builtin; n = builtin('lenet5'); hash(n); "
            "sys.stdout.buffer.write(pickle.dumps(n))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    data = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    theirs, ours = pickle.loads(data), builtin("lenet5")
    assert theirs == ours and hash(theirs) == hash(ours) and len({theirs, ours}) == 1
