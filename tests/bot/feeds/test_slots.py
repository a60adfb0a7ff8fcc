"""Each server's share of the fetch slots: who waits, who goes, and what a cancelled wait hands on."""

from __future__ import annotations

import asyncio

from bot.feeds.slots import ServerSlots


async def test_a_server_at_its_share_waits_while_another_server_goes() -> None:
    """A server already fetching its share waits for one of its own slots; another server's feed starts at once."""
    slots = ServerSlots(2)
    third = slots.hold({1})
    async with slots.hold({1}), slots.hold({1}):
        waiting = asyncio.create_task(third.__aenter__())
        async with slots.hold({2}) as other:
            assert other == 2
        await asyncio.sleep(0)
        assert not waiting.done()
    assert await asyncio.wait_for(waiting, 5) == 1
    await third.__aexit__(None, None, None)


async def test_a_feed_several_servers_follow_goes_when_any_of_them_has_room() -> None:
    """A server that used up its share cannot hold back a feed another follower of it has room for."""
    slots = ServerSlots(1)
    async with slots.hold({1}), slots.hold({1, 2}) as shared:
        assert shared == 2
        assert (slots.busy(1), slots.busy(2)) == (1, 1)
    assert (slots.busy(1), slots.busy(2)) == (0, 0)


async def test_a_wait_cancelled_after_it_was_handed_a_slot_passes_the_slot_on() -> None:
    """A poll cancelled just as its turn came does not lose its server a fetch slot for good."""
    slots = ServerSlots(1)
    first, second, third = slots.hold({1}), slots.hold({1}), slots.hold({1})
    await first.__aenter__()
    waiting = [asyncio.create_task(second.__aenter__()), asyncio.create_task(third.__aenter__())]
    await asyncio.sleep(0)
    await first.__aexit__(None, None, None)  # hands the slot to the second wait ...
    waiting[0].cancel()  # ... which is cancelled before it runs again
    assert await asyncio.wait_for(waiting[1], 5) == 1  # a lost slot would leave it waiting for ever
    assert slots.busy(1) == 1
    await third.__aexit__(None, None, None)
    assert slots.busy(1) == 0
