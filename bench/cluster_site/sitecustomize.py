"""Loaded by Python at start-up when this folder is on ``PYTHONPATH``: which bot process sent a request.

Only ``bench/cluster.py`` puts this folder on its bot processes' path. In ``python -m bot`` (not in its parser
workers, which never talk to Discord) discord.py's User-Agent gets ``marquee-pid/<pid>`` appended, so the
benchmark can count each process's posts and find the killed process's last one in fakediscord's ledger. Nothing
else about the bot changes: the header is not read by Marquee or by fakediscord's rules.
"""

import os
import sys

if sys.orig_argv[1:3] == ["-m", "bot"]:
    import discord.http

    _init = discord.http.HTTPClient.__init__

    def _tagged_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _init(self, *args, **kwargs)
        self.user_agent = f"{self.user_agent} marquee-pid/{os.getpid()}"

    discord.http.HTTPClient.__init__ = _tagged_init  # type: ignore[method-assign]
