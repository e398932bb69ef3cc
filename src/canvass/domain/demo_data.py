"""Obviously synthetic people and places for demo campaigns.

Forenames are ordinary given names (several with letters beyond ASCII, so the
demo exercises fonts and search); every surname, street and town is made up
and reads as made up ("Testwell", "Sample Road", "Exampleton"), and postcodes
use the "ZZ" area, which does not exist, so no demo record looks like a real
person or address.
"""

from __future__ import annotations

import random
import uuid

FORENAMES = (
    "Siân",
    "Łukasz",
    "Zoë",
    "Aoife",
    "Dafydd",
    "Ffion",
    "Gwenllian",
    "Rhys",
    "Oisín",
    "Niamh",
    "Chiamaka",
    "Ngozi",
    "Yusuf",
    "Amira",
    "Bogdan",
    "Radosław",
    "Zuzanna",
    "Søren",
    "Björn",
    "Renée",
    "Thảo",
    "Minh",
    "Priya",
    "Arjun",
    "Mei",
    "Kenji",
    "Ada",
    "Alan",
    "Grace",
    "Tom",
    "Jade",
    "Ollie",
    "Ruby",
    "Leo",
    "Isla",
    "Sam",
    "Harriet",
    "Kwame",
    "Fatima",
    "Omar",
    "Maja",
    "Ines",
    "Mateus",
    "Eilidh",
    "Callum",
    "Ewan",
    "Morag",
    "Nia",
    "Tegan",
    "Iolo",
    "Bethan",
    "Hamish",
    "Chloé",
    "José",
)
_SURNAME_STEMS = (
    "Test",
    "Sample",
    "Mock",
    "Demo",
    "Example",
    "Placeholder",
    "Fixture",
    "Dummy",
    "Proto",
    "Synth",
    "Stub",
    "Specimen",
    "Pilot",
    "Draft",
    "Sandbox",
    "Fict",
)
_SURNAME_ENDS = (
    "well",
    "ford",
    "ridge",
    "by",
    "wick",
    "ley",
    "ton",
    "worth",
    "ham",
    "son",
    "field",
    "brook",
    "croft",
    "shaw",
    "more",
    "dale",
)
#: Non-ASCII surnames, kept obviously synthetic by their made-up second half.
_SPECIAL_SURNAMES = (
    "Nguyễn-Testwell",
    "Łódkowska-Sample",
    "Øvrebø-Mock",
    "ap Demowyn",
    "Ní Fhictley",
    "Müller-Stubford",
    "O'Placeholder",
    "Núñez-Example",
    "Ŵyn-Fixture",
    "Zoë-Dummett",
)
_STREET_STEMS = (
    "Sample",
    "Example",
    "Testbed",
    "Mockingbird",
    "Placeholder",
    "Fixture",
    "Prototype",
    "Sandbox",
    "Specimen",
    "Template",
    "Mockup",
    "Pilot",
    "Draft",
    "Stub",
    "Dummy",
    "Synthetic",
    "Fictional",
    "Imaginary",
    "Notional",
    "Pretend",
)
_STREET_TYPES = (
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Close",
    "Crescent",
    "Way",
    "Terrace",
    "Gardens",
    "Drive",
)
_HOUSE_NAMES = ("Rose Mock Cottage", "The Old Sample House", "Testbed Lodge", "Demo Villa")
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
TOWN = "Exampleton"
WARDS = ("Northmock", "Sampleside", "Testbridge", "Exampleton Central")
TITLES = ("Mr", "Ms", "Mrs", "Mx", "Dr", "Miss", "")


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from ``rng`` (the same seed gives the same ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def surname(rng: random.Random) -> str:
    """A made-up surname; about one in eight is one of the non-ASCII ones."""
    if rng.random() < 0.125:
        return rng.choice(_SPECIAL_SURNAMES)
    return rng.choice(_SURNAME_STEMS) + rng.choice(_SURNAME_ENDS)


def forenames(rng: random.Random) -> str:
    """One or sometimes two given names."""
    first = rng.choice(FORENAMES)
    if rng.random() < 0.2:
        return f"{first} {rng.choice(FORENAMES)}"
    return first


def street_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct made-up street names."""
    pool = [f"{s} {t}" for s in _STREET_STEMS for t in _STREET_TYPES]
    rng.shuffle(pool)
    names = pool[:count]
    extra = 2
    while len(names) < count:  # more streets than stems: number the extra ones
        names.extend(f"{n} {extra}" for n in pool[: count - len(names)])
        extra += 1
    return names


def postcode(district_no: int, rng: random.Random) -> str:
    """A postcode in the non-existent ZZ area, valid in form."""
    return (
        f"ZZ{district_no} {rng.randint(1, 9)}"
        f"{rng.choice(_POSTCODE_LETTERS)}{rng.choice(_POSTCODE_LETTERS)}"
    )


def house_name(rng: random.Random) -> str:
    """A made-up house name."""
    return rng.choice(_HOUSE_NAMES)
