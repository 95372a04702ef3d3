"""Lines that Hindi news sites put inside the article body but that are not the article.

Related-story links ("यह भी पढ़ें"), app and e-paper promos, share prompts, tag and keyword lines, "Web Title :"
footers, image credits and live-blog chrome all produce false alerts when matched as if they were news. The
built-in patterns are written against a *folded* line (nukta removed, chandrabindu as anusvara, no ZWJ/ZWNJ) so
that one spelling covers पढ़ें, पढ़ें and पढें; site patterns from profiles are tried on the line as published too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from worker.clean.text import comparable, devanagari_share, has_devanagari, join_paragraphs, split_paragraphs, squash
from worker.clean.title import SEPARATOR

# A bare "यह भी पढ़ें:" introduces the linked headlines on the next lines; they go with it, up to this many.
RELATED_FOLLOWERS_MAX = 5
RELATED_FOLLOWER_MAX_WORDS = 20
CHROME_LINE_MAX_CHARS = 160
TAG_LINE_MIN_COMMAS = 3
TAG_LINE_DEVANAGARI_MAX = 0.5
TAG_ITEM_MAX_WORDS = 4
# Menus and tag lists flattened into the body: this many lines in a row of at most two words each.
NAV_RUN_MIN = 4
NAV_LINE_MAX_WORDS = 2
DECORATION_MAX_CHARS = 30
SENTENCE_END = ("।", ".", "?", "!", "॥", '"', "'", "”", "’", ")")

_FLAGS = re.IGNORECASE
_MARKER = r"(?:पढें|पढे|पढिए|पढियें|पढ़ना न भूलें|देखें|देखिए|सुनें)"
RELATED_MARKER = re.compile(
    rf"^\W*(?:(?:यह|ये|इसे|इन्हें|इसको|इनको|यह खबर|ये खबर|ये खबरें|आप यह|आप ये)\s+भी\s+{_MARKER}"
    r"|(?:also|must)\s+read|read\s+(?:also|more)|और\s+पढें|जरूर\s+पढें|संबंधित\s+(?:खबरें|खबर|समाचार|लेख)"
    r"|related\s+(?:news|stories|articles?)|पढें\s*[:：\-–]|देखें\s*[:：\-–]|watch\s*[:：\-–])",
    _FLAGS,
)
_MONTH = (
    r"(?:जनवरी|फरवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
BARE_RELATED = re.compile(rf"^\W*(?:(?:यह|ये|इसे)\s+भी\s+{_MARKER}|also\s+read|read\s+also)\s*[:：\-–|]*\s*$", _FLAGS)

LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, _FLAGS)
    for pattern in (
        # app, e-paper, newsletter and social-follow promos
        r"डाउनलोड\s+(?:करें\s+)?\S+(?:\s+\S+)?\s+(?:ऐप|एप|app)(?:\s|$|[,।.])",
        r"(?:ऐप|एप|app)\s+(?:को\s+)?डाउनलोड",
        r"(?:पूरी\s+खबर|पढें\s+पूरी\s+खबर).{0,30}(?:ऐप|app)\s+पर",
        r"प्रीमियम\s+मेंबरशिप",
        r"(?:ई-पेपर|ईपेपर|e-paper|epaper).{0,60}(?:पढें|डाउनलोड|ऐप|app)",
        r"शॉर्ट\s+मे?ं?\s+जानें",
        r"(?:एंड्रॉएड|एंड्रॉयड|android|आईओएस|ios)\s+(?:ऐप|एप|app)",
        r"(?:फॉलो|फोलो)\s+(?:भी\s+)?कर\s+सकते",
        r"^(?:इस\s+)?खबर\s+को\s+सुनें",
        r"(?:पोस्ट\s+समाप्त|पोस्ट\s+आगे\s+बढें|post\s+ends|skip\s+\w+\s+post|end\s+of\s+\w+\s+post)",
        r"^(?:छोडिए|छोडें|छोडकर)\s+\S+\s+पोस्ट",
        r"^पोस्ट\s+\S+\s+समाप्त",
        r"तीसरे\s+पक्ष\s+की\s+सामग्री",
        r"बाहरी\s+साइटों\s+की\s+सामग्री",
        r"(?:whatsapp|व्हाट्सएप|व्हाट्सऐप|telegram|टेलीग्राम|टेलिग्राम|youtube|यूट्यूब)\s+(?:चैनल|channel|ग्रुप)",
        r"(?:google\s+news|गूगल\s+न्यूज)\s+पर",
        r"(?:हमें|हमसे)\s+.{0,40}(?:फॉलो|फोलो|लाइक|जुडें|ज्वाइन)\s+करें",
        r"^(?:follow\s+us|subscribe|सब्सक्राइब\s+करें|फॉलो\s+करें|यहाँ\s+क्लिक\s+करें|यहां\s+क्लिक\s+करें)\b",
        r"ताजा\s+(?:खबरें|खबर|अपडेट).{0,80}(?:के\s+लिए|पर)\s+.{0,40}(?:पढें|जुडें|डाउनलोड|फॉलो|लाइक)",
        r"ब्रेकिंग\s+न्यूज\s+हिंदी\s+में\s+सबसे\s+पहले\s+पढें",
        r"अब\s+किसी\s+और\s+की\s+जरूरत\s+नहीं",
        r"सिंडीकेट\s+फीड\s+से",
        # tag, keyword and byline footers
        r"^(?:tags?|टैग्स?|keywords?|कीवर्ड्स?|topics?|विषय)\s*[:：\-–]",
        r"^web\s*title\s*[:：\-–]",
        r"^(?:first\s+published|published\s+(?:at|on|by)|updated\s+(?:at|on)|last\s+updated|edited\s+by|"
        r"written\s+by|posted\s+by|reported\s+by|प्रकाशित|अपडेटेड|लेखक)\s*[:：\-–]",
        r"^[^।.]{2,40},\s*(?:संवाददाता|रिपोर्टर|ब्यूरो)$",
        r"^(?:रिपोर्ट|रिपोर्टर|इनपुट|input|inputs|with\s+inputs\s+from|report)\s*[:：\-–]\s*\S[^।]{0,40}$",
        r"^(?:by|द्वारा|curated\s+by|edited\s+by)\s*[:：\-–]?\s*\S.{0,50}$",
        rf"^[^।]{{0,60}}?(?:\w+,\s*)?"
        rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}},?)\s+\d{{4}}(?:[\s,]+\d{{1,2}}[:.]\d{{2}}.{{0,12}})?$",
        # image credits
        r"^[(\[]?\s*(?:फोटो|photo|image|pic|तस्वीर|चित्र|फाइल\s+फोटो|file\s+photo|प्रतीकात्मक\s+(?:फोटो|तस्वीर|चित्र)|"
        r"सांकेतिक\s+(?:फोटो|तस्वीर|चित्र)|image\s+source|photo\s+credit|फोटो\s+साभार|साभार|representational\s+image)"
        r"\s*(?:[:：\-–|]|credit|source|साभार|[)\]]|$)",
        # live-blog and video chrome
        r"^(?:live|लाइव)(?:\s+(?:updates?|अपडेट्स?|blog|ब्लॉग|tv|टीवी))?$",
        r"^(?:\d{1,2}:\d{2}\s*)?(?:play|watch)\s+video$",
        r"^\d{1,2}:\d{2}(?:\s*(?:am|pm))?(?:\s*ist)?$",
        r"^.{0,30}(?:कुछ\s+ही\s+क्षण|\d+\s+(?:सेकंड|मिनट|घंटे|घंटा|दिन))\s+पहले$",
        r"(?:ऐप|एप|app)\s+पर\s+(?:पढें|देखें)",
        r"(?:देखें\s+वीडियो|वीडियो\s+देखें|watch\s+video)",
        r"\|\s*(?:\S+\s+)?(?:हिंदी|हिन्दी|hindi|news|न्यूज)$",
        # advertising and share prompts that stand on a line of their own
        r"^(?:विज्ञापन|advertisement|ad|sponsored|स्क्रॉल\s+करें|scroll\s+to\s+continue.*|continue\s+reading.*)$",
        r"^(?:शेयर|share|शेयर\s+करें|share\s+this(?:\s+article|\s+story)?|कॉपी\s+लिंक|लिंक\s+कॉपी\s+करें|copy\s+link|"
        r"tweet|whatsapp|facebook|twitter|email|ईमेल|प्रिंट|print|comments?|कमेंट|कमेंट\s+करें|"
        r"listen\s+to\s+(?:this\s+)?(?:article|story|news)|खबर\s+सुनें|ऑडियो\s+सुनें|फॉन्ट\s+साइज|"
        r"follow|फॉलो|next|अगला\s+लेख|पिछला\s+लेख|ऐप\s+पर\s+पढें|read\s+in\s+app)$",
    )
)


def fold(line: str) -> str:
    """The line as the built-in patterns see it: no nukta, chandrabindu as anusvara, no joiners, NFC."""
    decomposed = unicodedata.normalize("NFD", line)
    folded = decomposed.replace("\u093c", "").replace("\u0901", "\u0902").replace("\u200d", "").replace("\u200c", "")
    return squash(unicodedata.normalize("NFC", folded))


def is_boilerplate(line: str, extra: Sequence[re.Pattern[str]] = ()) -> bool:
    """Whether one body line is site chrome rather than article text."""
    folded = fold(line)
    if RELATED_MARKER.search(folded) or _is_tag_line(line):
        return True
    short = len(folded) <= CHROME_LINE_MAX_CHARS or folded.casefold().startswith("web title")
    if short and any(pattern.search(folded) for pattern in LINE_PATTERNS):
        return True
    return any(pattern.search(line) or pattern.search(folded) for pattern in extra)


def _is_tag_line(line: str) -> bool:
    """A Latin keyword cloud ("Kim Jong Un, north korea, America") or a lone hashtag-like token ("budget2021").

    A Devanagari list of names may be a squad or a cabinet inside the story, so it counts as tags only at the
    end of the body (see ``_trim_trailing_tags``).
    """
    stripped = line.strip()
    if not has_devanagari(stripped) and " " not in stripped and not stripped.isdigit():
        return len(stripped) <= 40
    return devanagari_share(stripped) < TAG_LINE_DEVANAGARI_MAX and _is_comma_list(stripped)


def _is_comma_list(stripped: str) -> bool:
    if ":" in stripped:
        return False  # "भारतीय टीम: रोहित, विराट, ..." is a labelled list the story gives, not tags
    items = [item.strip() for item in re.split(r"[,،|]", stripped)]
    if len(items) <= TAG_LINE_MIN_COMMAS or stripped.endswith(SENTENCE_END):
        return False
    return all(0 < len(item.split()) <= TAG_ITEM_MAX_WORDS for item in items if item) and "।" not in stripped


def _drop_navigation_runs(paragraphs: list[str]) -> list[str]:
    """Without one-word lines and runs of NAV_RUN_MIN or more lines of one or two words (menus, tag lists)."""
    short = [len(p.split()) <= NAV_LINE_MAX_WORDS and not p.endswith(SENTENCE_END) for p in paragraphs]
    run_length = [0] * len(paragraphs)
    start = 0
    for index in range(len(paragraphs) + 1):
        if index == len(paragraphs) or not short[index]:
            for member in range(start, index):
                run_length[member] = index - start
            start = index + 1
    return [
        paragraph
        for paragraph, run in zip(paragraphs, run_length, strict=True)
        if run < NAV_RUN_MIN and not _is_one_word(paragraph)
    ]


def _is_one_word(paragraph: str) -> bool:
    return len(paragraph.split()) == 1 and not any(char.isdigit() for char in paragraph)


def _is_decorated_title(paragraph: str, key: str, title_key: str) -> bool:
    """The headline again with the site's name or a label around it ("बिजनेस स्टैंडर्ड - <headline>")."""
    if not title_key or title_key not in key or len(key) > len(title_key) + DECORATION_MAX_CHARS:
        return False
    return any(comparable(segment) == title_key for segment in SEPARATOR.split(paragraph))


def filter_paragraphs(
    paragraphs: Iterable[str], *, extra: Sequence[re.Pattern[str]] = (), title: str | None = None
) -> list[str]:
    """The paragraphs without boilerplate lines, the repeated headline, duplicates and Latin chrome at the edges."""
    kept: list[str] = []
    title_key = comparable(title) if title else ""
    seen: set[str] = {title_key} if title else set()
    followers = 0
    for paragraph in _drop_navigation_runs(list(paragraphs)):
        key = comparable(paragraph)
        if followers and _is_related_follower(paragraph):
            followers -= 1
            continue
        followers = RELATED_FOLLOWERS_MAX if BARE_RELATED.match(fold(paragraph)) else 0
        if not key or key in seen or _is_decorated_title(paragraph, key, title_key) or is_boilerplate(paragraph, extra):
            continue
        seen.add(key)
        kept.append(paragraph)
    return _trim_trailing_tags(_trim_latin_edges(kept))


def _is_related_follower(line: str) -> bool:
    # headlines end without a full stop; story sentences end with a danda (or, at BBC Hindi, a period)
    return len(line.split()) <= RELATED_FOLLOWER_MAX_WORDS and not line.rstrip().endswith(("।", "॥", "."))


def _trim_trailing_tags(paragraphs: list[str]) -> list[str]:
    """Without the keyword lists (in any script) that close the body: "पुतिन, किम जोंग उन, रूस, उत्तर कोरिया"."""
    end = len(paragraphs)
    while end > 1 and _is_comma_list(paragraphs[end - 1].strip()):
        end -= 1
    return paragraphs[:end]


def _trim_latin_edges(paragraphs: list[str]) -> list[str]:
    """On a Hindi body, leading and trailing paragraphs without any Devanagari are navigation or disclaimers."""
    if not any(has_devanagari(p) for p in paragraphs):
        return paragraphs
    start = next(i for i, p in enumerate(paragraphs) if has_devanagari(p))
    end = max(i for i, p in enumerate(paragraphs) if has_devanagari(p))
    return paragraphs[start : end + 1]


def drop_boilerplate_lines(
    text: str, patterns: Sequence[str | re.Pattern[str]] = (), *, title: str | None = None
) -> str:
    """``text`` (one paragraph per line or per blank-line block) without boilerplate, paragraphs blank-line separated.

    ``patterns`` are extra regular expressions (a site profile's ``drop_lines``); a line any of them finds is dropped.
    """
    extra = [re.compile(p, re.IGNORECASE) if isinstance(p, str) else p for p in patterns]
    return join_paragraphs(filter_paragraphs(split_paragraphs(text), extra=extra, title=title))
