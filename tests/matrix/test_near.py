"""Did-you-mean (FileMatrix._close) answers exactly as difflib over every name the release
reads, however it narrows the search."""

import difflib
import random
import string

import pytest

from confgen import releases
from confgen.matrix import load


@pytest.mark.parametrize("file,rel", [("nova.conf", "2025.1"), ("cinder.conf", "juno"),
                                      ("glance-api.conf", "2024.1")])
def test_near_is_difflib_over_every_live_name(file, rel):
    m, r = load(file), releases.get(rel)
    live = sorted(m.live_names(r))
    rnd = random.Random(13)
    for _ in range(400):
        w = "".join(c if rnd.random() > 0.15 else rnd.choice(string.ascii_letters + "_")
                    for c in rnd.choice(live))[: rnd.randint(2, 45)]
        if w in live:
            continue
        want = [n for n in live if n.lower() == w.lower()] or \
            difflib.get_close_matches(w, live, n=3, cutoff=0.8)
        assert m._close(r, w) == tuple(want), w
