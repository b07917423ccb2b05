"""Generated exports of any size, written line by line (used by the streaming tests and
bench/importers/memory.py)."""

from __future__ import annotations

import json
from pathlib import Path

_THREADS_PER_FILE = 50


def write_disqus(path: Path, posts: int, body_size: int = 200) -> Path:
    """A Disqus export with `posts` posts over 50 threads (three consecutive posts share one);
    every third post replies to the post before it, and some replies come before their parent."""
    filler = ("Lorem ipsum dolor sit amet, “quoted” … " * (body_size // 40 + 1))[:body_size]
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n'
                  '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for thread in range(_THREADS_PER_FILE):
            out.write(f'<thread dsq:id="t{thread}"><link>https://news.example/story-{thread}</link>'
                      f"<title>Story {thread}</title><createdAt>2024-01-01T00:00:00Z</createdAt></thread>\n")
        number = 0
        while number < posts:
            if number % 21 == 18 and number + 1 < posts:  # a reply before its parent
                out.write(_post(number + 1, number, filler))
                out.write(_post(number, None, filler))
                number += 2
                continue
            out.write(_post(number, number - 1 if number % 3 == 2 else None, filler))
            number += 1
        out.write("</disqus>\n")
    return path


def _post(number: int, parent: int | None, filler: str) -> str:
    parent_tag = f'<parent dsq:id="p{parent}"/>' if parent is not None else ""
    minute, second = divmod(number, 60)
    return (f'<post dsq:id="p{number}"><message><![CDATA[<p>Comment {number}: {filler}</p>]]></message>'
            f"<createdAt>2024-01-02T{(minute // 60) % 24:02d}:{minute % 60:02d}:{second:02d}Z</createdAt>"
            f"<isDeleted>false</isDeleted><isSpam>false</isSpam>"
            f"<author><name>Reader {number % 97}</name><email>r{number % 97}@example.org</email></author>"
            f'<thread dsq:id="t{number // 3 % _THREADS_PER_FILE}"/>'
            f"{parent_tag}</post>\n")


def write_remark42(path: Path, comments: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"version":1,"users":[],"posts":[]}\n')
        for number in range(comments):
            out.write(json.dumps({
                "id": f"c{number}", "pid": f"c{number - 1}" if number % 3 == 2 else "",
                "text": f"<p>Comment {number}</p>", "user": {"name": f"Reader {number % 97}"},
                "locator": {"url": f"https://news.example/story-{number // 3 % _THREADS_PER_FILE}"},
                "time": "2024-01-02T00:00:00Z",
            }) + "\n")
    return path
