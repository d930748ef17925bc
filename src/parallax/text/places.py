"""Countries and their capitals: the place names world news uses most, which the small English
spaCy model sometimes tags as persons or organisations ("Kyiv would believe ...").

A static list (short forms and common alternative spellings included), and the country each name
stands for when news prose uses it for a side ("Moscow denies ...").

>>> is_place("Kyiv"), is_place("Jens Stoltenberg"), country_of("Moscow"), country_of("Britain")
(True, False, 'russia', 'uk')
"""

from __future__ import annotations

# country: (other names of the country), capital(s) and other cities that stand for it in news prose
_TABLE = """
afghanistan: kabul
albania: tirana
algeria: algiers
andorra: andorra la vella
angola: luanda
argentina: buenos aires
armenia: yerevan
australia: canberra, sydney
austria: vienna
azerbaijan: baku
bahamas | the bahamas: nassau
bahrain: manama
bangladesh: dhaka
barbados: bridgetown
belarus: minsk
belgium: brussels
belize: belmopan
benin: porto-novo
bhutan: thimphu
bolivia: la paz, sucre
bosnia | bosnia and herzegovina: sarajevo
botswana: gaborone
brazil: brasilia, brasília
brunei: bandar seri begawan
bulgaria: sofia
burkina faso: ouagadougou
burundi: gitega
cambodia: phnom penh
cameroon: yaounde, yaoundé
canada: ottawa
cape verde: praia
central african republic: bangui
chad: n'djamena
chile: santiago
china: beijing
colombia: bogota, bogotá
comoros: moroni
congo | republic of the congo: brazzaville
democratic republic of the congo | dr congo | drc: kinshasa
costa rica: san jose
croatia: zagreb
cuba: havana
cyprus: nicosia
czech republic | czechia: prague
denmark: copenhagen
djibouti
dominican republic: santo domingo
ecuador: quito
egypt: cairo
el salvador: san salvador
equatorial guinea: malabo
eritrea: asmara
estonia: tallinn
eswatini | swaziland: mbabane
ethiopia: addis ababa
fiji: suva
finland: helsinki
france: paris
gabon: libreville
gambia | the gambia: banjul
georgia: tbilisi
germany: berlin
ghana: accra
greece: athens
guatemala: guatemala city
guinea: conakry
guinea-bissau: bissau
guyana: georgetown
haiti: port-au-prince
honduras: tegucigalpa
hungary: budapest
iceland: reykjavik
india: new delhi, delhi
indonesia: jakarta
iran: tehran
iraq: baghdad
ireland: dublin
israel: jerusalem, tel aviv
italy: rome
ivory coast | cote d'ivoire | côte d'ivoire: yamoussoukro, abidjan
jamaica: kingston
japan: tokyo
jordan: amman
kazakhstan: astana
kenya: nairobi
kosovo: pristina
kuwait: kuwait city
kyrgyzstan: bishkek
laos: vientiane
latvia: riga
lebanon: beirut
lesotho: maseru
liberia: monrovia
libya: tripoli
liechtenstein: vaduz
lithuania: vilnius
luxembourg
madagascar: antananarivo
malawi: lilongwe
malaysia: kuala lumpur
maldives: male
mali: bamako
malta: valletta
mauritania: nouakchott
mauritius: port louis
mexico: mexico city
moldova: chisinau
monaco
mongolia: ulaanbaatar
montenegro: podgorica
morocco: rabat
mozambique: maputo
myanmar | burma: naypyidaw, yangon
namibia: windhoek
nepal: kathmandu
netherlands | holland: amsterdam, the hague
new zealand: wellington
nicaragua: managua
niger: niamey
nigeria: abuja, lagos
north korea: pyongyang
north macedonia | macedonia: skopje
norway: oslo
oman: muscat
pakistan: islamabad
palestine | palestinian territories: ramallah, gaza
panama: panama city
papua new guinea: port moresby
paraguay: asuncion, asunción
peru: lima
philippines: manila
poland: warsaw
portugal: lisbon
qatar: doha
romania: bucharest
russia | russian federation: moscow, kremlin
rwanda: kigali
saudi arabia: riyadh
senegal: dakar
serbia: belgrade
sierra leone: freetown
singapore
slovakia: bratislava
slovenia: ljubljana
somalia: mogadishu
south africa: pretoria, cape town, johannesburg
south korea | korea: seoul
south sudan: juba
spain: madrid
sri lanka: colombo
sudan: khartoum
suriname: paramaribo
sweden: stockholm
switzerland: bern, geneva
syria: damascus
taiwan: taipei
tajikistan: dushanbe
tanzania: dodoma, dar es salaam
thailand: bangkok
togo: lome, lomé
trinidad and tobago: port of spain
tunisia: tunis
turkey | türkiye: ankara, istanbul
turkmenistan: ashgabat
uganda: kampala
ukraine: kyiv, kiev
united arab emirates | uae: abu dhabi, dubai
uk | united kingdom | britain | great britain | england | scotland | wales: london, downing street
us | u.s. | u.s | usa | u.s.a. | u.s.a | united states | united states of america | america: washington, white house, pentagon
uruguay: montevideo
uzbekistan: tashkent
vatican | vatican city | holy see
venezuela: caracas
vietnam: hanoi
yemen: sanaa, sana'a
zambia: lusaka
zimbabwe: harare
"""

# Regions, territories and continents: places, but none stands for one side (Crimea, for one, is claimed by two).
_REGIONS = frozenset(
    {
        "crimea", "donbas", "donbass", "donetsk", "luhansk", "lugansk", "kherson", "zaporizhzhia", "kharkiv",
        "kharkov", "odesa", "odessa", "mariupol", "bakhmut", "chechnya", "abkhazia", "transnistria", "gaza",
        "gaza strip", "west bank", "golan heights", "sinai", "idlib", "aleppo", "mosul", "raqqa", "kurdistan",
        "kashmir", "tibet", "xinjiang", "hong kong", "macau", "catalonia", "northern ireland", "darfur", "tigray",
        "sahel", "balkans", "siberia", "puerto rico", "guam", "greenland", "europe", "africa", "asia",
        "middle east", "latin america", "south america", "north america",
    }
)
# Seats of government stand for a country in prose but are organisations or buildings, not places.
_SEATS = frozenset({"kremlin", "white house", "pentagon", "downing street"})
# Place names that are as often people's names ("Jordan", "Chad", "Paris Hilton"): not places by
# themselves (``is_place`` says False); they still stand for their country in ``country_of``.
_AMBIGUOUS = frozenset({"jordan", "chad", "georgia", "sofia", "santiago", "kingston", "male", "paris", "israel",
                        "lima", "victoria", "niger", "georgetown", "nassau", "juba", "sucre", "sanaa"})
# Demonyms stand for a side ("Russian officials") but are not place names.
_DEMONYMS = {
    "russian": "russia", "ukrainian": "ukraine", "american": "us", "british": "uk", "chinese": "china",
    "french": "france", "german": "germany", "japanese": "japan", "iranian": "iran", "israeli": "israel",
    "turkish": "turkey", "indian": "india", "pakistani": "pakistan", "belarusian": "belarus", "syrian": "syria",
    "saudi": "saudi arabia", "egyptian": "egypt", "canadian": "canada", "australian": "australia",
    "taiwanese": "taiwan", "polish": "poland", "italian": "italy", "spanish": "spain", "mexican": "mexico",
    "palestinian": "palestine", "north korean": "north korea", "south korean": "south korea",
}
# Bodies that speak for several countries.
_BLOCS = {"brussels": "eu", "european union": "eu", "european commission": "eu", "eu": "eu"}


def _build() -> tuple[dict[str, str], frozenset[str]]:
    country: dict[str, str] = {}
    places: set[str] = set()
    for line in _TABLE.strip().splitlines():
        names, _, cities = line.partition(":")
        aliases = [n.strip() for n in names.split("|") if n.strip()]
        key = aliases[0]
        for name in [*aliases, *(c.strip() for c in cities.split(",") if c.strip())]:
            country.setdefault(name, key)
            if name not in _SEATS and name not in _AMBIGUOUS:
                places.add(name)
    country.update(_DEMONYMS)
    country.update(_BLOCS)
    return country, frozenset(places | _REGIONS)


_COUNTRY_OF, _PLACES = _build()


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split()).removeprefix("the ")


def is_place(name: str) -> bool:
    """Whether ``name`` is a country, a capital (or another city that stands for its country), or a region."""
    return _key(name) in _PLACES


def country_of(name: str) -> str | None:
    """The country (or bloc) a place, seat of government or demonym stands for, lower-case."""
    return _COUNTRY_OF.get(_key(name))

