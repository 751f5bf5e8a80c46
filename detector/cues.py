"""Explicit cues of advertising language, in the languages we read.

A line's own words carry the evidence that it is an ad even when it sits inside an article and
reads like prose; these cues name the commonest forms so that a few training examples suffice:
ad markers ("Anzeige", "Publicité", "Sponsored"), "read also" teaser openers, price-at-shop
buttons, coupon codes and discounts, calls to action, affiliate disclosures and newsletter
prompts. Each cue is a 0/1 column of the lexical view and of the first stage.

>>> [name for name, on in zip(CUE_NAMES, cue_vector("Use code SPRING20 for 20 % off at checkout.")) if on]
['cue_coupon', 'cue_discount']
>>> [name for name, on in zip(CUE_NAMES, cue_vector("$329 at HomeMart")) if on]
['cue_price_at_shop']
"""

from __future__ import annotations

import re

_MARKER = re.compile(
    r"^\W*(?:advertisement|advertising|ad|ads|sponsored(?: content| post| by .{0,40})?|paid (?:content|post)|"
    r"promoted|partner content|anzeige|werbung|gesponsert|sponsored post|publicité|publicite|contenu sponsorisé|"
    r"publicidad|patrocinado|contenido patrocinado|pubblicità|sponsorizzato|publicidade|advertentie|"
    r"gesponsord|reklama|reklam|annons|sponsrad|реклама|партнерский материал|sponzorováno|sponsorowane)\W*$",
    re.I,
)
_TEASER = re.compile(
    r"^\W*(?:see also|read (?:more|also|next)|related(?: stories| articles)?|also read|more from|more stories|"
    r"you may also like|recommended for you|lesen sie (?:auch|mehr|hier)|auch interessant|mehr zum thema|weiterlesen|"
    r"das könnte sie (?:auch )?interessieren|à lire (?:aussi|également)|lire aussi|voir aussi|sur le même sujet|"
    r"te puede interesar|lee también|leer más|ver también|también te puede interesar|leggi anche|potrebbe interessarti|"
    r"leia também|veja também|lees ook|zie ook|zobacz (?:też|także|również)|czytaj (?:też|także|więcej|również)|"
    r"čtěte (?:také|též|dále)|přečtěte si (?:také|též)?|související|läs (?:också|mer|även)|читайте (?:также|еще|ещё)|"
    r"смотрите также|по теме|ayrıca (?:okuyun|bakınız)|ilginizi çekebilir|bunlar da ilginizi)\b",
    re.I,
)
_PRICE = r"(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|eur|usd|zł|pln|kč|czk|kr|sek|₽|руб\.?|tl|₺))"
_PRICE_AT_SHOP = re.compile(
    _PRICE + r"\s+(?:at|from|bei|chez|en|su|na|w|u|på|hos|в|у|bij|da)\s+\w", re.I
)
_COUPON = re.compile(
    r"\b(?:coupon|promo ?code|discount code|voucher|use code|code\s+[A-Z0-9]{4,}|gutschein(?:code)?|rabattcode|"
    r"mit dem code|code promo|code de réduction|cupón|código(?: de descuento| promocional)?|codice(?: sconto)?|"
    r"kod(?: rabatowy| promocyjny)?|kupon|slevový kód|rabattkod|kortingscode|промокод|купон|indirim kodu|kupon kodu)\b",
    re.I,
)
_DISCOUNT = re.compile(
    r"\d\s?%\s?(?:off|rabatt|discount|de (?:réduction|remise|descuento)|sconto|de desconto|korting|zniżki|rabatu|"
    r"taniej|sleva|slevu|rabatt|скидк\w*|indirim)|(?:save|spare|sparen sie|économisez|ahorra|risparmia|oszczędź|"
    r"ušetřete|spara|сэкономьте)\s+(?:up to\s+|bis zu\s+|jusqu'à\s+|hasta\s+)?\d",
    re.I,
)
_CTA = re.compile(
    r"\b(?:shop now|buy now|order now|get (?:it|yours|the deal|the app)|click here|tap here|check (?:the )?price|"
    r"see (?:the )?(?:deal|price|offer)|sign up|subscribe now|join (?:now|today|free)|download the app|book now|"
    r"jetzt (?:kaufen|bestellen|sichern|zugreifen|abonnieren|testen|buchen|anmelden)|hier (?:klicken|bestellen)|"
    r"klicken sie hier|zum angebot|zum shop|cliquez ici|achetez|commandez|profitez|abonnez-vous|inscrivez-vous|"
    r"haz clic|compra ya|suscríbete|clicca qui|acquista ora|iscriviti|clique aqui|compre já|klik hier|bestel nu|"
    r"kliknij|kup teraz|zamów|zapisz się|klikněte|kupte|objednejte|klicka här|köp nu|beställ|нажмите|купите|"
    r"закажите|подпишитесь|tıklayın|hemen al|satın al|abone ol)\b",
    re.I,
)
_AFFILIATE = re.compile(
    r"(?:commission|affiliate|partnerlink|werbelink|provision|liens? affiliés?|lien sponsorisé|enlaces? de afiliad|"
    r"link affiliat|link de afiliad|partnerlinks?|prowizj|provizi|партнерск\w+ ссылк|komisyon|brought to you by|"
    r"präsentiert von|en partenariat avec|in collaborazione con)",
    re.I,
)
_NEWSLETTER = re.compile(
    r"(?:newsletter|nyhetsbrev|nieuwsbrief|biuletyn|рассылк|bülten|infolettre|boletín)", re.I
)

CUES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("cue_ad_marker", _MARKER, "match"),
    ("cue_teaser_opener", _TEASER, "match"),
    ("cue_price_at_shop", _PRICE_AT_SHOP, "search"),
    ("cue_coupon", _COUPON, "search"),
    ("cue_discount", _DISCOUNT, "search"),
    ("cue_call_to_action", _CTA, "search"),
    ("cue_affiliate", _AFFILIATE, "search"),
    ("cue_newsletter", _NEWSLETTER, "search"),
)
CUE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in CUES)
N_CUES = len(CUES)
MAX_CUE_CHARS = 600  # cues sit near the start of a line; long paragraphs are read this far


def cue_vector(line: str) -> list[float]:
    """One 0/1 value per cue in :data:`CUE_NAMES` for a line."""
    s = line.strip()[:MAX_CUE_CHARS]
    return [float(getattr(rx, how)(s) is not None) for _, rx, how in CUES]
