"""What a fan can read on the cards an answer is drawn from."""

from __future__ import annotations

from bot.cards import Card


def card_text(cards: Card | list[Card]) -> str:
    """Every line a fan can read on the cards (title, author, description, fields, footer), one after another."""
    cards = cards if isinstance(cards, list) else [cards]
    parts: list[str] = []
    for card in cards:
        parts += [card.title, card.description, card.footer, card.author]
        parts += [f"{f.name}\n{f.value}" for f in card.fields]
    return "\n".join(p for p in parts if p)
