"""CG107: a dash in a ceph.conf key. Guides say dashes equal underscores; Ceph's parser
(checked with ceph-conf 16.2.15) keeps the dash, so the option is not set."""

from confgen.rules.base import Rule, problems

RULE = Rule("CG107", "ceph-dash-key", "warning",
            "ceph.conf key with '-': Ceph does not read it as '_', the option stays unset",
            lambda ctx: problems(ctx, RULE, "dash-key"))
