"""Build the extraction gold set: each article of ``articles.py`` in its publisher's article markup.

Run ``python tests/data/extraction/build.py`` after editing; it writes ``<id>.html`` and ``<id>.json`` (the gold:
title and body paragraphs exactly as a reader sees them, plus the boilerplate lines the page carries that must
not survive). The markup follows each site's article pages: their containers, class names and the chrome they
put inside and around the story (related links, promos, share bars, tags, captions, live-blog badges).
"""

from __future__ import annotations

import html
import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from articles import ARTICLES  # noqa: E402

Article = dict[str, object]
Built = tuple[str, list[str]]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def paragraphs(article: Article) -> list[str]:
    return [str(p) for p in article["paragraphs"]]  # type: ignore[attr-defined]


def story(article: Article, *, heading: str = "h2", p_class: str = "") -> list[str]:
    """The story paragraphs as HTML blocks; "## " lines become subheadings."""
    cls = f' class="{p_class}"' if p_class else ""
    blocks = []
    for text in paragraphs(article):
        if text.startswith("* "):
            blocks.append(f"<ul><li>{esc(text[2:])}</li></ul>")
        elif text.startswith("## "):
            blocks.append(f"<{heading}>{esc(text[3:])}</{heading}>")
        else:
            blocks.append(f"<p{cls}>{esc(text)}</p>")
    return blocks


def head(article: Article, *, site: str, suffix: str, lang: str = "hi", extra: str = "") -> str:
    title, url, published = (str(article[key]) for key in ("title", "url", "published"))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{esc(title)}{esc(suffix)}</title>
<meta property="og:title" content="{esc(title)}{esc(suffix)}">
<meta property="og:site_name" content="{esc(site)}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:image" content="{esc(url.rsplit("/", 1)[0])}/images/lead.jpg">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{esc(url)}">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"pageType": "article"}});</script>
{extra}</head>"""


def interleave(blocks: list[str], inserts: dict[int, str]) -> str:
    out = []
    for index, block in enumerate(blocks):
        out.append(block)
        if index in inserts:
            out.append(inserts[index])
    return "\n".join(out)


def jagran(article: Article) -> Built:
    chrome = [
        "यह भी पढ़ें: बंदरगाह पर नई जेटी का काम शुरू, अगले साल तक होगी तैयार",
        "Jagran.com अब whatsapp चैनल पर भी उपलब्ध है। आज ही फॉलो करें और पाएं महत्वपूर्ण खबरें",
        "शॉर्ट मे जानें सभी बड़ी खबरें और पायें ई-पेपर,ऑडियो न्यूज़,और अन्य सर्विस, डाउनलोड जागरण ऐप",
    ]
    related = (
        '<p id="rel1"><div class="relativeNews"><figure><a href="/x"><img src="/r.jpg"></a></figure>'
        '<div class="h3"><a href="/x">सीमा पर बनेगी नई सड़क, दोनों देशों के इंजीनियर पहुंचे</a></div>'
        '<a class="nextRead" href="/x"> यह भी पढ़ें </a></div></p>'
    )
    figure = '<figure><img src="/p.jpg"><figcaption>फाइल फोटो</figcaption></figure>'
    body = interleave(story(article), {0: related + figure, 1: f"<p><strong>{esc(chrome[0])}</strong></p>"})
    page = f"""{head(article, site="Dainik Jagran", suffix=" - Dainik Jagran")}
<body><header><nav><a href="/">होम</a><a href="/news">राष्ट्रीय</a><a href="/world">दुनिया</a><a href="/epaper">ई-पेपर</a>
</nav></header><div class="breadcrumb"><a href="/">Hindi News</a> &gt; <a href="/world">World</a></div>
<h1>{esc(str(article["title"]))}</h1><div class="summary_art"><p>{esc(paragraphs(article)[0][:80])}...</p></div>
<div class="articleBody">
{body}
<p>{esc(chrome[1])}</p><p><a href="https://www.jagran.com/app">{esc(chrome[2])}</a></p></div>
<div class="tags"><span>Tags:</span><a>World</a><a>Asia</a></div>
<footer><p>Copyright © 2026 Jagran Prakashan Limited.</p></footer></body></html>"""
    return page, chrome


def amarujala(article: Article) -> Built:
    chrome = ["विज्ञापन", "अमर उजाला ऐप पर पढ़ें देश-दुनिया की ताजा खबरें", "Updated Sat, 21 Nov 2026 07:05 PM IST"]
    ad = '<div class="ad-container"><span class="ad-label">विज्ञापन</span><div id="div-gpt-ad-1"></div></div>'
    body = interleave(story(article), {0: ad, 1: "<p>विज्ञापन</p>"})
    page = f"""{head(article, site="Amar Ujala", suffix=" - Amar Ujala")}
<body class="lite"><div class="white-wrapper"><div class="container"><div class="row">
<ul class="breadcrumb"><li><a href="/">Hindi News</a></li><li><a href="/city">City</a></li></ul>
<section class="article-detail"><h1>{esc(str(article["title"]))}</h1>
<div class="author-box"><span>न्यूज डेस्क, अमर उजाला</span><span>Published by: स्वाति</span></div>
<div class="social-share"><a>Facebook</a><a>Twitter</a><a>Whatsapp</a><span>कॉपी लिंक</span></div>
<div class="auw_speak_body"><p class="date">{chrome[2]}</p>
{body}
<p class="promo_description hide-on-mobile-app">{esc(chrome[1])}</p>
</div><div class="also-read"><h3>ये भी पढ़ें</h3><a>शहर में नई पार्किंग नीति लागू</a></div>
<div class="tags-list"><a>Varanasi News</a><a>Uttar Pradesh</a></div></section></div></div></div>
<footer>Copyright © 2026 Amar Ujala Limited</footer></body></html>"""
    return page, chrome


def bhaskar(article: Article) -> Built:
    chrome = ["कॉपी लिंक", "पूरी खबर पढ़ें ऐप पर", "अधूरा नहीं! पढ़िए पूरा!", "घटनास्थल पर जुटी भीड़।"]
    # Bhaskar writes subheadings as a bold paragraph, not as <h2>
    blocks = [b.replace("<h2>", "<p><strong>").replace("</h2>", "</strong></p>") for b in story(article)]
    first, rest = blocks[0], blocks[1:]
    picture = f'<div class="f3e032cb"><picture></picture></div><div class="f46ba790"><span>{chrome[3]}</span></div>'
    title = str(article["title"])
    left, _, right = title.partition(": ")
    page = f"""{head(article, site="Dainik Bhaskar", suffix=" - Dainik Bhaskar")}
<body><div id="root"><div class="b434fabd"><article class="bf64dc76">
<div class="fba199c3"><ul><li><a href="/">Hindi News</a></li><li><a href="/local">Local</a></li>
<li>Bus Overturns On Highway</li></ul></div>
<div class="a88a1c42"><h1><span class="c599c552">{esc(left)}:</span>{esc(right)}</h1></div>
<div class="d1172d9b"><div class="edd8d071"><span>जयपुर</span><span>कुछ ही क्षण पहले</span></div>
<ul class="b8727832"><li><button class="react-share__ShareButton"></button></li>
<li><span>{chrome[0]}</span></li></ul></div>
<div class="f3e032cb"><picture><img src="/a.jpg"></picture></div><div class="f46ba790"><span>{chrome[3]}</span></div>
{first}
<div class="a5993508 paywallBlockedContent"><div>.</div>
{interleave(rest, {0: picture})}
</div><div class="ddb849c5"><h2><span>{chrome[2]}</span><span>पढ़ें पूरी खबर दैनिक भास्कर ऐप पर</span></h2>
<a class="d1da552e">{chrome[1]}</a><span>प्रीमियम मेंबरशिप है तो <a>लॉगिन करें</a></span></div>
</article></div></div></body></html>"""
    return page, chrome


def navbharattimes(article: Article) -> Built:
    chrome = [
        "Web Title : metro fare unchanged dmrc clarifies",
        "ये भी पढ़ें- कोहरे के कारण कई ट्रेनें देरी से चल रहीं",
        "लेटेस्ट न्यूज़ अपडेट्स के लिए नवभारत टाइम्स ऐप डाउनलोड करें",
    ]
    body = "<br><br>".join(esc(p) for p in paragraphs(article))
    page = f"""{head(article, site="Navbharat Times", suffix=" - Navbharat Times")}
<body><div id="app"><header class="nav_wrap"><a>होम</a><a>देश</a><a>मेट्रो</a><a>खेल</a></header>
<div class="article-section"><h1>{esc(str(article["title"]))}</h1>
<div class="source"><span>Curated by</span> <a>अमित शर्मा</a> | नवभारतटाइम्स.कॉम</div>
<div class="story-article"><div class="_s30J">{body}<br><br><strong>{esc(chrome[1])}</strong>
<div class="ad1"><span>Advertisement</span></div></div></div>
<div class="readmore_span">{esc(chrome[2])}</div>
<div class="seo-keywords">{esc(chrome[0])}</div></div></div></body></html>"""
    return page, chrome


def livehindustan(article: Article) -> Built:
    chrome = [
        "इसे भी पढ़ें: मौसम विभाग ने जारी किया कोहरे का अलर्ट",
        "Hindi News से जुड़े हर लेटेस्ट अपडेट के लिए Live Hindustan App डाउनलोड करें",
        "अगला लेख",
    ]
    body = interleave(story(article), {0: f'<p><a href="/x"><strong>{esc(chrome[0])}</strong></a></p>'})
    page = f"""{head(article, site="Live Hindustan", suffix=" - Live Hindustan")}
<body><header><ul class="menu"><li>होम</li><li>बिहार</li><li>करियर</li></ul></header>
<div class="stry-shr"><a>शेयर</a></div><h1>{esc(str(article["title"]))}</h1>
<div class="stry-bdy" id="storyBody">
{body}
</div><div class="stry-bdy-end"><p>{esc(chrome[1])}</p><a class="next">{esc(chrome[2])}</a></div>
<div class="rltd-stry"><h3>संबंधित खबरें</h3><a>पटना में नई बस सेवा</a></div></body></html>"""
    return page, chrome


def bbc(article: Article) -> Built:
    chrome = ["इमेज स्रोत,Getty Images", "इमेज कैप्शन, पहाड़ों पर जमी बर्फ़", "ये भी पढ़ें-"]
    figure = (
        '<figure><div><img src="/img.jpg"><p role="text"><span>इमेज स्रोत,</span>Getty Images</p></div>'
        "<figcaption><span>इमेज कैप्शन, </span>पहाड़ों पर जमी बर्फ़</figcaption></figure>"
    )
    blocks = [f'<div dir="ltr">{b}</div>' for b in story(article)]
    page = f"""{head(article, site="BBC News हिंदी", suffix=" - BBC News हिंदी")}
<body><header role="banner"><a>BBC News, हिंदी</a><nav><a>होम</a><a>भारत</a><a>विदेश</a></nav></header>
<main role="main"><header><h1 id="content">{esc(str(article["title"]))}</h1></header>
<time datetime="{article["published"]}">17 नवंबर 2026</time>
{interleave(blocks, {0: figure})}
<section aria-labelledby="related-content-heading"><h2 id="related-content-heading">{esc(chrome[2])}</h2>
<ul><li><a>नेपाल में भूस्खलन से सड़कें बंद</a></li></ul></section></main>
<footer><p>© 2026 BBC. बाहरी साइटों की सामग्री के लिए बीबीसी ज़िम्मेदार नहीं है.</p></footer></body></html>"""
    return page, chrome


def ndtv(article: Article) -> Built:
    chrome = [
        "(इस खबर को एनडीटीवी टीम ने संपादित नहीं किया है. यह सिंडीकेट फीड से सीधे प्रकाशित की गई है।)",
        "ये भी पढ़ें:",
        "सोने के दाम में लगातार तीसरे दिन गिरावट",
    ]
    page = f"""{head(article, site="NDTV India", suffix=" - NDTV India")}
<body><nav class="m-nv"><a>होम</a><a>देश</a><a>वीडियो</a></nav><h1 class="sp-ttl">{esc(str(article["title"]))}</h1>
<div class="pst-by"><span>Edited by: राहुल</span><span>India | नवंबर 06, 2026 10:20 AM IST</span></div>
<div class="sp-cn ins_storybody" itemprop="articleBody">
{interleave(story(article), {0: '<div class="ins_instory_dv"><div class="ins_instory_dv_cont">विज्ञापन</div></div>'})}
<p><b>{esc(chrome[1])}</b></p><p><a href="/x">{esc(chrome[2])}</a></p>
<p><a href="/y">बाजार में तेजी, सेंसेक्स चार सौ अंक चढ़ा</a></p>
<p><i>{esc(chrome[0])}</i></p></div>
<div class="sp-tags"><a>RBI</a><a>Repo Rate</a></div></body></html>"""
    return page, chrome


def aajtak(article: Article) -> Built:
    chrome = ["LIVE", "0:52 Play video", "ये भी पढ़ें: मौसम विभाग ने जारी किया भारी बारिश का अलर्ट"]
    video = f'<div class="video-box"><span class="live-badge">LIVE</span><p>{chrome[1]}</p></div>'
    body = interleave(story(article), {0: video, 1: f"<p><strong>{esc(chrome[2])}</strong></p>"})
    page = f"""{head(article, site="Aaj Tak", suffix=" - Aaj Tak")}
<body><header><a>आजतक</a><nav><a>होम</a><a>भारत</a></nav><span class="live-tv">LIVE TV</span></header>
<div class="story-heading"><h1>{esc(str(article["title"]))}</h1></div>
<div class="brand-detial-main"><span>आजतक ब्यूरो</span><span>नई दिल्ली, 15 नवंबर 2026,</span>
<span>अपडेटेड 8:00 AM IST</span></div>
<div class="story-with-main-sec"><div class="story-kicker"><h2>{esc(paragraphs(article)[0][:90])}</h2></div>
<div class="description">
{body}
</div></div><div class="story-tags"><span>टैग्स</span><a>असम बाढ़</a><a>सेना</a></div>
<div class="also-read"><h3>ये भी पढ़ें</h3><a>गुवाहाटी में स्कूल बंद</a></div></body></html>"""
    return page, chrome


def aajtak_live(article: Article) -> Built:
    """A live blog: a lede, then timestamped updates, each with its own share bar."""
    chrome = ["LIVE", "10:45 AM IST", "9:30 AM IST", "शेयर", "लाइव अपडेट्स"]
    texts = paragraphs(article)
    updates = []
    for index in range(1, len(texts), 2):
        stamp = chrome[1] if index == 1 else chrome[2]
        updates.append(
            f'<div class="live-blog-post"><span class="lb-time">{stamp}</span><h2>{esc(texts[index][3:])}</h2>'
            f'<p>{esc(texts[index + 1])}</p><div class="lb-share"><span>{chrome[3]}</span></div></div>'
        )
    page = f"""{head(article, site="Aaj Tak", suffix=" - Aaj Tak")}
<body><header><a>आजतक</a><nav><a>होम</a><a>चुनाव</a></nav><span class="live-tv">LIVE TV</span></header>
<div class="story-heading"><span class="live-badge">LIVE</span><h1>{esc(str(article["title"]))}</h1></div>
<div class="story-with-main-sec"><div class="description"><p>{esc(texts[0])}</p></div>
<div class="live-blog-wrap"><h3>{chrome[4]}</h3>{"".join(reversed(updates))}</div></div></body></html>"""
    return page, chrome


def abplive(article: Article) -> Built:
    chrome = ["Published at : 28 Nov 2026 09:00 AM (IST)", "Tags: UPI NPCI Digital Payment", "Read More"]
    page = f"""{head(article, site="ABP Live", suffix=" - ABP Live")}
<body><div class="uk-container"><nav><a>होम</a><a>टेक्नोलॉजी</a></nav>
<h1 class="article-title">{esc(str(article["title"]))}</h1>
<div class="abp-story-article article-data">
<div class="article-author"><span>By : एबीपी न्यूज़ डेस्क</span></div>
{interleave(story(article), {1: '<div class="readMore"><span>Read More</span><a>नए फोन की सेल आज से</a></div>'})}
<p>{esc(chrome[0])}</p>
<div class="article-tags abp-article-tags"><p>{esc(chrome[1])}</p></div>
</div></div></body></html>"""
    return page, chrome


def news18(article: Article) -> Built:
    chrome = [
        "ब्रेकिंग न्यूज़ हिंदी में सबसे पहले पढ़ें News18 हिंदी| आज की ताजा खबर, लाइव न्यूज अपडेट, पढ़ें सबसे विश्वसनीय "
        "हिंदी न्यूज़ वेबसाइट News18 हिंदी|",
        "Tags: Weather Update, Cold Wave, Snowfall",
        "FIRST PUBLISHED : November 29, 2026, 07:45 IST",
    ]
    page = f"""{head(article, site="News18 हिंदी", suffix=" - News18 हिंदी")}
<body><header><nav><a>होम</a><a>देश</a><a>राज्य</a></nav></header><h1>{esc(str(article["title"]))}</h1>
<div class="article-content-box" id="article_body">
<div class="auth-info">Written by: <a>पीयूष</a></div>
{interleave(story(article), {0: '<div class="also-read"><a>ये भी पढ़ें: दिल्ली में धुंध</a></div>'})}
<div class="news-tags tags"><p>{esc(chrome[1])}</p></div>
<p class="first-published">{esc(chrome[2])}</p>
<p class="footer-line">{esc(chrome[0])}</p></div></body></html>"""
    return page, chrome


def zeenews(article: Article) -> Built:
    chrome = ["पाठकों की पहली पसंद Zeenews.com/Hindi - अब किसी और की ज़रूरत नहीं", "Trending Photos"]
    page = f"""{head(article, site="Zee News", suffix=" | Zee News Hindi")}
<body><header><a>Zee News</a><nav><a>होम</a><a>देश</a><a>सेहत</a></nav></header>
<div class="trending"><h3>{chrome[1]}</h3><a>सर्दियों में क्या खाएं</a></div>
<h1>{esc(str(article["title"]))}</h1><div class="article_content field-name-body">
{"".join(story(article))}
<p><strong>{esc(chrome[0])}</strong></p></div>
<div class="tags"><a>Dengue</a><a>Delhi</a></div></body></html>"""
    return page, chrome


def oneindia(article: Article) -> Built:
    chrome = [
        "ताजा खबरें, अपडेट्स और समाचार विश्लेषण के लिए ज्वाइन करें हमारा टेलिग्राम चैनल",
        "बजट पर मुख्यमंत्री का बयान, देखें वीडियो | वनइंडिया हिंदी",
    ]
    blocks = story(article)
    related = '<div class="oi-articlepage-relatedlink"><a>राज्य में नई खेल नीति</a></div>'
    page = f"""{head(article, site="Oneindia Hindi", suffix=" - Oneindia Hindi")}
<body class="miniopera"><div id="containerMain"><section><div id="container"><section><article>
<h1 class="oneindia-article-heading">{esc(str(article["title"]))}</h1>
<div id="inner-article-wrapper"><div class="story" id="story"><div id="article-content-div">{blocks[0]}
<div class="cms-videos-wrapper"><div class="assigned_video"></div></div>
<div class="assigned_video_heading">{esc(chrome[1])}</div></div>
<div class="article_image"><div class="big-center-img"><img src="/i.jpg"></div></div>
<div class="article_middle">{interleave(blocks[1:], {0: related})}
<div class="tele-text"><p>{esc(chrome[0])}</p></div><div id="content_comments" class="content_comments"></div>
</div></div></div></article></section></div></section></div></body></html>"""
    return page, chrome


def business_standard(article: Article) -> Built:
    chrome = [
        "Stock quotes delayed by 10 minutes or more. All information provided is on as is basis.",
        "Get seamless access to Business Standard & WSJ.com starting at just Rs. 49/- per month*",
        "राजीव कुमार / नई दिल्ली November 15, 2026",
    ]
    cells = "".join(f'<p align="justify"><font size="3">{esc(p)}</font></p>' for p in paragraphs(article))
    nav = "".join(f"<td>{item}</td><td>|</td>" for item in ["होम", "बाजार", "कंपनियां", "अर्थव्यवस्था", "विशेष"])
    page = f"""{head(article, site="Business Standard", suffix="")}
<body><center><table width="100%"><tr><td>Sunday, November 15, 2026 09:30 PM English | हिंदी</td></tr>
<tr>{nav}</tr></table><table width="98%"><tr><td valign="top"><table width="100%"><tr>
<td colspan="2" width="600"><h1>{esc(str(article["title"]))}</h1><div class="byline">{esc(chrome[2])}</div>
{cells}</td></tr><tr><td><table><tr><td>सेंसेक्स</td><td>81,200</td></tr><tr><td>निफ्टी</td><td>24,800</td></tr></table>
</td></tr></table></td></tr></table>
<table><tr><td>{esc(chrome[1])}</td></tr><tr><td>* {esc(chrome[0])}</td></tr></table></center></body></html>"""
    return page, chrome


def patrika(article: Article) -> Built:
    chrome = ["Published on:", "16 Nov 2026 12:00 pm", "पत्रिका ऐप डाउनलोड करें और पाएं ताजा अपडेट"]
    page = f"""{head(article, site="Patrika News", suffix=" | Patrika News")}
<body><header><nav><a>होम</a><a>राजस्थान</a><a>जयपुर</a></nav></header><h1>{esc(str(article["title"]))}</h1>
<div class="story-date"><span>{chrome[0]}</span><span>{chrome[1]}</span></div>
<div class="complete-story">{"".join(story(article))}<p class="app-promo-line">{esc(chrome[2])}</p></div>
<div class="story-tags"><a>Jaipur News</a><a>Tourism</a></div></body></html>"""
    return page, chrome


def prabhatkhabar(article: Article) -> Built:
    chrome = [
        "Posted By: संवाददाता",
        "Prabhat Khabar App : देश, दुनिया, बिहार, झारखंड की ताजा खबरें पढ़ने के लिए डाउनलोड करें",
    ]
    elements = "".join(f'<div class="story-element story-element-text">{b}</div>' for b in story(article))
    page = f"""{head(article, site="Prabhat Khabar", suffix=" - Prabhat Khabar")}
<body><header><nav><a>होम</a><a>झारखंड</a><a>रांची</a></nav></header><h1>{esc(str(article["title"]))}</h1>
<div class="author"><p>{esc(chrome[0])}</p></div>
{elements}<div class="story-element"><p class="pk-app">{esc(chrome[1])}</p></div>
<div class="pk-tags tags"><a>Ranchi</a></div></body></html>"""
    return page, chrome


def jansatta(article: Article) -> Built:
    chrome = ["और पढ़ें", "जनसत्ता ऐप पर पढ़ें ताजा खबरें"]
    page = f"""{head(article, site="Jansatta", suffix=" - Jansatta")}
<body><header><nav><a>होम</a><a>राष्ट्रीय</a></nav></header><h1>{esc(str(article["title"]))}</h1>
<div class="wp-block-post-content" id="pcl-full-content">
{interleave(story(article), {0: '<div class="ie-network-commercial"><span>Advertisement</span></div>'})}
<p><a>{chrome[0]}</a></p><p>{esc(chrome[1])}</p></div>
<div class="tags jansatta-tags"><a>Supreme Court</a></div></body></html>"""
    return page, chrome


def app_shell(article: Article) -> Built:
    """A JavaScript app page: the story exists only in JSON-LD ``articleBody``, the markup is an empty shell."""
    body_text = "\n".join(paragraphs(article))
    node = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article["title"],
        "datePublished": article["published"],
        "articleBody": body_text,
        "author": {"@type": "Person", "name": "ब्यूरो"},
        "publisher": {"@type": "Organization", "name": "Haribhoomi"},
    }
    script = f'<script type="application/ld+json">{json.dumps(node, ensure_ascii=False)}</script>'
    chrome = ["Loading...", "हरिभूमि ऐप डाउनलोड करें"]
    page = f"""{head(article, site="Haribhoomi", suffix=" | Haribhoomi", extra=script)}
<body><div id="__next"><header><nav><a>होम</a><a>छत्तीसगढ़</a></nav></header>
<h1>{esc(str(article["title"]))}</h1><div class="story-body" data-hydrate="true"><p>{chrome[0]}</p></div>
<div class="app-banner"><p>{chrome[1]}</p></div></div></body></html>"""
    return page, chrome


def generic_latin1(article: Article) -> Built:
    """A site without a profile that labels its UTF-8 page ISO-8859-1 (header and meta)."""
    chrome = ["यह भी पढ़ें - उज्जैन में महाकाल लोक के दूसरे चरण का काम शुरू", "Tags: Indore Metro, Trial Run"]
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>{esc(str(article["title"]))} | Naidunia</title>
<meta property="article:published_time" content="{article["published"]}"></head>
<body><div class="header"><a>होम</a><a>मध्य प्रदेश</a><a>इंदौर</a></div><h1>{esc(str(article["title"]))}</h1>
<div class="article-body"><div class="content">
{interleave(story(article), {0: f'<p><a href="/x">{esc(chrome[0])}</a></p>'})}
</div><div class="keywords"><p>{esc(chrome[1])}</p></div></div></body></html>"""
    return page, chrome


TEMPLATES: dict[str, Callable[[Article], Built]] = {
    function.__name__: function
    for function in (
        jagran,
        amarujala,
        bhaskar,
        navbharattimes,
        livehindustan,
        bbc,
        ndtv,
        aajtak,
        aajtak_live,
        abplive,
        news18,
        zeenews,
        oneindia,
        business_standard,
        patrika,
        prabhatkhabar,
        jansatta,
        app_shell,
        generic_latin1,
    )
}
CONTENT_TYPES = {"generic_latin1": "text/html; charset=iso-8859-1"}
# Templates that are a page type rather than a publisher's layout, and whose publisher it is.
PUBLISHERS = {
    "aajtak_live": "aajtak",
    "app_shell": "haribhoomi (no profile)",
    "generic_latin1": "naidunia (no profile)",
}


def gold(article: Article, chrome: list[str]) -> dict[str, object]:
    return {
        "url": article["url"],
        "publisher": PUBLISHERS.get(str(article["template"]), article["template"]),
        "content_type": CONTENT_TYPES.get(str(article["template"])),
        "title": article["title"],
        "published": article["published"],
        "paragraphs": [p.removeprefix("## ").removeprefix("* ") for p in paragraphs(article)],
        "boilerplate": chrome,
    }


def main() -> None:
    for article in ARTICLES:
        page, chrome = TEMPLATES[str(article["template"])](article)
        (HERE / f"{article['id']}.html").write_text(page, encoding="utf-8")
        document = json.dumps(gold(article, chrome), ensure_ascii=False, indent=1)
        (HERE / f"{article['id']}.json").write_text(document + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
