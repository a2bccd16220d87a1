"""casebook.draft.text: blocks of a scanned article."""

from casebook.draft.text import blocks, sentences


def kinds(text):
    return [(b.kind, b.text) for b in blocks(text)]


def test_scan_break_inside_a_paragraph_is_mended():
    text = "省公安厅干警纷纷收看短视频，并交流了体会和做法，大家都说收获很大\n\n而且还要继续学习。\n"
    assert kinds(text) == [
        ("body", "省公安厅干警纷纷收看短视频，并交流了体会和做法，大家都说收获很大而且还要继续学习。")
    ]


def test_short_heading_like_piece_followed_by_a_broken_word_is_joined():
    text = "“短视频好。”\n\n省公安厅情报指挥中心副主\n\n任、党支部纪检委员作介绍。\n"
    assert kinds(text)[-1] == ("body", "省公安厅情报指挥中心副主任、党支部纪检委员作介绍。")


def test_headings_bylines_and_captions():
    text = (
        "## 山东省沂源县：\n\n# 整合优化资源 形成治理合力\n\n左效强\n\n近年来，山东省沂源县以党建为引领，夯实基层社会治理。\n\n"
        "上图：浙江省德清县搭建驿站，为新就业群体提供服务。王树成摄（人民视觉）\n\n▲从江县党员志愿者在基地帮助果农。\n"
    )
    got = blocks(text)
    assert [b.kind for b in got] == ["heading", "heading", "byline", "body", "caption", "caption"]
    assert got[4].separate and not got[5].separate


def test_report_byline_is_split_from_its_paragraph():
    got = blocks("**本报讯（周洁）**“街道每年都来看望。”桐梓县娄山关街道人才坦言。\n")
    assert [(b.kind, b.text) for b in got] == [
        ("byline", "本报讯（周洁）"),
        ("body", "“街道每年都来看望。”桐梓县娄山关街道人才坦言。"),
    ]


def test_a_stretch_printed_twice_is_read_once():
    para = "依托红色阵地，五华区在为新业态新就业群体提供基础保障的同时，积极探索个性化服务。"
    got = blocks(f"{para}\n\n另一段正文，写的是别的事情，也有不少内容。\n\n{para}\n")
    assert [b.text for b in got].count(para) == 1


def test_line_of_a_joined_piece():
    b = blocks("第一行的正文很长很长很长很长很长很长很长很长很长很长很长，没有结束\n\n第三行接着写完。\n")[0]
    assert b.line_at(0) == 1 and b.line_at(len(b.text) - 1) == 3


def test_sentences():
    assert sentences("甲。“乙！”丙") == ["甲。", "“乙！”", "丙"]


def test_a_byline_after_a_paragraph_broken_off_stays_a_byline():
    text = "打洛村种植了400余亩火龙果，菠萝蜜、柚子、西瓜等\n\n本报记者 戴振华 文/图\n\n（本报记者 程 焕整理）\n"
    assert [b.kind for b in blocks(text)] == ["body", "byline", "byline"]
    assert blocks(text)[0].text.endswith("西瓜等")
