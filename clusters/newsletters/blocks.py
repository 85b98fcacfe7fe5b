"""Blocks a mailing can hold that pull live items from other apps (upcoming events,
later opportunities). The newsletters sit in the domain base and never import those
apps: each app registers its blocks here from its AppConfig.ready().

In a mailing's Markdown a block is a line of its own: `[[block:upcoming_events]]`.
It is rendered at send time, in the recipient's language, by the block's function,
which returns trusted HTML (from an autoescaping template) and its plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple


class BlockOutput(NamedTuple):
    html: str
    text: str


@dataclass(frozen=True)
class Block:
    name: str
    label: str  # shown in the compose page's help
    render: Callable[..., BlockOutput]  # render(cluster=..., language=...)


_REGISTRY: dict[str, Block] = {}
LINE = re.compile(r"^\[\[block:([a-z_]+)\]\]\s*$", re.MULTILINE)


def register(name: str, label, render: Callable[..., BlockOutput]) -> None:
    _REGISTRY[name] = Block(name, label, render)


def registered() -> list[Block]:
    return sorted(_REGISTRY.values(), key=lambda b: b.name)


def get(name: str) -> Block | None:
    return _REGISTRY.get(name)
