"""The City of Stockholm as it was organised in 2020: 14 district administrations."""

DISTRICTS_2020 = [
    ("Rinkeby-Kista", "rinkeby"),
    ("Spånga-Tensta", "spanga"),
    ("Hässelby-Vällingby", "hasselby"),
    ("Bromma", "bromma"),
    ("Kungsholmen", "kungsholmen"),
    ("Norrmalm", "norrmalm"),
    ("Östermalm", "ostermalm"),
    ("Södermalm", "sodermalm"),
    ("Enskede-Årsta-Vantör", "enskede"),
    ("Skarpnäck", "skarpnack"),
    ("Farsta", "farsta"),
    ("Älvsjö", "alvsjo"),
    ("Hägersten-Liljeholmen", "hagersten"),
    ("Skärholmen", "skarholmen"),
]

WORKERS_PER_DISTRICT = 4
