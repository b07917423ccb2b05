"""Generate tests/security/xss_payloads.txt: script-injection attempts, combinatorially.

    .venv/bin/python tests/security/gen_xss_payloads.py

Every payload, if it ever ran, would call `__xss(XSSID)`; the test replaces XSSID with a number
that tells which payload and which field (body, name, title) got through. One payload per
line; a literal `\\n` stands for a line break (markdown needs some), `\\0` for a NUL.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

CALL = "__xss(XSSID)"

VECTORS = [
    # script elements
    f"<script>{CALL}</script>",
    f"<script src=\"data:text/javascript,{CALL}\"></script>",
    f"<scr<script>ipt>{CALL}</scr</script>ipt>",
    f"</script><script>{CALL}</script>",
    f"<script>/*</script><script>*/{CALL}</script>",
    # event handlers
    f"<img src=x onerror={CALL}>",
    f"<img src=x onerror=\"{CALL}\">",
    f"<img/src=x/onerror={CALL}>",
    f"<body onload={CALL}>",
    f"<input autofocus onfocus={CALL}>",
    f"<details open ontoggle={CALL}>",
    f"<video><source onerror={CALL}></video>",
    f"<audio src=x onerror={CALL}>",
    f"<div onmouseover={CALL} style=\"position:fixed;inset:0\">x</div>",
    f"<marquee onstart={CALL}>x</marquee>",
    f"<select autofocus onfocus={CALL}>",
    f"<textarea autofocus onfocus={CALL}>",
    f"<keygen autofocus onfocus={CALL}>",
    f"<object data=x onerror={CALL}>",
    f"<style onload={CALL}></style>",
    f"<link rel=stylesheet href=x onerror={CALL}>",
    f"<iframe onload={CALL}></iframe>",
    f"<iframe srcdoc=\"<script>parent.{CALL}</script>\"></iframe>",
    f"<iframe src=\"javascript:parent.{CALL}\"></iframe>",
    # javascript: and data: URLs
    f"<a href=\"javascript:{CALL}\" id=xss>click</a>",
    f"<a href=\"JaVaScRiPt:{CALL}\">click</a>",
    f"<a href=\"java&#x09;script:{CALL}\">click</a>",
    f"<a href=\"&#106;avascript:{CALL}\">click</a>",
    f"<a href=\"data:text/html,<script>{CALL}</script>\">click</a>",
    f"<form action=\"javascript:{CALL}\"><button>go</button></form>",
    f"<button formaction=\"javascript:{CALL}\">go</button>",
    f"<object data=\"javascript:{CALL}\"></object>",
    f"<embed src=\"javascript:{CALL}\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{CALL}\">",
    f"<base href=\"javascript:{CALL}//\"><a href=x>x</a>",
    # SVG and MathML
    f"<svg onload={CALL}>",
    f"<svg><script>{CALL}</script></svg>",
    f"<svg><animate onbegin={CALL} attributeName=x dur=1s>",
    f"<svg><a xlink:href=\"javascript:{CALL}\"><text y=20>x</text></a></svg>",
    f"<svg><foreignObject><img src=x onerror={CALL}></foreignObject></svg>",
    f"<svg><style><img src=x onerror={CALL}></style></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={CALL}>",
    f"<math href=\"javascript:{CALL}\">x</math>",
    f"<math><maction actiontype=statusline xlink:href=\"javascript:{CALL}\">x</maction></math>",
    f"<svg><set attributeName=onmouseover to={CALL}>",
    # parser confusion, mutation XSS
    f"<noscript><p title=\"</noscript><img src=x onerror={CALL}>\">",
    f"<!--<img src=\"--><img src=x onerror={CALL}//\">",
    f"<template><img src=x onerror={CALL}></template>",
    f"<title><img src=x onerror={CALL}></title>",
    f"<textarea></textarea><img src=x onerror={CALL}>",
    f"<xmp><img src=x onerror={CALL}></xmp>",
    f"<![CDATA[<img src=x onerror={CALL}>]]>",
    f"<a href=\"x\" onclick={CALL}>x</a>",
    # breaking out of attributes and contexts
    f"\"><img src=x onerror={CALL}>",
    f"'><svg onload={CALL}>",
    f"\" onmouseover=\"{CALL}\" x=\"",
    f"' autofocus onfocus='{CALL}' x='",
    f"</textarea><script>{CALL}</script>",
    f"</title><script>{CALL}</script>",
    f"</style><script>{CALL}</script>",
    f"{{{{constructor.constructor('{CALL}')()}}}}",
    f"${{{CALL}}}",
    f"\\u003cimg src=x onerror={CALL}\\u003e",
    # markdown link and image abuse
    f"[click](javascript:{CALL})",
    f"[click](JAVASCRIPT:{CALL})",
    f"[click](javascript&#58;{CALL})",
    f"[click](&#x6A;avascript:{CALL})",
    f"[click](java\tscript:{CALL})",
    f"[click]( javascript:{CALL})",
    f"[click](<javascript:{CALL}>)",
    f"[click](data:text/html,<script>{CALL}</script>)",
    f"[click](vbscript:{CALL})",
    f"![img](javascript:{CALL})",
    f"![img](x\" onerror=\"{CALL})",
    f"![x](https://x.invalid/a.png\"onerror=\"{CALL})",
    f"[x](https://ok.example \"title\" onmouseover=\"{CALL}\")",
    f"<javascript:{CALL}>",
    f"[ref]\\n\\n[ref]: javascript:{CALL}",
    f"[a](https://example.org)<img src=x onerror={CALL}>",
    f"**<img src=x onerror={CALL}>**",
    f"> <svg onload={CALL}>",
    f"- <details open ontoggle={CALL}>",
    f"`<script>{CALL}</script>`",
    f"```\\n</code></pre><script>{CALL}</script>\\n```",
    f"[<img src=x onerror={CALL}>](https://example.org)",
    f"[click](https://example.org/\"><script>{CALL}</script>)",
]


def _mixed_case(text: str) -> str:
    """ScRiPt-style tag and scheme names; the JavaScript call keeps its case."""
    def flip(match: re.Match) -> str:
        word = match.group(0)
        return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(word))
    return re.sub(r"(?<=<)/?[a-z]+|javascript|onerror|onload|onfocus", flip, text)


def _decimal_entities(text: str) -> str:
    return text.replace(CALL, "".join(f"&#{ord(c)};" for c in "__xss") + "(XSSID)")


def _hex_entities_padded(text: str) -> str:
    return text.replace(CALL, "".join(f"&#x0000{ord(c):x};" for c in "__xss") + "&#40;XSSID&#41;")


def _named_entities(text: str) -> str:
    return text.replace("(", "&lpar;").replace(")", "&rpar;").replace(":", "&colon;")


TRANSFORMS = {
    "plain": lambda t: t,
    "mixed-case": _mixed_case,
    "decimal-entities": _decimal_entities,
    "hex-entities": _hex_entities_padded,
    "named-entities": _named_entities,
    "escaped-once": html.escape,  # must show as text, not become markup
    "url-encoded": lambda t: quote(t, safe="XSSID_() "),
    "null-bytes": lambda t: t.replace("<", "<\x00").replace("javascript", "java\x00script"),
    "tabs-newlines": lambda t: t.replace(" ", "\t").replace("javascript:", "java\\nscript:"),
    "fullwidth": lambda t: t.replace("<", "\uff1c").replace(">", "\uff1e"),
    "zero-width": lambda t: t.replace("script", "scr\u200bipt").replace("on", "o\u200dn"),
    "rtl-override": lambda t: "\u202e" + t + "\u202c",
    "utf7": lambda t: t.replace("<", "+ADw-").replace(">", "+AD4-"),
    "in-quote": lambda t: "> " + t,
    "in-link-text": lambda t: f"[{t}](https://example.org)",
}


def payloads() -> list[str]:
    seen: dict[str, None] = {}
    for vector in VECTORS:
        for transform in TRANSFORMS.values():
            line = transform(vector).replace("\x00", "\\0").replace("\n", "\\n")
            assert "XSSID" in line, (vector, line)
            seen.setdefault(line, None)
    return list(seen)


if __name__ == "__main__":
    target = Path(__file__).with_name("xss_payloads.txt")
    lines = payloads()
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} payloads to {target}")
