"""Where a label lies within a longer line, from the columns each character was read from."""

from __future__ import annotations

from markcheck.detectors.label_span import label_within


def evenly(text: str, pitch: float = 40.0) -> list[tuple[float, float]]:
    """Each character's CTC spike, a few columns wide at the middle of its `pitch`."""
    return [(i * pitch + pitch / 2 - 4, i * pitch + pitch / 2 + 4) for i in range(len(text))]


def test_a_label_alone_or_with_a_chinese_continuation_is_left_whole():
    for text in ("AI生成", "本图由AI生成", "图片由AI生成，仅供参考", "内容由 AI 生成", "AIGC生成"):
        assert label_within(text, evenly(text)) is None, text


def test_a_line_without_a_label_has_none():
    text = "Photo by Jane Doe 2025"
    assert label_within(text, evenly(text)) is None


def test_a_label_run_into_latin_text_is_cut_at_its_last_character():
    text = "人工智能生成o.zeros_like(coins)"
    label, others = label_within(text, evenly(text))
    assert label.text == "人工智能生成"
    # its six characters span columns 0..240; the cut stays clear of the next spike (260)
    assert 0 <= label.x0 <= 10 and 240 <= label.x1 < 260 - 4
    assert [o.text for o in others] == ["o.zeros_like(coins)"]


def test_a_label_after_other_text_is_cut_on_both_sides():
    text = "markers = np.zAI合成 x2"
    label, others = label_within(text, evenly(text))
    start = text.index("AI合成")
    assert label.text == "AI合成"
    assert (start - 1) * 40 + 24 < label.x0 <= start * 40
    assert (start + 4) * 40 <= label.x1 < (start + 4) * 40 + 16
    assert [o.text for o in others] == ["markers = np.z", "x2"]


def test_columns_that_do_not_match_the_text_are_not_used():
    assert label_within("人工智能生成abc", evenly("人工智能生成")) is None


def test_a_word_s_letters_beside_the_label_stay_with_their_word():
    text = "Sora AI 生成"
    label, others = label_within(text, evenly(text))
    assert label.text == "AI 生成" and [o.text for o in others] == ["Sora"]
    text = "由AI生成lously as either"
    label, others = label_within(text, evenly(text))
    assert label.text == "由AI生成" and [o.text for o in others] == ["lously as either"]
    # The label drawn across "Region": the word's i runs into its first ideograph.
    text = "Regi人工智能生成on-based"
    label, others = label_within(text, evenly(text))
    assert label.text == "人工智能生成" and [o.text for o in others] == ["Regi", "on-based"]
    # ... but a label's own AI after a word is the label's (np.zAI合成, above), and so is
    # a misread Al: "zAl合成" keeps its Al.
    text = "np.zAl合成 x2"
    label, _ = label_within(text, evenly(text))
    assert label.text == "Al合成"


def test_a_stray_character_read_beside_the_label_is_cut_off():
    text = "2AI合成"
    label, others = label_within(text, evenly(text))
    assert label.text == "AI合成" and [o.text for o in others] == ["2"]


def test_a_mark_read_as_a_symbol_beside_the_label_is_cut_off():
    # An info sign or a sparkle set before the label is read as a symbol (ⓘ read ①): its
    # columns are not the label's, nor is its height.
    for mark in ("①", "★", "✦", "©", "+"):
        text = f"{mark}AI合成"
        label, others = label_within(text, evenly(text))
        assert label.text == "AI合成" and [o.text for o in others] == [mark], mark
        assert label.x0 > 24  # clear of the mark's spike (columns 16..24)
    # Chinese punctuation continuing the statement is not a mark
    assert label_within("AI生成。", evenly("AI生成。")) is None


def test_a_label_phrase_misread_by_a_glyph_is_cut_out_only_when_asked():
    text = ">>markers =np.2此内容由块工智能生成"  # 此内容由人工智能生成, 人 read 块
    assert label_within(text, evenly(text)) is None
    label, others = label_within(text, evenly(text), misread=True)
    assert label.text == "此内容由块工智能生成" and [o.text for o in others] == [">>markers =np.2"]
    # two glyphs off a six-character phrase is another phrase: 人工智能大会 is a name
    text = "Welcome to 人工智能大会"
    assert label_within(text, evenly(text), misread=True) is None


def _read(text: str, centres: list[float]):
    from markcheck.detectors.ppocr import Read

    columns = [(c - 4, c + 4) for c in centres]
    return Read(text, 0.99, columns, [0.99] * len(text))


def test_a_label_line_is_measured_where_its_characters_were_read():
    # A 40 px line boxed from x=100 with a mark before the label: its characters were read
    # from crop columns 150-250 (the crop starts 12 px before the box), nothing before them.
    from markcheck.detectors.text import _read_span

    box = (100, 50, 400, 90)
    x0, y0, x1, y1 = _read_span(box, _read("AI生成", [150, 175, 210, 250]), "AI生成", 2000)
    assert (y0, y1) == (50, 90)
    assert 100 < x0 <= 88 + 150 - 4 - 12  # before the first character, clear of the mark
    assert 88 + 250 + 4 + 12 <= x1 < 400
    # read from end to end of the box, or not a label: the box stays
    whole = [20, 56, 92, 128, 164, 200, 236, 272, 308]
    assert _read_span(box, _read("本图由人工智能生成", whole), "本图由人工智能生成", 2000) == box
    assert _read_span(box, _read("Photo", [150, 165, 180, 195, 210]), "Photo", 2000) == box
