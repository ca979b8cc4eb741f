"""Blind-index keys of a client's name, shared by writes (services) and searches (selectors)."""

from casework.crypto import blind_index, fold, phonetic, skeleton


def full_name_key(text: str) -> str:
    """Word order does not matter: 'Алишер Қодиров' finds 'Kodirov Alisher'."""
    return blind_index("full_name", " ".join(sorted(fold(text).split())))


def family_name_key(text: str) -> str:
    return blind_index("family_name", fold(text))


def name_keys(*, family_name: str, given_names: str, birth_year: int | None) -> dict[str, str]:
    year = str(birth_year or "")
    return {
        "full_name_bidx": full_name_key(f"{family_name} {given_names}"),
        "family_name_bidx": family_name_key(family_name),
        "skeleton_bidx": blind_index("skeleton", f"{skeleton(family_name)}|{year}"),
        "phonetic_bidx": blind_index("phonetic", f"{phonetic(family_name)}|{year}"),
    }
