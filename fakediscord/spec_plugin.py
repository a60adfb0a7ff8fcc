"""pytest plugin: every exchange fakediscord serves during the run is checked against Discord's OpenAPI description.

Register it with ``pytest_plugins = ["fakediscord.spec_plugin"]``. Exchanges are checked after each test (so a
violation names the test that caused it) and, for fakes run in child processes (the demo), from the files they
log under ``$FAKEDISCORD_EXCHANGE_LOG``. A violation no allowance covers fails the run; the summary prints how
many success responses, request bodies and gateway pieces held, against all that were checked.
``--discord-spec=report`` prints the violations without failing; ``--discord-spec=off`` skips the check.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

from fakediscord import exchanges
from fakediscord.exchanges import Exchange
from fakediscord.spec_check import SpecCheck, Violation

_KEY = pytest.StashKey["_SpecRun"]()
_MAX_SHOWN = int(os.environ.get("FAKEDISCORD_SPEC_SHOWN", "40"))


class _SpecRun:
    def __init__(self) -> None:
        self.check = SpecCheck()
        self.pending: list[Exchange] = []
        self.violations: dict[str, dict[str, Violation]] = defaultdict(dict)  # message → first test → violation
        self.log_dir = Path(tempfile.mkdtemp(prefix="fakediscord-exchanges-"))
        self.stop = exchanges.listen(self.pending.append)
        os.environ[exchanges.LOG_DIR_ENV] = str(self.log_dir)

    def settle(self, test: str) -> None:
        batch, self.pending[:] = list(self.pending), []
        for exchange in batch:
            for violation in self.check.check(exchange):
                self.violations[str(violation)].setdefault(test, violation)

    def finish(self) -> None:
        self.stop()
        os.environ.pop(exchanges.LOG_DIR_ENV, None)
        self.pending.extend(exchanges.read_logged(self.log_dir))
        self.settle("a child process (the demo)")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--discord-spec", choices=("fail", "report", "off"), default="fail",
                     help="check fakediscord's exchanges against Discord's OpenAPI description")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--discord-spec") != "off":
        config.stash[_KEY] = _SpecRun()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    run = item.config.stash.get(_KEY, None)
    if run is not None:
        run.settle(item.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(_KEY, None)
    if run is None:
        return
    run.finish()
    if run.violations and session.exitstatus == 0 and session.config.getoption("--discord-spec") == "fail":
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    run = config.stash.get(_KEY, None)
    if run is None:
        return
    tally = run.check.tally
    write = terminalreporter.write_line
    terminalreporter.section("fakediscord against Discord's OpenAPI description")
    for direction, label in (("response", "success responses"), ("request", "request bodies"),
                             ("gateway", "gateway payload pieces")):
        checked = tally.checked.get(direction, 0)
        valid = tally.valid.get(direction, 0)
        allowed = tally.allowed.get(direction, 0)
        share = f"{100 * valid / checked:.1f} %" if checked else "-"
        write(f"{label}: {valid} of {checked} valid ({share}); {allowed} more differ only as allowed")
    for allowance in run.check.allowed:
        write(f"allowed: {allowance.reason}")
    if not run.violations:
        write("no violations")
        return
    write(f"{len(run.violations)} distinct violations (the first test to cause each):", red=True)
    for shown, (message, tests) in enumerate(sorted(run.violations.items())):
        if shown >= _MAX_SHOWN:
            write(f"... and {len(run.violations) - _MAX_SHOWN} more")
            break
        write(f"  {message}  [{next(iter(tests))}]", red=True)
