"""Make the small CJK font `markcheck label` draws visible labels with (run by hand, offline).

Source: Noto Sans CJK SC Bold (Debian package fonts-noto-cjk; SIL Open Font License 1.1).
Kept: only the glyphs the allowed label wordings need (GB 45438 §5: an AI element 人工智能/AI
and a generation element 生成/合成, with the usual surrounding words) and printable ASCII, so
the font is a few tens of KB and ships in the package. The subset is a Modified Version under
the OFL: it is renamed (Noto is a trademark) and keeps the copyright and licence fields; the
licence text is written beside it.

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 scripts/make_label_font.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SC_BOLD = 2  # index of "Noto Sans CJK SC Bold" in the collection
OUT = Path(__file__).resolve().parents[1] / "src" / "markcheck" / "data" / "fonts"
FONT_NAME = "MarkcheckLabelCJK-Bold.otf"
FAMILY = "Markcheck Label CJK"
CHARS_NAME = "MarkcheckLabelCJK-Bold.chars.txt"
# Every character the wordings in markcheck.writers.visible.WORDINGS use, and a few more words
# providers put around them (本内容由…, 图片/视频, 深度合成, 辅助).
CJK = "人工智能生成合成由本内容图片视频此为经该作品深度辅助技术标识"
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def main() -> None:
    if not SOURCE.is_file():
        sys.exit(f"{SOURCE} not found: apt-get install fonts-noto-cjk")
    font = TTCollection(str(SOURCE)).fonts[SC_BOLD]
    font.recalcTimestamp = False  # the same bytes on every run
    options = subset.Options()
    options.layout_features = ["kern", "palt", "halt"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CJK + ASCII)
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        text = record.toUnicode()
        text = text.replace("Noto Sans CJK SC", FAMILY)
        text = re.sub(r"NotoSansCJKsc", FAMILY.replace(" ", ""), text)
        record.string = text
    OUT.mkdir(parents=True, exist_ok=True)
    font.save(OUT / FONT_NAME)
    # The characters it can draw, so markcheck checks a wording without a font library.
    covered = sorted(chr(c) for c in font.getBestCmap() if chr(c).isprintable())
    (OUT / CHARS_NAME).write_text("".join(covered) + "\n", encoding="utf-8")
    copyright_file = Path("/usr/share/doc/fonts-noto-cjk/copyright").read_text(encoding="utf-8")
    start = copyright_file.index("License: SIL-1.1\n ---")
    end = copyright_file.index("\nLicense: GPL-3+\n This program")
    lines = copyright_file[start:end].splitlines()[1:]
    body = "\n".join(line[1:] if line.startswith(" ") else line for line in lines)
    body = body.replace("\n.\n", "\n\n")
    (OUT / "OFL.txt").write_text(
        f"{FONT_NAME}: a subset of Noto Sans CJK SC Bold, renamed {FAMILY!r}.\n"
        "Copyright © 2014-2021 Adobe (http://www.adobe.com/).\n"
        "Made by scripts/make_label_font.py; licensed under the SIL Open Font License 1.1:\n\n"
        + body.strip() + "\n",
        encoding="utf-8",
    )  # fmt: skip
    print(f"{OUT / FONT_NAME}: {(OUT / FONT_NAME).stat().st_size} bytes")


if __name__ == "__main__":
    main()
