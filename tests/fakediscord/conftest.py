from fakediscord.pytest_plugin import fake_discord

__all__ = ["fake_discord"]
