"""Is a line of visible text an AI label, and does its wording satisfy GB 45438-2025 §5?

Wording classes (reported per text region as `wording`):

- `cn_label`: an AI element (人工智能, or AI in any case, full-width too) AND a generation
  element (生成 or 合成), in any phrase: AI生成, 人工智能生成, 由 AI 生成, Sora AI 生成, ai合成.
  OCR misreadings of AI ("Al", "A1", "A|") count only next to a generation element.
- `disclosure`: an AI disclosure in another language ("AI-generated", "KI-generiert",
  "Généré par IA", "Contenuti generati dall'AI", ...) or in Chinese without the GB wording
  (由人工智慧生成, Taiwan's word for AI; AI產生): a label, but not the Chinese wording.
- `ai_mark`: a standalone AI word with no generation element (即梦AI, "Sora AI", "AIGC"): a
  label whose wording fails.
- `none`: not a label — no AI word, a negation (非AI生成, 未经AI合成, "not AI-generated"), a
  name of an event or a product (生成式AI大会, AIGC峰会), or letters inside a word (MAIL, AIR,
  "Al Smith").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CN_LABEL, DISCLOSURE, AI_MARK, NONE = "cn_label", "disclosure", "ai_mark", "none"
WORDING_CLASSES = (CN_LABEL, DISCLOSURE, AI_MARK, NONE)

_AI_CN = "人工智能"
# "AI" as a word of its own: not inside a Latin word (MAIL, AIR, Thai). Case-insensitive
# beside a generation element; standalone marks need capitals (Italian "ai" is a preposition).
_AI_WORD = re.compile(r"(?<![A-Za-z])(?:A\.?I\.?|[Aa][Ii])(?![A-Za-z])")
# ... and, beside a generation element, letter-spaced: 图片由 A I 生成.
_AI_SPACED = re.compile(r"(?<![A-Za-z])A I(?![A-Za-z])")
_AI_CAPS = re.compile(r"(?<![A-Za-z])(?:AIGC|A\.?I\.?|Ai)(?![A-Za-z])")
_AI_MISREAD = re.compile(r"(?<![A-Za-z])(?:Al|A1|A\|)(?![A-Za-z])")
# 生成 / 合成, but not 生成式 (generative, an adjective: 生成式AI大会 names an event).
_GENERATION = re.compile(r"(生成|合成)(?!式)")
# A negation before the AI element or the generation element: 非AI生成, 未经AI合成, 不是由AI生成.
_NEGATION = re.compile(
    r"(非|未经?|不是|并非|并不是|无|没有|不含|不由|不)(由|经|用|使用)?(AI|人工智能|人工智慧|生成|合成)",
    re.I,
)
# AI words that name events, products or organisations rather than disclose generation.
_NAME_CONTEXT = re.compile(
    r"(生成式|AIGC)\S{0,6}(大会|峰会|论坛|大赛|比赛|展|节|平台|产业|公司|研究院|实验室|课程|培训|应用|工具)"
    r"|(大会|峰会|论坛|大赛|展|节)\S{0,4}(生成式|AIGC)",
    re.I,
)

# Disclosures in other languages. The AI word must stand alone (word boundaries).
_AI = r"(?:AI|A\.I\.|IA|KI|SI|artificial intelligence|intelligence artificielle|intelligenza artificiale|inteligencia artificial|inteligência artificial|künstliche[rn]? intelligenz|kunstmatige intelligentie|sztuczn[aąe]j? inteligencj[aię])"  # noqa: E501
_GENERATED = (
    r"(?:generated|created|made|produced|imagined|"  # en
    r"generiert|erstellt|erzeugt|"  # de
    r"généré(?:e|s|es)?|genere(?:e|s|es)?|créé(?:e|s|es)?|cree(?:e|s|es)?|"  # fr
    r"generat[oaie]|creat[oaie]|"  # it
    r"generad[oa]s?|cread[oa]s?|"  # es
    r"gerad[oa]s?|criad[oa]s?|"  # pt
    r"gegenereerd|gemaakt|"  # nl
    r"wygenerowan[aeyo]|stworzon[aeyo]|utworzon[aeyo])"  # pl
)
_LINK = (
    r"(?:with|by|using|mit|von|durch|per|par|avec|con|dall['’]|dalla|dall[oa]|da|por|com|pela|pelo|"
    r"door|met|przez|z)"
)
_DISCLOSURE = re.compile(
    # AI-generated, KI-generiert; OCR's "Al-generated" too (only here: "by Al Smith" is a name)
    rf"(?<![A-Za-z])(?:{_AI}|Al|A1)[\s\-‐–]*{_GENERATED}(?![A-Za-z])"
    rf"|(?<![A-Za-z]){_GENERATED}\s+(?:{_LINK}\s*)+(?:(?:an?|l['’]|la|el|a|die|der|de|het)\s*)?{_AI}(?![A-Za-z])"
    rf"|(?<![A-Za-z]){_GENERATED}\s+dall['’]\s*{_AI}(?![A-Za-z])",
    re.IGNORECASE,
)
# Chinese disclosures without the GB wording: Taiwan's 人工智慧 (AI) with a generation word, or
# AI with 產生 (produced): 由人工智慧生成, 本圖由AI產生.
_CN_DISCLOSURE = re.compile(
    r"人工智慧\S{0,2}(生成|合成|產生|产生)(?![式器])|(AI|人工智能)\S{0,2}(產生|产生)(?!器)", re.I
)
_DISCLOSURE_NEGATED = re.compile(
    r"(?<![A-Za-z])(not|no|nicht|kein|non|pas|sin|sem|niet|nie)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class LabelMatch:
    wording: str  # one of WORDING_CLASSES
    ai_element: str | None  # "人工智能" or the AI word as read, when found
    generation_element: str | None  # "生成" or "合成" when found

    @property
    def is_cn_label(self) -> bool:
        """Satisfies the Chinese wording rule: an AI element and a generation element."""
        return self.wording == CN_LABEL

    @property
    def is_disclosure(self) -> bool:
        """Discloses AI generation, in Chinese or another language."""
        return self.wording in (CN_LABEL, DISCLOSURE)

    @property
    def is_label(self) -> bool:
        """Taken as a visible AI label (its wording may still fail)."""
        return self.wording != NONE


# CJK ideographs (the Unified Ideographs and Extension A): their first and last code points,
# and the range as a regular expression's class.
_FIRST_IDEOGRAPH, _LAST_IDEOGRAPH = "\u3400", "\u9fff"
IDEOGRAPHS = f"{_FIRST_IDEOGRAPH}-{_LAST_IDEOGRAPH}"


def is_ideograph(char: str) -> bool:
    """`char` is a CJK ideograph (IDEOGRAPHS)."""
    return _FIRST_IDEOGRAPH <= char <= _LAST_IDEOGRAPH


# A Chinese label phrase is short (此内容由人工智能生成 is 10 characters); a longer line with
# 生成 in it is a sentence of the picture's, not a label read in part.
LABEL_CHARS = 12


# The phrases Chinese labels are commonly written in: AI生成, 人工智能合成, 由AI生成 ..., which
# generators prefix with 本图, 此内容, 本作品 and the like, or with their own name (豆包AI生成,
# 即梦AI生成, 可灵AI生成: ByteDance's, Kuaishou's generators; Alibaba's, Baidu's, Tencent's and
# iFlytek's name theirs alike).
_SUBJECTS = ("", "本图", "图片", "内容", "此内容", "本内容", "本视频", "本作品", "该内容", "该图片")
_GENERATORS = ("豆包", "即梦", "可灵", "通义", "文心", "混元", "星火")
_LABEL_PHRASES = tuple(
    prefix + link + ai + generation
    for prefix, links in [(s, ("", "由")) for s in _SUBJECTS] + [(g, ("",)) for g in _GENERATORS]
    for link in links
    for ai in ("AI", "人工智能")
    for generation in ("生成", "合成")
)
_PHRASE_SET = frozenset(_LABEL_PHRASES)


def glyphs_cut_short(text: str) -> int:
    """How many glyphs a label read without its first ones may have lost, at most: where
    `text` is a Chinese label and the end of a label phrase, not a phrase of its own (容由AI生成
    of 内容由AI生成 or 此内容由AI生成: 2; 图由AI生成 of 本图由AI生成: 1); else 0."""
    compact = normalise(text)
    if compact in _PHRASE_SET or not classify_label_text(text).is_cn_label:
        return 0
    return max((len(p) - len(compact) for p in _LABEL_PHRASES if p.endswith(compact)), default=0)


def glyphs_lost(text: str) -> tuple[int, int]:
    """The fewest glyphs a line read in part lost before and after what was read, where a label
    phrase holds it (工智能生成 of 人工智能生成: one before; 此内容由人工 of
    此内容由人工智能生成: four after); (0, 0) where none does."""
    compact = normalise(text)
    if not compact:
        return 0, 0
    lost = [
        (at, len(phrase) - at - len(compact))
        for phrase in _LABEL_PHRASES
        if (at := phrase.find(compact)) >= 0
    ]
    return min(lost, key=sum, default=(0, 0))


def label_phrase(text: str) -> bool:
    """`text` is one of the phrases Chinese labels are commonly written in, whole."""
    return normalise(text) in _PHRASE_SET


# A label phrase's first characters, this many at least, read alone are a label whose end the
# recogniser lost (此内容由人工 of 此内容由人工智能生成, its 智能生成 faint over grass). As few
# as LINKED_FRAGMENT_CHARS ending in the link 由 ("by"), which calls for what made the picture
# (本图由 of 本图由AI生成, whose AI生成 the detector did not box over gravel), are read again
# wider (label_fragment), but too little to leave the line for review (read_in_part).
FRAGMENT_CHARS, LINKED_FRAGMENT_CHARS = 4, 3


def label_fragment(text: str) -> bool:
    """A line read as the start of a label phrase alone (_phrase_start), with neither an AI
    nor a generation element of its own (此内容由人工, 本图由人工智, 本图由); its last glyph may
    be misread, cut by the box's end (此内容由人工智育)."""
    compact = normalise(text)
    shortest = LINKED_FRAGMENT_CHARS if compact.endswith("由") else FRAGMENT_CHARS
    return classify_label_text(text).wording == NONE and _phrase_start(compact, shortest)


def _phrase_start(compact: str, shortest: int = FRAGMENT_CHARS) -> bool:
    """`compact` (normalised) is a label phrase's start, `shortest` long at least, its last
    glyph perhaps misread."""
    if len(compact) < shortest:
        return False
    starts = {compact} | ({compact[:-1]} if len(compact) > FRAGMENT_CHARS + 1 else set())
    return any(phrase.startswith(start) for phrase in _LABEL_PHRASES for start in starts)


def read_in_part(text: str) -> bool:
    """A line that may be a Chinese label the recogniser read in part: a generation element
    but no AI element (由A生成 for 由AI生成, 智能生成 for 人工智能生成), a label phrase's start
    alone (label_fragment), or ending within a glyph in four of a label phrase (此内容由人二智能生
    for 此内容由人工智能生成, Al含成 for AI合成); not negated, not a name, and no longer than a
    label phrase."""
    match = classify_label_text(text)
    compact = normalise(text)
    if match.wording != NONE or len(compact) > LABEL_CHARS:
        return False
    if _denied_or_named(compact):
        return False
    if match.generation_element is not None or _phrase_start(compact):
        return True
    # A vendor's name may come before the phrase (豆包AIA成 for 豆包AI生成, 生 misread); AI
    # may be read as Al or A1 (in sans-serif I and l are one glyph), and is AI here too: a
    # misread generation element leaves it unrecognised (Al含成 for AI合成).
    compact = _AI_MISREAD.sub("AI", compact, count=1)
    tails = {compact} | {compact[i:] for i in range(len(compact) - FRAGMENT_CHARS + 1)}
    return any(_near_phrase(tail) for tail in tails)


# A label phrase this long at least may be recognised with a glyph misread in four of it.
MISREAD_PHRASE_CHARS = 6


def misread_label(text: str) -> bool:
    """A label phrase MISREAD_PHRASE_CHARS long or more, read with a glyph in four wrong
    (此内容由块工智能生成 for 此内容由人工智能生成), and nothing else: a label the recogniser
    misread where it runs into other text. Not a label as read, not negated, not a name."""
    compact = normalise(text)
    if classify_label_text(text).wording != NONE or len(compact) < MISREAD_PHRASE_CHARS:
        return False
    if _denied_or_named(compact):
        return False
    return _near_phrase(compact, MISREAD_PHRASE_CHARS)


def _denied_or_named(compact: str) -> bool:
    """`compact` (normalised) is negated (非AI生成) or names an event or product (人工智能大会,
    生成式): no misreading of it is a label."""
    return bool(_NEGATION.search(compact) or _NAME_CONTEXT.search(compact)) or "生成式" in compact


def _near_phrase(compact: str, shortest: int = 0) -> bool:
    """`compact` (normalised) is within a glyph in four of a label phrase `shortest` or more
    characters long."""
    return any(
        edits(compact, phrase) <= len(phrase) // 4
        for phrase in _LABEL_PHRASES
        if len(phrase) >= shortest
    )


def edits(a: str, b: str) -> int:
    """Levenshtein distance (both strings are a dozen characters at most)."""
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
    return row[-1]


# An AI element ending the line with one glyph of a generation element beside it: 生 or 合
# then at most one other glyph, or one glyph then 成 (AI禽成 for AI合成, AI生 for AI生成), or
# both with a glyph between (AI生工成: 生 cut in two); or with none after 由 ("by"), which a
# verb must follow (此内容由人工智能: 生成 lost past the box).
_HALF_GENERATION = re.compile(
    r"(?:AI|人工智能)(?:[生合].?|.成|[生合].成)$|由(?:AI|人工智能)$", re.I
)


def generation_misread(text: str) -> bool:
    """A mark naming AI whose generation element may have been misread by one glyph or lost
    past the line's end: the line ends in AI or 人工智能 then half of 生成/合成 (AI禽成, 由AI生),
    or 生成/合成 with a glyph read between its two (AI生工成: 生 cut in two), or in 由AI /
    由人工智能 (此内容由人工智能). "AI合伙人", where more text follows, and 即梦AI, where nothing
    calls for a verb, are left as read."""
    match = classify_label_text(text)
    return match.wording == AI_MARK and bool(_HALF_GENERATION.search(normalise(text)))


def normalise(text: str) -> str:
    """Full-width to ASCII (ＡＩ -> AI), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Traditional forms a Chinese label may be written in (本圖由AI生成, 人工智慧, 產生): a line
# holding one is taken as written in traditional characters.
_TRADITIONAL = set("圖產製為經軟體術說這個們來時會對開發與見視畫錄據傳應慧網頁")


def label_words(text: str) -> str:
    """A label's reading without the punctuation, symbols or spaces at its ends (·AI生成,
    人工智能生成！, ☑本图由AI生成): specks of the background beside the glyphs read as marks, or
    the label's own full stop; neither is its wording."""
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start])[0] in "PSZ":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] in "PSZ":
        end -= 1
    return text[start:end] or text


def as_read(text: str) -> str:
    """The line as a person reads it: where the wording took an OCR misreading of AI for AI
    ("Al生成", "A1合成"), it is written AI (in sans-serif fonts I and l are one glyph). In a
    label otherwise in simplified characters, the recogniser's traditional 內 (one stroke from
    内 at a label's size: 此內容由人工智能生成) is written 内."""
    match = classify_label_text(text)
    if match.ai_element in ("Al", "A1", "A|"):
        text = _AI_MISREAD.sub("AI", text, count=1)
    if match.is_label and "內" in text and not _TRADITIONAL.intersection(text):
        text = text.replace("內", "内")
    return text


def classify_label_text(text: str) -> LabelMatch:
    spaced = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    compact = normalise(text)
    if _NAME_CONTEXT.search(compact):
        return LabelMatch(NONE, None, None)
    generation = _GENERATION.search(compact)
    ai: str | None = _AI_CN if _AI_CN in compact else None
    if ai is None:
        word = _AI_WORD.search(spaced) or (_AI_MISREAD.search(spaced) if generation else None)
        if word is None and generation:  # "AI生成" without a space: Latin neighbours are CJK
            word = _AI_WORD.search(re.sub(r"(?<=[A-Za-z])(?=[^\x00-\x7f])", " ", spaced))
            word = word or _AI_SPACED.search(spaced)
        ai = word.group() if word else None
    if generation and ai:
        if _NEGATION.search(compact):
            return LabelMatch(NONE, ai, generation.group())
        return LabelMatch(CN_LABEL, ai, generation.group())
    if _DISCLOSURE.search(spaced) or _CN_DISCLOSURE.search(compact):
        if _DISCLOSURE_NEGATED.search(spaced) or _NEGATION.search(compact):
            return LabelMatch(NONE, None, None)
        return LabelMatch(DISCLOSURE, "AI", None)
    if _NEGATION.search(compact) or "生成式" in compact:
        return LabelMatch(NONE, None, None)
    caps = _AI_CAPS.search(spaced)
    if caps or ai == _AI_CN:
        return LabelMatch(AI_MARK, caps.group() if caps else _AI_CN, None)
    return LabelMatch(NONE, None, generation.group() if generation else None)
