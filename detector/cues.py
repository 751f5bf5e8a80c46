"""Explicit cues of advertising language, in the languages we read.

A line's own words carry the evidence that it is an ad even when it sits inside an article and
reads like prose; these cues name the commonest forms so that a few training examples suffice:
ad markers ("Anzeige", "Publicité", "Sponsored"), "read also" teaser openers, price-at-shop
buttons, coupon codes and discounts, calls to action, affiliate disclosures and newsletter
prompts. Each cue is a 0/1 column of the lexical view and of the first stage.

Cues are looked up in sets of the line's lower-cased words and word pairs, which the feature
code has already made: a regular expression with a hundred alternatives cost 80 µs a line.

>>> on = lambda line: [n for n, v in zip(CUE_NAMES, cue_vector(line)) if v]
>>> on("Use code SPRING20 for 20 % off at checkout.")
['cue_coupon', 'cue_discount']
>>> on("$329 at HomeMart"), on("Lesen Sie auch: Neue Radwege"), on("Anzeige")
(['cue_price_at_shop'], ['cue_teaser_opener'], ['cue_ad_marker'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .text import WORD

_DIGIT = re.compile(r"\d")


def _phrases(text: str) -> frozenset[str]:
    """One phrase per line of ``text``, lower-cased, words joined by single spaces."""
    return frozenset(" ".join(WORD.findall(p.lower())) for p in text.strip().splitlines() if p.strip())


AD_MARKERS = _phrases("""
advertisement\nadvertising\nad\nads\nsponsored\nsponsored content\nsponsored post\npaid content\npaid post
promoted\npartner content\nanzeige\nwerbung\ngesponsert\nanzeigen\npublicité\npublicite\ncontenu sponsorisé
publicidad\npatrocinado\ncontenido patrocinado\npubblicità\nsponsorizzato\ncontenuto sponsorizzato
publicidade\nconteúdo patrocinado\nadvertentie\ngesponsord\nreklama\nreklam\nannons\nsponsrad\nреклама
партнерский материал\nsponzorováno\nsponsorowane\nartykuł sponsorowany\nkomerční sdělení
""")
TEASER_OPENERS = _phrases("""
see also\nread more\nread also\nread next\nalso read\nrelated\nrelated stories\nrelated articles\nmore from
more stories\nyou may also like\nrecommended for you\nlesen sie auch\nlesen sie mehr\nlesen sie hier\nauch interessant
mehr zum thema\nweiterlesen\ndas könnte sie\nà lire aussi\nlire aussi\nà lire également\nvoir aussi
sur le même sujet\nte puede interesar\nlee también\nleer más\nver también\nleggi anche\npotrebbe interessarti
leia também\nveja também\nlees ook\nzie ook\nzobacz też\nzobacz także\nzobacz również\nczytaj też\nczytaj także
czytaj więcej\nczytaj również\nčtěte také\nčtěte též\nčtěte dále\npřečtěte si\nsouvisející\nläs också\nläs mer
läs även\nчитайте также\nчитайте еще\nчитайте ещё\nсмотрите также\nпо теме\nayrıca okuyun\nayrıca bakınız
ilginizi çekebilir\nbunlar da ilginizi
you might also\nyou might like\nmore on this\nfurther reading\ndon t miss\nkeep reading\nrecommended reading
lies auch\nlies mehr\nauch lesenswert\nebenfalls lesenswert\npassend dazu\npassend zum\nmehr dazu\nauch spannend
ebenfalls interessant\ndas könnte dich\nempfehlung der redaktion\nhören sie auch\nhier weiterlesen
à voir aussi\na voir aussi\nà découvrir aussi\nlire également\nvoir également\nsur le même thème
vous aimerez aussi\nça pourrait vous\nlea también\nmira también\ntambién te puede\ntambién le puede
le puede interesar\nquizás te interese\nnoticias relacionadas\nsigue leyendo\nvedi anche\nleggi pure
ti potrebbe interessare\narticoli correlati\nda non perdere\nleia mais\nconfira também\nveja mais
você pode gostar\nler também\nleia ainda\nprzeczytaj też\nprzeczytaj także\nprzeczytaj również
warto przeczytać\nmoże cię zainteresować\nlees meer\nlees verder\nook interessant
bekijk ook\nook lezen\nmohlo by vás\nsouvisející články\nčtěte více\nse även\nläs vidare\ndu kanske också
читайте по теме\nеще по теме\nещё по теме\nтакже читайте\nilgili haberler\nbenzer haberler
""")
COUPON_WORDS = _phrases("""
coupon\ncoupons\npromo code\npromocode\ndiscount code\nvoucher\nuse code\ngutschein\ngutscheincode
rabattcode\ncode promo\ncode de réduction\ncupón\ncupon\ncódigo de\ncódigo promocional\ncodice sconto
kod rabatowy\nkod promocyjny\nkupon\nslevový kód\nslevovým kódem\nrabattkod\nkortingscode\nпромокод\nкупон
indirim kodu\nkupon kodu\nmit dem code
""")
CALLS_TO_ACTION = _phrases("""
shop now\nbuy now\norder now\nget it\nget yours\nclick here\ntap here\ncheck price\ncheck prices\nsee price
see deal\nview deal\nsee offer\nsign up\nsubscribe now\njoin now\njoin today\ndownload the app\nbook now
jetzt kaufen\njetzt bestellen\njetzt sichern\njetzt zugreifen\njetzt abonnieren\njetzt testen\njetzt buchen
jetzt anmelden\nhier klicken\nhier bestellen\nklicken sie\nzum angebot\nzum shop\ncliquez ici\nachetez
commandez\nprofitez\nabonnez vous\ninscrivez vous\nhaz clic\ncompra ya\nsuscríbete\nclicca qui\nacquista ora
iscriviti\nclique aqui\ncompre já\nklik hier\nbestel nu\nkliknij\nkup teraz\nzamów\nzapisz się\nklikněte
kupte\nobjednejte\nklicka här\nköp nu\nbeställ\nнажмите\nкупите\nзакажите\nподпишитесь\ntıklayın\nhemen al
satın al\nabone ol
""")
AFFILIATE_STEMS = (
    "commission", "affiliate", "partnerlink", "werbelink", "provision", "affilié", "affiliés", "afiliad",
    "affiliat", "prowizj", "provizi", "партнерск", "komisyon", "brought to you by", "präsentiert von",
    "en partenariat avec", "in collaborazione con",
)  # fmt: skip
NEWSLETTER_STEMS = (
    "newsletter", "nyhetsbrev", "nieuwsbrief", "biuletyn", "рассылк", "bülten", "infolettre", "boletín",
)  # fmt: skip
_AFFILIATE = re.compile("|".join(map(re.escape, AFFILIATE_STEMS)))
_NEWSLETTER = re.compile("|".join(map(re.escape, NEWSLETTER_STEMS)))
_PRICE_AT_SHOP = re.compile(
    r"(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|eur|usd|zł|pln|kč|czk|kr|sek|₽|руб\.?|tl|₺))"
    r"\s+(?:at|from|bei|chez|en|su|na|w|u|på|hos|в|у|bij|da)\s+\w",
)
_DISCOUNT = re.compile(
    r"\d\s?%\s?(?:off|rabatt|discount|de (?:réduction|remise|descuento)|sconto|de desconto|korting|zniżki|rabatu|"
    r"taniej|sleva|slevu|скидк\w*|indirim)|(?:save|spare|sparen sie|économisez|ahorra|risparmia|oszczędź|"
    r"ušetřete|spara|сэкономьте)\s+(?:up to\s+|bis zu\s+|jusqu'à\s+|hasta\s+)?\d",
)
# These patterns are lower-case and read lower-cased text, so they need no re.I (which cost
# 4 µs a line for the discount pattern alone).

CUE_NAMES: tuple[str, ...] = (
    "cue_ad_marker", "cue_teaser_opener", "cue_price_at_shop", "cue_coupon", "cue_discount",
    "cue_call_to_action", "cue_affiliate", "cue_newsletter",
)  # fmt: skip
N_CUES = len(CUE_NAMES)
MAX_CUE_CHARS = 600  # cues sit near the start of a line; long paragraphs are read this far


def cues(text: str, words: Sequence[str], phrases: Sequence[str], has_digit: bool = True) -> list[float]:
    """The cue columns of one line, given its lower-cased words and its word 1- and 2-grams."""
    low = text[:MAX_CUE_CHARS].lower()
    head = " ".join(words[:3])
    return [
        float(len(words) <= 4 and " ".join(words) in AD_MARKERS),
        float(
            bool(words)
            and (words[0] in TEASER_OPENERS or " ".join(words[:2]) in TEASER_OPENERS or head in TEASER_OPENERS)
        ),
        float(has_digit and _PRICE_AT_SHOP.search(low) is not None),
        float(not COUPON_WORDS.isdisjoint(phrases)),
        float(has_digit and _DISCOUNT.search(low) is not None),
        float(not CALLS_TO_ACTION.isdisjoint(phrases)),
        float(_AFFILIATE.search(low) is not None),
        float(_NEWSLETTER.search(low) is not None),
    ]


def cue_vector(line: str) -> list[float]:
    """One 0/1 value per cue in :data:`CUE_NAMES` for a line (the stand-alone form of :func:`cues`)."""
    s = line.strip()
    words = [w.lower() for w in WORD.findall(s[:MAX_CUE_CHARS])]
    return cues(s, words, [*words, *(a + " " + b for a, b in zip(words, words[1:]))], _DIGIT.search(s) is not None)
