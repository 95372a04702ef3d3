"""Metadata: dates in the forms Hindi pages print them, titles without site decoration, datelines, profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from worker.clean import clean_html
from worker.clean.dateline import find_dateline
from worker.clean.dates import parse_date
from worker.clean.profiles import host_of, profile_for
from worker.clean.title import clean_title
from worker.config.models import SiteProfile

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-11-28T13:34:47+05:30", datetime(2020, 11, 28, 13, 34, 47, tzinfo=IST)),
        ("2024-09-03T20:46:01Z", datetime(2024, 9, 3, 20, 46, 1, tzinfo=UTC)),
        ("2020-06-28 16:41:11", datetime(2020, 6, 28, 16, 41, 11, tzinfo=IST)),
        ("Updated: Sat, 28 Nov 2020 01:34 PM (IST)", datetime(2020, 11, 28, 13, 34, tzinfo=IST)),
        ("28 नवंबर 2020", datetime(2020, 11, 28, tzinfo=IST)),
        ("प्रकाशित: शनिवार, 28 नवम्बर 2020 01:34 PM", datetime(2020, 11, 28, 13, 34, tzinfo=IST)),
        ("फ़रवरी 14, 2020", datetime(2020, 2, 14, tzinfo=IST)),
        ("१४ फरवरी २०२०", datetime(2020, 2, 14, tzinfo=IST)),
        ("09-03-2023 7:44 pm", datetime(2023, 3, 9, 19, 44, tzinfo=IST)),
    ],
)
def test_date_is_read_as_indian_pages_write_it(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["13:34", "सोमवार", "", "कहानी 123456789", "1850-01-01"])
def test_text_without_a_plausible_date_gives_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("title", "heading", "site", "suffixes", "expected"),
    [
        ("पुतिन-किम वार्ता - Dainik Jagran", "", "Dainik Jagran", (), "पुतिन-किम वार्ता"),
        ("पुतिन-किम वार्ता | Amar Ujala Hindi News", "", "Amar Ujala", (), "पुतिन-किम वार्ता"),
        ("बिजनेस स्टैंडर्ड - निर्यात गिरा", "निर्यात गिरा", None, (), "निर्यात गिरा"),
        ("हादसा:  तीन की मौत - Mainpuri News", "हादसा:तीन की मौत", "Dainik Bhaskar", (), "हादसा: तीन की मौत"),
        ("Road accident | हादसा: तीन की मौत - Mainpuri News", "हादसा:तीन की मौत", None, (), "हादसा: तीन की मौत"),
        ("शाह के बयान पर पलटवार- अनलॉक से बढ़े मामले", "", None, (), "शाह के बयान पर पलटवार- अनलॉक से बढ़े मामले"),
        ("मौसम का हाल : NDTV India", "", None, (" : NDTV India",), "मौसम का हाल"),
    ],
)
def test_title_loses_site_decoration(
    title: str, heading: str, site: str | None, suffixes: tuple[str, ...], expected: str
) -> None:
    assert clean_title(title, heading=heading, site_name=site, suffixes=suffixes) == expected


@pytest.mark.parametrize(
    ("paragraph", "place", "agency"),
    [
        ("व्लादीवोस्तक, रायटर। उत्तर कोरिया के नेता...", "व्लादीवोस्तक", "रायटर"),
        ("प्रयागराज, जेएनएन। आम आदमी पार्टी के...", "प्रयागराज", "जेएनएन"),
        ("जागरण संवाददाता, आगरा। गोवर्धन मठ के...", "आगरा", "जागरण संवाददाता"),
        ("नई दिल्ली, 28 नवंबर (भाषा) सरकार ने...", "नई दिल्ली", "भाषा"),
        ("नई दिल्ली: राजधानी दिल्ली में कोरोना...", "नई दिल्ली", None),
        ("वाराणसी। जनपद के 32 क्रय केंद्रों पर...", "वाराणसी", None),
        ("गोपालगंज, हिन्दुस्तान टीम। गंडक नदी पर...", "गोपालगंज", "हिन्दुस्तान टीम"),
        ("उत्तर कोरिया के सर्वोच्च नेता ने गुरुवार को कहा कि बातचीत जारी रहेगी।", None, None),
        ("दिल्ली, मुंबई और कोलकाता में बारिश हुई।", None, None),
    ],
)
def test_dateline_gives_place_and_agency(paragraph: str, place: str | None, agency: str | None) -> None:
    found = find_dateline(paragraph)
    assert (found.place, found.agency) == (place, agency)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.jagran.com/world/x.html", "jagran.com"),
        ("https://web.archive.org/web/20220721143833/https://hindi.oneindia.com/news/x.html", "hindi.oneindia.com"),
        ("https://HINDI.News18.com/news/", "hindi.news18.com"),
        (None, None),
    ],
)
def test_host_is_the_publishers_even_in_an_archive_copy(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


def test_every_publisher_of_the_brief_has_a_built_in_profile() -> None:
    hosts = [
        "jagran.com",
        "amarujala.com",
        "bhaskar.com",
        "navbharattimes.indiatimes.com",
        "livehindustan.com",
        "bbc.com",
        "ndtv.in",
        "aajtak.in",
        "abplive.com",
        "hindi.news18.com",
        "zeenews.india.com",
        "hindi.oneindia.com",
        "hindi.business-standard.com",
        "patrika.com",
        "prabhatkhabar.com",
        "jansatta.com",
    ]
    assert [host for host in hosts if profile_for(host).name is None] == []


def test_subdomain_uses_the_parent_domains_profile() -> None:
    assert profile_for("epaper.jagran.com").name == "Dainik Jagran"


def test_user_keep_selectors_replace_built_in_ones_and_drops_add_up() -> None:
    user = {"www.jagran.com": SiteProfile(keep=["div.story"], drop=["div.poll"], title_suffix=[" | JNN"])}
    profile = profile_for("jagran.com", user)
    assert profile.keep == ("div.story",)
    assert "div.poll" in profile.drop and "div.summary_art" in profile.drop
    assert " | JNN" in profile.title_suffix and " - Dainik Jagran" in profile.title_suffix


def test_user_profile_for_an_unknown_domain_applies() -> None:
    page = (
        "<html><body><div class='story'><p>"
        + "गांव में नया स्कूल खुला और बच्चों ने पहले दिन पढ़ाई शुरू की। " * 8
        + "</p><p>प्रायोजित: यह सामग्री विज्ञापन है।</p></div></body></html>"
    )
    sites = {"gaon.example.in": SiteProfile(keep=["div.story"], drop_lines=["^प्रायोजित"])}
    article = clean_html(page, url="https://gaon.example.in/a", sites=sites)
    assert (article.extracted_by, "प्रायोजित" in article.text) == ("profile", False)


def test_json_ld_gives_author_and_dates() -> None:
    page = """<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
     {"@type":"NewsArticle","headline":"संसद सत्र","datePublished":"2026-11-20T10:00:00+05:30",
      "dateModified":"2026-11-20T12:30:00+05:30","author":[{"@type":"Person","name":"रीना  शर्मा"}],
      "image":{"@type":"ImageObject","url":"https://img.example.in/a.jpg"}}]}
    </script></head><body><article><p>"""
    page += "संसद का सत्र आज शुरू हुआ और पहले दिन कई विधेयक पेश किए गए। " * 6 + "</p></article></body></html>"
    article = clean_html(page, url="https://news.example.in/a")
    assert (article.title, article.author, article.image) == ("संसद सत्र", "रीना शर्मा", "https://img.example.in/a.jpg")
    assert (article.published, article.updated) == (
        datetime(2026, 11, 20, 10, tzinfo=IST),
        datetime(2026, 11, 20, 12, 30, tzinfo=IST),
    )


def test_page_without_any_date_markup_uses_a_visible_hindi_date() -> None:
    page = (
        "<html><body><h1>मंडी में धान की आवक बढ़ी</h1><span class='publish-date'>अपडेटेड: 21 नवंबर 2026 07:05 PM</span>"
        "<div class='content'><p>" + "मंडी में धान की आवक बढ़ी और किसानों को अच्छे दाम मिले। " * 8 + "</p></div></body></html>"
    )
    assert clean_html(page, url="https://mandi.example.in/a").published == datetime(2026, 11, 21, 19, 5, tzinfo=IST)


def test_bad_css_selector_in_a_user_profile_is_skipped_not_fatal() -> None:
    # The config loader refuses such a profile; the cleaner still must not crash on one built another way.
    bad = SiteProfile.model_construct(keep=["div[", "div.story"], drop=["::bad"], drop_lines=[])
    profile = profile_for("jagran.com", {"jagran.com": bad})
    assert profile.keep == ("div.story",) and "::bad" not in profile.drop


def test_every_built_in_selector_is_valid_css() -> None:
    from worker.clean.profiles import builtin_profiles
    from worker.clean.tree import valid_selector

    selectors = {s for _, rules in builtin_profiles().values() for s in (*rules.keep, *rules.drop)}
    assert [s for s in sorted(selectors) if not valid_selector(s)] == []


def test_htmldate_supplies_a_publication_time_the_page_states_only_in_its_text() -> None:
    page = (
        "<html><body><h1>नगर निगम का बजट पास</h1><p>Posted on 2026-11-21 19:05:00</p><div><p>"
        + "नगर निगम की बैठक में वार्षिक बजट पास किया गया और कई नई योजनाओं को मंजूरी मिली। " * 6
        + "</p></div></body></html>"
    )
    assert clean_html(page, url="https://nagar.example.in/a").published == datetime(2026, 11, 21, 19, 5, tzinfo=IST)


def test_a_page_giving_only_a_day_has_no_publication_time() -> None:
    page = (
        "<html><body><h1>नगर निगम का बजट पास</h1><p>2026-11-21</p><div><p>"
        + "नगर निगम की बैठक में वार्षिक बजट पास किया गया और कई नई योजनाओं को मंजूरी मिली। " * 6
        + "</p></div></body></html>"
    )
    assert clean_html(page, url="https://nagar.example.in/a").published is None


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("LIVE फ्लाईओवर का लोकार्पण: CM ने किया उद्घाटन 0:52 Play video", "फ्लाईओवर का लोकार्पण: CM ने किया उद्घाटन"),
        ("भास्कर एक्सक्लूसिव ट्रस्ट का फैसला: कोई फीस नहीं 2:22 Play video", "ट्रस्ट का फैसला: कोई फीस नहीं"),
        ("ग्राउंड रिपोर्ट नया आश्रम: पौने 9 बीघा में बना", "नया आश्रम: पौने 9 बीघा में बना"),
        ("ग्राउंड रिपोर्ट: गांव में पानी नहीं", "ग्राउंड रिपोर्ट: गांव में पानी नहीं"),
        ("Live Updates: संसद में हंगामा", "Live Updates: संसद में हंगामा"),
        ("  अयोध्या में   जमीनी विवाद ", "अयोध्या में जमीनी विवाद"),
    ],
)
def test_headline_loses_badges_and_video_tails(headline: str, expected: str) -> None:
    from worker.clean import clean_headline

    assert clean_headline(headline) == expected


def test_dateline_after_a_standfirst_is_found_in_the_second_paragraph() -> None:
    from worker.clean.dateline import dateline_of

    standfirst = "स्वामी ने अफवाहों का खंडन किया - गोवर्धन मठ के स्वामी ने बात की।"
    found = dateline_of([standfirst, "जागरण संवाददाता, आगरा। स्वामी ने कहा..."])
    assert (found.place, found.agency) == ("आगरा", "जागरण संवाददाता")
