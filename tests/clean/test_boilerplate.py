"""Boilerplate lines Hindi news sites put inside article bodies, and text that must survive next to them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from worker.clean import drop_boilerplate_lines, is_boilerplate

BOILERPLATE = [
    "शॉर्ट मे जानें सभी बड़ी खबरें और पायें ई-पेपर,ऑडियो न्यूज़,और अन्य सर्विस, डाउनलोड जागरण ऐप",
    "डाउनलोड करें जागरण एप और न्यूज़ जगत की सभी खबरों के साथ पायें जॉब अलर्ट",
    "यह भी पढ़ें: नदी किनारे बसे गांवों में बाढ़ का खतरा, प्रशासन ने जारी किया अलर्ट",
    "ये भी पढ़ें- मेट्रो के किराये में बढ़ोतरी नहीं होगी",
    "इसे भी पढ़ें",
    "Also Read: Monsoon session to begin next week",
    "Kim Jong Un, north korea, America, Vladimir Putin, russia",
    "budget2021",
    "Web Title : putin kim summit in vladivostok",
    "Tags: पुतिन, किम जोंग उन, रूस",
    "फोटो: सोशल मीडिया",
    "(फाइल फोटो)",
    "प्रतीकात्मक तस्वीर",
    "LIVE",
    "0:52 Play video",
    "कॉपी लिंक",
    "विज्ञापन",
    "Jagran.com अब whatsapp चैनल पर भी उपलब्ध है। आज ही फॉलो करें",
    "ताजा खबरें, अपडेट्स और समाचार विश्लेषण के लिए ज्वाइन करें हमारा टेलिग्राम चैनल",
    "पूरी खबर पढ़ें ऐप पर",
    "ज्योतिका ग्रोवर, संवाददाता",
    "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए आप यहां क्लिक कर सकते हैं. आप हमें फ़ेसबुक, ट्विटर, इंस्टाग्राम और यूट्यूब पर फ़ॉलो भी कर सकते हैं.)",
    "YouTube पोस्ट समाप्त, 1",
    "चेतावनी: तीसरे पक्ष की सामग्री में विज्ञापन हो सकते हैं.",
    "Publish Date: Sat, 28 Nov 2020 01:34 PM (IST)",
    "इस खबर को सुनें",
]

ARTICLE_TEXT = [
    "व्लादीवोस्तक, रायटर। पुतिन और किम की शिखर वार्ता रूस के बंदरगाह शहर में हुई।",
    "पुतिन ने 17 साल पहले किम के पिता से की थी वार्ता",
    "दिल्ली, मुंबई, कोलकाता, चेन्नई और बेंगलुरु में बारिश का अलर्ट जारी किया गया है।",
    "उन्होंने कहा, 'हम ऐप के जरिए किसानों तक पहुंचेंगे और उनकी फसल खरीदेंगे।'",
    "फोटो खिंचवाने के लिए समर्थकों की भीड़ लगी रही और पुलिस को व्यवस्था संभालनी पड़ी।",
    "लाइव प्रसारण के दौरान मंत्री ने नई योजना का एलान किया।",
    "2024",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_site_chrome_line_is_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ARTICLE_TEXT)
def test_article_sentence_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_related_headlines_after_a_bare_marker_go_with_it() -> None:
    text = "\n".join(
        [
            "किसानों ने मंडी में धरना दिया और समर्थन मूल्य बढ़ाने की मांग की।",
            "यह भी पढ़ें:",
            "गेहूं की खरीद में तेजी, पहले दिन चार टन की तौल",
            "मंडी समिति के अध्यक्ष ने कहा कि सभी किसानों का गेहूं खरीदा जाएगा।",
        ]
    )
    assert drop_boilerplate_lines(text) == (
        "किसानों ने मंडी में धरना दिया और समर्थन मूल्य बढ़ाने की मांग की।\n\n"
        "मंडी समिति के अध्यक्ष ने कहा कि सभी किसानों का गेहूं खरीदा जाएगा।"
    )


def test_site_patterns_drop_lines_the_built_in_ones_keep() -> None:
    text = "पहला वाक्य यहां है।\nसंपादक की पसंद: आज की पांच खबरें\nदूसरा वाक्य यहां है।"
    assert drop_boilerplate_lines(text, [re.compile(r"^संपादक की पसंद")]) == "पहला वाक्य यहां है।\n\nदूसरा वाक्य यहां है।"


def test_latin_navigation_at_the_edges_of_a_hindi_body_is_dropped() -> None:
    text = "Hindi News\nLocal\nसड़क हादसे में तीन लोगों की मौत हो गई।\nStock quotes are delayed by ten minutes"
    assert drop_boilerplate_lines(text) == "सड़क हादसे में तीन लोगों की मौत हो गई।"


def test_repeated_headline_and_duplicate_paragraphs_are_dropped() -> None:
    text = "बाढ़ से सौ गांव प्रभावित\nबाढ़ से सौ गांव प्रभावित हुए हैं।\nबाढ़ से सौ गांव प्रभावित हुए हैं।"
    assert drop_boilerplate_lines(text, title="बाढ़ से सौ गांव प्रभावित") == "बाढ़ से सौ गांव प्रभावित हुए हैं।"


def test_menu_flattened_into_the_body_is_dropped_as_a_run_of_short_lines() -> None:
    menu = "\n".join(["होम", "बाजार", "कंपनियां", "ताजा खबर", "विशेष"])
    story = "निर्यात में लगातार छठे महीने गिरावट दर्ज की गई है।"
    assert drop_boilerplate_lines(f"{menu}\n{story}") == story


def test_short_list_items_inside_the_story_survive() -> None:
    text = "आवेदन के लिए ये दस्तावेज जरूरी हैं:\nस्नातक की अंकतालिका\nनिवास प्रमाण पत्र\nआवेदन अगले सप्ताह से शुरू होंगे।"
    assert drop_boilerplate_lines(text).split("\n\n") == text.split("\n")


def test_headline_with_the_site_name_around_it_is_dropped() -> None:
    text = "बिजनेस स्टैंडर्ड - निर्यात में गिरावट जारी\nनिर्यात में गिरावट जारी रही और आयात भी घटा।"
    assert drop_boilerplate_lines(text, title="निर्यात में गिरावट जारी") == "निर्यात में गिरावट जारी रही और आयात भी घटा।"


@pytest.mark.parametrize(
    "line",
    [
        "जयपुरकुछ ही क्षण पहले",
        "जनसत्ता ऐप पर पढ़ें ताजा खबरें",
        "बजट पर मुख्यमंत्री का बयान, देखें वीडियो | वनइंडिया हिंदी",
        "शुभायन चक्रवर्ती / नई दिल्ली February 14, 2020",
        "By : एबीपी न्यूज़ डेस्क",
        "17 नवंबर 2026",
    ],
)
def test_bylines_timestamps_and_video_teasers_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


def test_one_word_section_labels_between_paragraphs_are_dropped() -> None:
    text = "सार\nमंडी में धान की खरीद शुरू हुई।\nविस्तार\nजिले के सभी केंद्रों पर किसानों की भीड़ रही।"
    assert drop_boilerplate_lines(text) == "मंडी में धान की खरीद शुरू हुई।\n\nजिले के सभी केंद्रों पर किसानों की भीड़ रही।"


def test_story_sentence_ending_in_a_period_after_related_links_survives() -> None:
    text = "\n".join(
        [
            "ये भी पढ़ें",
            "यूक्रेन संकट: अमेरिका को छोड़ रूस के साथ क्यों खड़े हैं ये देश",
            "रूसी सेना के इस जमावड़े में टैंक और गोला-बारुद तो है ही, उन्हें वायुसेना का भी सहयोग मिल रहा है.",
        ]
    )
    assert drop_boilerplate_lines(text) == text.split("\n")[-1]


def test_real_article_texts_lose_only_their_boilerplate(corpus_dir: Path) -> None:
    """Cleaned article texts of five publishers keep every line but repeats; a Jagran text loses its footer."""
    from worker.clean.boilerplate import filter_paragraphs
    from worker.clean.text import comparable, split_paragraphs

    dropped, texts = {}, {}
    for path in sorted((corpus_dir / "texts").glob("*.txt")):
        texts[path.name] = lines = split_paragraphs(path.read_text(encoding="utf-8"))
        kept = {comparable(line) for line in filter_paragraphs(lines)}
        dropped[path.name] = [line for line in lines if comparable(line) not in kept]
    jagran = "newspaper4k_hindi_article_jagran-agra.txt"
    # its last three lines: two "यह भी पढ़ें: <headline>" links and the WhatsApp-channel promo
    assert dropped.pop(jagran) == texts[jagran][-3:]
    assert {name: lines for name, lines in dropped.items() if lines} == {}


def test_real_news_excerpts_lose_only_their_web_title_and_tag_cloud(corpus_dir: Path) -> None:
    import json

    from worker.clean.boilerplate import filter_paragraphs
    from worker.clean.text import split_paragraphs

    dropped = []
    path = corpus_dir / "snippets" / "pages-corpus_leader-topic_snippets.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        lines = split_paragraphs(json.loads(line)["text"])
        kept = filter_paragraphs(lines)
        dropped += [text for text in lines if text not in kept]
    assert [text.startswith("Web Title") or text.startswith("Kim Jong Un, north korea") for text in dropped] == [
        True,
        True,
    ]


def test_hindi_list_of_names_inside_the_story_survives_but_a_closing_tag_list_does_not() -> None:
    squad = "टीम: विराट कोहली, रोहित शर्मा, शुभमन गिल, केएल राहुल, ऋषभ पंत"
    story = "चयनकर्ताओं ने दौरे के लिए टीम घोषित कर दी है।"
    tags = "पुतिन, किम जोंग उन, रूस, उत्तर कोरिया"
    assert drop_boilerplate_lines(f"{story}\n{squad}\n{story} दौरा अगले महीने शुरू होगा।\n{tags}").split("\n\n") == [
        story,
        squad,
        f"{story} दौरा अगले महीने शुरू होगा।",
    ]


def test_labelled_squad_list_closing_the_story_survives() -> None:
    text = "चयनकर्ताओं ने दौरे के लिए टीम घोषित कर दी है।\nभारतीय टीम: विराट कोहली, रोहित शर्मा, शुभमन गिल, केएल राहुल"
    assert drop_boilerplate_lines(text).split("\n\n") == text.split("\n")
