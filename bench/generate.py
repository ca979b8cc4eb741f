#!/usr/bin/env python
"""Fill a separate PostgreSQL database with fictional NGO-network data for bench/run.py.

    .venv/bin/python bench/generate.py                 # full size: 1,000,000 cases (about 18 minutes on 2 cores)
    .venv/bin/python bench/generate.py --scale 0.01    # 10,000 cases, for a quick run

The database (default `casework_bench`, from --database-url or BENCH_DATABASE_URL) is dropped,
created and migrated with `manage.py migrate`; only a database whose name contains "bench" is ever
dropped. Rows go in with COPY, built in worker processes over every core, because encrypting each
personal field with casework.crypto.encrypt (about 60 µs a value here) is most of the work. Blind
indexes come from casework.clients.names.name_keys, deadlines and waiting proposals from the deadline
engine, reminders as casework.deadlines.services.reminders_schedule arms them, each case's next deadline
(Case.next_due_date) from its open deadlines and proposals: the data is what the app would write.

Every person, organisation and story here is invented. Keys: bench/out/keys.env (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

# --- The shape of the network at --scale 1 ----------------------------------------------------------

FULL_CASES = 1_000_000
FULL_CLIENTS = 200_000
FULL_GRANTS = 4_000  # shares between partner organisations and with named users
BENCH_ORG_CASES = 25_000  # what the bench coordinator sees (plus cases shared with the organisation)
CASES_PER_CASEWORKER = 400  # so the bench caseworker has a few hundred
CASES_PER_EMPLOYER = 8  # wage cases per employer record
CHUNK_CASES = 2_000
CHUNK_CLIENTS = 2_000
SENSITIVE_PER_MILLE = 20
PROPOSAL_CASES_PER_MILLE = 20  # non-closed cases with 1–2 proposals waiting on one of their events
PROPOSAL_MAX_AGE_DAYS = 14  # how long ago they were made (their event recorded)

ORGANISATIONS = [  # (name, slug, country); the first is the bench organisation
    ("Civic Shelter Moscow", "civic-shelter", "RU"),
    ("Volga Refugee Aid", "volga-aid", "RU"),
    ("Ural Migrant Rights", "ural-rights", "RU"),
    ("Neva Legal Clinic", "neva-clinic", "RU"),
    ("Siberian Labour Watch", "siberia-labour", "RU"),
    ("Caucasus Protection Network", "caucasus-net", "RU"),
    ("Don Wage Justice", "don-wages", "RU"),
    ("Kazan Migrant Help", "kazan-help", "RU"),
    ("Steppe Rights Bureau", "steppe-rights", "KZ"),
    ("Almaty Labour Migrants", "almaty-labour", "KZ"),
    ("Bishkek Legal Aid", "bishkek-aid", "KG"),
    ("Dushanbe Migration Centre", "dushanbe-centre", "TJ"),
    ("Tashkent Returnees", "tashkent-returnees", "UZ"),
    ("Yerevan Asylum Support", "yerevan-asylum", "AM"),
    ("Baku Detention Monitor", "baku-monitor", "AZ"),
    ("Tbilisi Refugee Law", "tbilisi-law", "GE"),
    ("Chisinau Border Aid", "chisinau-aid", "MD"),
    ("Kyiv Migrant Defence", "kyiv-defence", "UA"),
    ("Minsk Human Rights Desk", "minsk-desk", "BY"),
    ("Ashgabat Watch in Exile", "ashgabat-watch", "RU"),
]
JURISDICTION_CODES = ["RU", "KZ", "KG", "TJ", "UZ", "TM", "BY", "AM", "AZ", "GE", "MD", "UA"]
CASE_TYPES = [("asylum", 35), ("deportation", 30), ("unpaid_wages", 35)]

# (Cyrillic, [Latin spellings]) — the same person is written both ways in passports, court papers and notes.
FAMILY_NAMES = [
    ("Қодиров", ["Kodirov", "Qodirov"]), ("Юсупов", ["Yusupov", "Iusupov"]), ("Каримов", ["Karimov"]),
    ("Рахимов", ["Rakhimov", "Rahimov"]), ("Назаров", ["Nazarov"]), ("Турсунов", ["Tursunov"]),
    ("Умаров", ["Umarov"]), ("Мирзоев", ["Mirzoev", "Mirzoyev"]), ("Шарипов", ["Sharipov"]),
    ("Холматов", ["Kholmatov", "Xolmatov"]), ("Жураев", ["Juraev", "Djuraev", "Jurayev"]),
    ("Исмоилов", ["Ismoilov", "Ismailov"]), ("Абдуллаев", ["Abdullaev", "Abdullayev"]), ("Хасанов", ["Khasanov", "Hasanov"]),
    ("Эргашев", ["Ergashev"]), ("Саидов", ["Saidov"]), ("Махмудов", ["Makhmudov", "Mahmudov"]), ("Азимов", ["Azimov"]),
    ("Рустамов", ["Rustamov"]), ("Файзуллаев", ["Fayzullaev", "Faizullaev"]), ("Тошпулатов", ["Toshpulatov", "Tashpulatov"]),
    ("Бобоев", ["Boboev", "Boboyev"]), ("Давлатов", ["Davlatov"]), ("Сафаров", ["Safarov"]), ("Шукуров", ["Shukurov"]),
    ("Ходжаев", ["Khodjaev", "Xojaev", "Khodzhaev"]), ("Қурбонов", ["Kurbonov", "Qurbonov"]), ("Нурматов", ["Nurmatov"]),
    ("Асанов", ["Asanov"]), ("Токтогулов", ["Toktogulov"]), ("Бакиев", ["Bakiev", "Bakiyev"]),
    ("Жумабеков", ["Zhumabekov", "Jumabekov"]), ("Осмонов", ["Osmonov"]), ("Садыков", ["Sadykov", "Sadikov"]),
    ("Нурланов", ["Nurlanov"]), ("Сейткали", ["Seitkali", "Seytkali"]), ("Жаксылыков", ["Zhaksylykov"]),
    ("Омаров", ["Omarov"]), ("Ахметов", ["Akhmetov", "Ahmetov"]), ("Григорян", ["Grigoryan", "Grigorian"]),
    ("Саргсян", ["Sargsyan", "Sargsian"]), ("Петросян", ["Petrosyan", "Petrosian"]),
    ("Ованнисян", ["Hovhannisyan", "Ovannisyan"]), ("Арутюнян", ["Harutyunyan", "Arutyunyan"]),
    ("Мамедов", ["Mamedov", "Mammadov"]), ("Алиев", ["Aliev", "Aliyev"]), ("Гусейнов", ["Guseinov", "Huseynov"]),
    ("Гасанов", ["Gasanov"]), ("Беридзе", ["Beridze"]), ("Гелашвили", ["Gelashvili"]),
    ("Кварацхелия", ["Kvaratskhelia"]), ("Майсурадзе", ["Maisuradze"]), ("Шевченко", ["Shevchenko"]),
    ("Коваленко", ["Kovalenko"]), ("Бондаренко", ["Bondarenko"]), ("Лукашевич", ["Lukashevich"]),
    ("Руснак", ["Rusnak"]), ("Чебан", ["Ceban", "Cheban"]), ("Иванов", ["Ivanov"]), ("Кузнецов", ["Kuznetsov"]),
    ("Кадыров", ["Kadyrov"]), ("Магомедов", ["Magomedov"]), ("Исаев", ["Isaev", "Isayev"]),
    ("Ахмади", ["Ahmadi"]), ("Хайдари", ["Haidari", "Haydari"]), ("Хоссейни", ["Hosseini", "Husseini"]),
]
MALE_NAMES = [
    ("Алишер", ["Alisher"]), ("Рустам", ["Rustam"]), ("Фаррух", ["Farrukh", "Farrux"]), ("Шерзод", ["Sherzod"]),
    ("Бахтиёр", ["Bakhtiyor", "Baxtiyor"]), ("Дилшод", ["Dilshod"]), ("Жасур", ["Jasur", "Zhasur"]),
    ("Улугбек", ["Ulugbek"]), ("Азамат", ["Azamat"]), ("Нурлан", ["Nurlan"]), ("Арман", ["Arman"]), ("Тимур", ["Timur"]),
    ("Руслан", ["Ruslan"]), ("Ахмад", ["Ahmad", "Akhmad"]), ("Мухаммад", ["Muhammad", "Mukhammad"]),
    ("Давид", ["David"]), ("Георгий", ["Giorgi", "Georgiy"]), ("Армен", ["Armen"]), ("Эльдар", ["Eldar"]),
    ("Ислам", ["Islam"]), ("Сергей", ["Sergei", "Sergey"]), ("Олег", ["Oleg"]), ("Абдулла", ["Abdulla", "Abdullah"]),
    ("Карим", ["Karim"]), ("Бекзод", ["Bekzod"]), ("Икром", ["Ikrom", "Ikram"]),
]
FEMALE_NAMES = [
    ("Мадина", ["Madina"]), ("Нигора", ["Nigora"]), ("Дильноза", ["Dilnoza"]), ("Гульнара", ["Gulnara"]),
    ("Айгуль", ["Aigul", "Aygul"]), ("Зарина", ["Zarina"]), ("Малика", ["Malika"]), ("Шахноза", ["Shakhnoza", "Shahnoza"]),
    ("Наргиза", ["Nargiza"]), ("Анна", ["Anna"]), ("Нино", ["Nino"]), ("Ануш", ["Anush"]), ("Лейла", ["Leyla", "Leila"]),
    ("Фатима", ["Fatima"]), ("Ольга", ["Olga"]), ("Севара", ["Sevara"]), ("Мохира", ["Mokhira", "Mohira"]),
    ("Асель", ["Asel"]), ("Айнура", ["Ainura", "Aynura"]),
]
STAFF_FIRST = ["Anna", "Elena", "Marina", "Olga", "Irina", "Dmitry", "Pavel", "Aigerim", "Nodira", "Gayane", "Tamar",
               "Svetlana", "Alexei", "Natalia", "Zhanna", "Kamila", "Vera", "Ilya", "Lilit", "Oksana"]
STAFF_LAST = ["Petrova", "Smirnova", "Volkova", "Orlov", "Sokolov", "Nurlanova", "Karimova", "Avetisyan",
              "Kapanadze", "Melnik", "Zaitseva", "Belova", "Grin", "Tkachenko", "Popescu", "Morozova"]
NATIONALITIES = [("Uzbekistan", "Uzbek, Russian"), ("Tajikistan", "Tajik, Russian"), ("Kyrgyzstan", "Kyrgyz, Russian"),
                 ("Afghanistan", "Dari, Pashto"), ("Syria", "Arabic"), ("Ukraine", "Ukrainian, Russian"),
                 ("Armenia", "Armenian"), ("Azerbaijan", "Azerbaijani"), ("Georgia", "Georgian"),
                 ("Turkmenistan", "Turkmen, Russian"), ("Kazakhstan", "Kazakh, Russian"), ("DR Congo", "French, Lingala")]
CITIES = ["г. Москва", "г. Санкт-Петербург", "г. Екатеринбург", "г. Казань", "г. Новосибирск", "г. Алматы", "г. Бишкек",
          "г. Ереван", "Tbilisi", "Chisinau"]
STREETS = ["ул. Садовая", "ул. Ленина", "пр. Мира", "ул. Строителей", "ул. Заводская", "Rustaveli Ave", "ул. Абая"]
EVENT_NOTES = [
    "", "", "", "", "",
    "Decision served without an interpreter.", "Копия решения получена на руки.", "Client called from the detention centre.",
    "Документы переданы адвокату.", "Hearing postponed at the court's request.", "Employer refuses to answer calls.",
    "Клиент опасается преследования по возвращении.", "UNHCR informed by letter.", "Passport still held by the foreman.",
]
MANUAL_DEADLINE_TITLES = [
    "Submit the translated documents", "Представить справку из посольства", "Court-ordered reply to the ministry",
    "Collect the medical report", "Ответ на запрос прокуратуры", "Renew the registration at the migration office",
]
NOTE_TEXTS = [
    "Interview notes: the client describes two detentions in 2019 and 2021.",
    "Беседа с клиентом: опасается возвращения, родственники получают угрозы.",
    "Wage calculation checked with the client; the foreman paid cash only for March.",
    "Client asked us not to call after 18:00.", "Письмо в ФМС подготовлено, ждём подписи клиента.",
]
FORUMS = ["Басманный районный суд г. Москвы", "Московский городской суд", "Верховный Суд РФ", "Ministry of Internal Affairs",
          "Ленинский районный суд г. Екатеринбурга", "Административный суд г. Алматы"]
REQUESTING_STATES = ["Uzbekistan", "Tajikistan", "Turkmenistan", "Kyrgyzstan", "Kazakhstan", "Belarus", "Azerbaijan"]
COUNTRY_OF_ORIGIN = ["Afghanistan", "Syria", "Uzbekistan", "Tajikistan", "Turkmenistan", "DR Congo", "Eritrea", "Yemen"]
DETENTION_PLACES = ["ЦВСИГ №1, г. Москва", "СИЗО-1, г. Екатеринбург", "Центр временного содержания, г. Казань", ""]
CHARGES = ["ст. 159 УК Республики Узбекистан (мошенничество)", "ст. 307 УК Республики Таджикистан (экстремизм)",
           "Membership of a banned religious organisation", ""]
EMPLOYER_NAMES = ["ООО «СтройИнвест»", "ООО «Агро-Юг»", "ИП Сидоров", "ООО «Северный терминал»", "АО «ТрансЛогистик»",
                  "ООО «ЧистоГрад»", "Teplichny Kombinat LLC", "ООО «Рынок Садовод»", "ООО «МонолитСтрой»"]
CURRENCY = {"RU": "RUB", "KZ": "KZT", "KG": "KGS", "TJ": "TJS", "UZ": "UZS", "BY": "BYN", "AM": "AMD", "AZ": "AZN",
            "GE": "GEL", "MD": "MDL", "UA": "UAH", "TM": "USD"}
EVENT_KINDS_BY_TYPE = {
    "asylum": ["arrival", "application_lodged", "interview", "decision_served", "appeal_lodged", "appeal_rejected",
               "hearing", "court_decision_final_form", "final_domestic_decision", "other"],
    "deportation": ["detained", "expulsion_ruling_received", "extradition_decision_notified", "removal_scheduled",
                    "interim_measure_requested", "interim_measure_decided", "court_ruling_issued", "appeal_lodged",
                    "released", "hearing", "final_domestic_decision", "other"],
    "unpaid_wages": ["dismissed", "wages_due", "claim_filed", "payment_received", "hearing", "court_decision_in_force",
                     "final_domestic_decision", "other"],
}
# Base 27 (lib.references.REFERENCE_ALPHABET); an affine map of the id gives unique, random-looking references.
REFERENCE_SPACE = 27 ** 9
REFERENCE_MULTIPLIER = 5_915_587_277  # not a multiple of 3, so the map is a bijection of the reference space


# --- The state workers share (set before the pool forks) ---------------------------------------------


@dataclass
class Layout:
    scale: float
    seed: int
    now: datetime.datetime
    today: datetime.date
    tz: ZoneInfo
    n_cases: int
    n_clients: int
    orgs: list[dict] = field(default_factory=list)  # id, country, group_id, holders (user ids), admin_id
    case_org: list[int] = field(default_factory=list)  # index by case id → org index
    client_org: list[int] = field(default_factory=list)
    clients_of: list[list[int]] = field(default_factory=list)  # org index → client ids
    employers_of: list[list[int]] = field(default_factory=list)
    employer_org: list[int] = field(default_factory=list)
    trigger_options: dict = field(default_factory=dict)  # (jurisdiction, case_type) → [(kind, rule_id, days)]
    specs: dict = field(default_factory=dict)  # table key → (db_table, [columns])


L: Layout | None = None


def _fmt(value) -> str:
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    return str(value)  # int, date, aware datetime: all in a form PostgreSQL reads


def _line(row) -> str:
    return "\t".join(map(_fmt, row)) + "\n"


class Rows:
    """COPY text per table for one chunk."""

    def __init__(self):
        self.data: dict[str, list[str]] = {}

    def add(self, key: str, row) -> None:
        self.data.setdefault(key, []).append(_line(row))

    def result(self) -> dict[str, str]:
        return {key: "".join(lines) for key, lines in self.data.items()}


def _is_sensitive(case_id: int) -> bool:
    return (case_id * 2_654_435_761) % 1000 < SENSITIVE_PER_MILLE


def _reference(case_id: int) -> str:
    n = (case_id * REFERENCE_MULTIPLIER + 1_234_567_891) % REFERENCE_SPACE
    alphabet = "346789ABCDEFGHJKMNPQRTUVWXY"
    chars = []
    for _ in range(9):
        n, digit = divmod(n, 27)
        chars.append(alphabet[digit])
    return f"{''.join(chars[:3])}-{''.join(chars[3:6])}-{''.join(chars[6:])}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=L.tz)


# --- Workers --------------------------------------------------------------------------------------------


def _spelling(rng: random.Random, entry, female: bool) -> tuple[str, list[str]]:
    cyrillic, latin = entry
    if female and cyrillic.endswith(("ов", "ев", "ин")):
        cyrillic, latin = cyrillic + "а", [spelling + "a" for spelling in latin]
    return cyrillic, latin


def client_chunk(bounds: tuple[int, int]) -> dict[str, str]:
    from casework.clients.names import name_keys
    from casework.crypto import encrypt

    lo, hi = bounds
    rng = random.Random(L.seed * 1_000_003 + lo)
    rows = Rows()
    for client_id in range(lo, hi):
        org = L.orgs[L.client_org[client_id]]
        female = rng.random() < 0.4
        family_cyr, family_lat = _spelling(rng, rng.choice(FAMILY_NAMES), female)
        given_cyr, given_lat = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        if rng.random() < 0.6:  # registered from Cyrillic papers; the Latin passport spelling is another spelling
            family, given = family_cyr, given_cyr
            others = [f"{f} {g}" for f in family_lat for g in given_lat[:1]]
        else:
            family, given = rng.choice(family_lat), rng.choice(given_lat)
            others = [f"{family_cyr} {given_cyr}"]
        born = None if rng.random() < 0.1 else datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20_000))
        nationality, languages = rng.choice(NATIONALITIES)
        phones = f"+7 9{rng.randrange(10**9):09d}" + (f"\n+998 9{rng.randrange(10**8):08d}" if rng.random() < 0.3 else "")
        address = f"{rng.choice(CITIES)}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}, кв. {rng.randint(1, 300)}"
        documents = f"{rng.choice(['FA', 'AA', 'AB', 'N'])}{rng.randrange(10**7):07d}"
        keys = name_keys(family_name=family, given_names=given, birth_year=born.year if born else None)
        created = L.now - datetime.timedelta(days=rng.randrange(6 * 365), minutes=rng.randrange(1440))
        rows.add("client", (
            client_id, _uuid(rng), org["id"], encrypt(family), encrypt(given), encrypt("\n".join(others)),
            encrypt(born.isoformat()) if born else None, encrypt(phones), encrypt(address), encrypt(documents),
            nationality, languages, keys["full_name_bidx"], keys["family_name_bidx"], keys["skeleton_bidx"],
            keys["phonetic_bidx"], rng.choice(org["holders"]), created, None,
        ))
    return rows.result()


def employer_chunk(bounds: tuple[int, int]) -> dict[str, str]:
    from casework.crypto import blind_index, encrypt, fold

    lo, hi = bounds
    rng = random.Random(L.seed * 1_000_033 + lo)
    rows = Rows()
    for employer_id in range(lo, hi):
        name = f"{rng.choice(EMPLOYER_NAMES)} {employer_id}"
        director = f"{rng.choice(STAFF_LAST)} {rng.choice(STAFF_FIRST)}" if rng.random() < 0.5 else ""
        address = f"{rng.choice(CITIES)}, {rng.choice(STREETS)}, {rng.randint(1, 99)}" if rng.random() < 0.5 else ""
        registration = f"{rng.randrange(10**13):013d}" if rng.random() < 0.3 else ""
        rows.add("employer", (
            employer_id, L.orgs[L.employer_org[employer_id]]["id"], encrypt(name), encrypt(director), encrypt(address),
            encrypt(registration), blind_index("employer", fold(name)), L.now - datetime.timedelta(days=rng.randrange(2000)),
        ))
    return rows.result()


_COMPUTED: dict = {}


def _computation(rule_id: str, trigger: datetime.date):
    from casework.deadlines import rules

    key = (rule_id, trigger)
    if key not in _COMPUTED:
        try:
            _COMPUTED[key] = rules.compute(rule_id, trigger)
        except (rules.NotComputable, ValueError):
            _COMPUTED[key] = None
    return _COMPUTED[key]


REMINDER_KINDS = [("14d", 14), ("7d", 7), ("3d", 3), ("1d", 1), ("0d", 0), ("overdue", -1)]


@dataclass
class Waiting:
    """Proposals waiting on one event of a case: the event (its index in the case's timeline, its kind and
    date), when it was recorded (and the proposals made), and what the engine computed for each rule."""

    event_index: int
    kind: str
    trigger: datetime.date
    created: datetime.datetime
    computations: list


def _plan_proposals(rng, options, case_created, n_deadlines: int, n_events: int) -> Waiting | None:
    """1–2 proposals of one event recorded in the last PROPOSAL_MAX_AGE_DAYS days, the soonest due near
    today: some past (still undecided), some within three days (escalating), most later. The event is one
    of the case's events that sets no deadline running, re-dated to the trigger (so it carries no deadline
    and each (event, rule) pair is new), or one more event when every event has a deadline."""
    by_kind: dict[str, list] = {}
    for kind, rule_id, days in options:
        by_kind.setdefault(kind, []).append((days, rule_id))
    if not by_kind:
        return None
    wanted_count = 1 if rng.random() < 0.7 else 2
    kinds = [kind for kind, found in by_kind.items() if len(found) >= wanted_count] or list(by_kind)
    kind = rng.choice(kinds)
    chosen = sorted(rng.sample(by_kind[kind], min(wanted_count, len(by_kind[kind]))))  # shortest period first
    today, now = L.today, L.now
    roll = rng.random()
    if roll < 0.15:
        wanted_due = today - datetime.timedelta(days=rng.randint(1, 10))
    elif roll < 0.35:
        wanted_due = today + datetime.timedelta(days=rng.randint(0, 3))
    else:
        wanted_due = today + datetime.timedelta(days=rng.randint(4, 45))
    created = now - datetime.timedelta(seconds=rng.randrange(PROPOSAL_MAX_AGE_DAYS * 86_400))
    created = min(now, max(created, case_created))
    # The soonest rule lands on the wanted day; the event cannot have happened after it was recorded.
    trigger = min(wanted_due - datetime.timedelta(days=chosen[0][0]), created.astimezone(L.tz).date())
    computations = [c for _days, rule_id in chosen if (c := _computation(rule_id, trigger)) is not None]
    if not computations:
        return None
    free = range(n_deadlines, n_events)
    index = rng.choice(free) if free else n_events
    return Waiting(index, kind, trigger, created, computations)


def _proposal(rows, deadline_id, case_id, org_id, assignee, event_id, computation, created) -> datetime.date:
    """A proposal as services.proposals_sync stores it (no variant chosen yet, nothing completed), with its
    reminders at services.proposal_reminder_moments. Those before this morning's reminder hour went out
    (the rule the deadlines' reminders follow: run.py's "now" is today just after 09:00), the rest wait."""
    from casework.crypto import encrypt
    from casework.deadlines.models import Deadline
    from casework.deadlines.services import proposal_reminder_moments

    due = computation.due_date
    rows.add("deadline", (deadline_id, case_id, org_id, computation.rule_id, computation.rule_version, "", event_id,
                          encrypt(""), computation.nominal_date, computation.due_date, due,
                          json.dumps([w.code for w in computation.warnings]), "proposed", None, None, None, assignee,
                          created, None, assignee))
    morning = _at(L.today, 9)
    moments = proposal_reminder_moments(Deadline(created_at=created, due_date=due))
    for k, (kind, due_at) in enumerate(moments.items()):
        sent = due_at < morning
        rows.add("reminder", (deadline_id * 8 + k, deadline_id, str(kind), due_at, "sent" if sent else "pending",
                              due_at if sent else None, due_at + datetime.timedelta(minutes=1) if sent else None))
    return due


def case_chunk(bounds: tuple[int, int]) -> dict[str, str]:
    """Cases with everything hanging off them: type details, timeline, deadlines and their reminders,
    notes, decisions, challenges, interim measures, claims, status changes."""
    from casework.crypto import encrypt

    lo, hi = bounds
    rng = random.Random(L.seed * 1_000_037 + lo)
    # Proposals draw from a stream of their own, so the rest of the data comes out as it did without them.
    proposal_rng = random.Random(L.seed * 1_000_039 + lo)
    proposal_ids = 4 * (L.n_cases + 1)  # above every deadline id below (case_id * 4 + i, i < 4)
    rows = Rows()
    rows.data["case"] = []  # cases first in each chunk's COPYs, though each row goes in once its deadlines are known
    today, now = L.today, L.now
    span_days = 6 * 365
    for case_id in range(lo, hi):
        org_index = L.case_org[case_id]
        org = L.orgs[org_index]
        case_type = rng.choices([t for t, _ in CASE_TYPES], [w for _, w in CASE_TYPES])[0]
        jurisdiction = org["country"] if rng.random() < 0.85 else rng.choice(JURISDICTION_CODES)
        assignee = rng.choice(org["holders"]) if rng.random() < 0.97 else rng.choice(org["coordinators"])
        # Ids grow with time, as they do in production: newer cases, higher ids.
        age = int(span_days * (1 - (case_id - 1) / L.n_cases)) + rng.randrange(-20, 21)
        opened = today - datetime.timedelta(days=max(0, age))
        roll = rng.random()
        status = "open" if roll < 0.3 else "active" if roll < 0.75 else "closed"
        if age < 30 and status == "closed":
            status = "active"
        closed_on = outcome = None
        if status == "closed":
            closed_on = opened + datetime.timedelta(days=rng.randrange(1, max(2, (today - opened).days)))
            outcome = rng.choice(OUTCOMES[case_type])
        sensitive = _is_sensitive(case_id)
        created = _at(opened, 9 + rng.randrange(9), rng.randrange(60))
        case_row = (
            case_id, _reference(case_id), org["id"], rng.choice(L.clients_of[org_index]), case_type, status,
            jurisdiction, assignee, sensitive, opened, closed_on, outcome or "", assignee, created,
            created + datetime.timedelta(days=rng.randrange(30)), None,
        )
        removal_at = _type_details(rows, rng, case_id, case_type, jurisdiction, org_index, opened, status)

        # Deadlines first: each rule deadline needs its trigger event on the date that gives the due date.
        n_deadlines = rng.choices((0, 1, 2, 3), (35, 40, 15, 10))[0]
        n_events = max(n_deadlines, rng.randint(1, 9))
        kinds = EVENT_KINDS_BY_TYPE[case_type]
        options = L.trigger_options.get((jurisdiction, case_type), [])
        waiting = None
        if status != "closed" and proposal_rng.random() * 1000 < PROPOSAL_CASES_PER_MILLE:
            waiting = _plan_proposals(proposal_rng, options, created, n_deadlines, n_events)
        pending_due = []  # open deadlines' and proposals' due dates: the earliest is the case's next_due_date
        for i in range(n_events):
            event_id = case_id * 10 + i
            kind, occurred = None, None
            if i < n_deadlines:
                deadline_id = case_id * 4 + i
                wanted_due = today + datetime.timedelta(days=rng.randint(-60, 60))
                computation = None
                if options and rng.random() < 0.9:
                    kind, rule_id, days = rng.choice(options)
                    trigger = min(wanted_due - datetime.timedelta(days=days), today - datetime.timedelta(days=rng.randrange(3)))
                    computation = _computation(rule_id, trigger)
                if computation is not None:
                    occurred = trigger
                    due, deadline_status = computation.due_date, _deadline(
                        rows, rng, deadline_id, case_id, org["id"], assignee, event_id, computation,
                        computation.due_date, None)
                else:
                    kind = None
                    due, deadline_status = wanted_due, _deadline(
                        rows, rng, deadline_id, case_id, org["id"], assignee, None, None, wanted_due,
                        rng.choice(MANUAL_DEADLINE_TITLES))
                if deadline_status == "open":
                    pending_due.append(due)
            if kind is None:
                kind = rng.choice(kinds)
                start = min(opened, today) - datetime.timedelta(days=30)
                occurred = start + datetime.timedelta(days=rng.randrange(max(1, (today - start).days + 1)))
            note = encrypt(rng.choice(EVENT_NOTES))
            recorded = min(now, _at(occurred + datetime.timedelta(days=1), 12))
            if waiting is not None and i == waiting.event_index:  # the event the proposals wait on
                kind, occurred, recorded = waiting.kind, waiting.trigger, waiting.created
            rows.add("event", (event_id, case_id, kind, occurred, note, assignee, recorded, None))
        if waiting is not None:
            event_id = case_id * 10 + waiting.event_index
            if waiting.event_index == n_events:
                rows.add("event", (event_id, case_id, waiting.kind, waiting.trigger,
                                   encrypt(proposal_rng.choice(EVENT_NOTES)), assignee, waiting.created, None))
            for j, computation in enumerate(waiting.computations):
                pending_due.append(_proposal(rows, proposal_ids + case_id * 2 + j, case_id, org["id"], assignee,
                                             event_id, computation, waiting.created))
        rows.add("case", (*case_row, min(pending_due, default=None), removal_at))
        if rng.random() < 0.3:
            rows.add("note", (case_id, case_id, encrypt(rng.choice(NOTE_TEXTS)), assignee,
                              _at(opened + datetime.timedelta(days=rng.randrange(30)), 15), None))
        if status == "closed":
            rows.add("status_change", (case_id, case_id, "active", "closed", outcome, encrypt(""), assignee,
                                       _at(closed_on, 17)))
    return rows.result()


OUTCOMES = {
    "asylum": ["protection_granted", "protection_refused", "resettled", "removed", "withdrawn", "lost_contact", "referred"],
    "deportation": ["removal_stopped", "removed", "released", "protection_granted", "withdrawn", "lost_contact"],
    "unpaid_wages": ["wages_recovered", "wages_partly_recovered", "wages_not_recovered", "withdrawn", "lost_contact"],
}


def _type_details(rows, rng, case_id, case_type, jurisdiction, org_index, opened, status):
    """The case's type details; returns its scheduled removal (copied on the case row, as the app keeps it)."""
    from casework.crypto import encrypt

    today, now = L.today, L.now
    if case_type == "asylum":
        rows.add("asylum", (
            case_id, rng.choice(COUNTRY_OF_ORIGIN), opened - datetime.timedelta(days=rng.randrange(400)),
            "unhcr_mandate" if rng.random() < 0.2 else "national",
            rng.choice(["application", "interview", "first_decision", "administrative_appeal", "court", "final"]),
            None, "", None,
        ))
        if rng.random() < 0.5:
            decided = opened + datetime.timedelta(days=rng.randrange(200))
            refused = rng.random() < 0.7
            rows.add("asylum_decision", (
                case_id, case_id, "first_decision", min(decided, today), min(decided, today),
                "refused" if refused else "temporary_asylum",
                json.dumps(rng.sample(["illegal_entry", "inconsistencies", "economic_motives", "late_application"], 2)
                           if refused else []),
            ))
    elif case_type == "deportation":
        kind = rng.choice(["administrative_expulsion", "deportation", "extradition"])
        removal_at = None
        if status != "closed" and rng.random() < 0.05:  # a few removals in the coming days: the urgent track
            removal_at = now + datetime.timedelta(hours=rng.randrange(1, 240))
        detained = opened - datetime.timedelta(days=rng.randrange(60)) if rng.random() < 0.5 else None
        rows.add("deportation", (
            case_id, kind, rng.choice(REQUESTING_STATES) if kind == "extradition" else "",
            encrypt(rng.choice(CHARGES) if kind == "extradition" else ""), encrypt(rng.choice(DETENTION_PLACES)),
            encrypt(detained.isoformat()) if detained else None, None, removal_at, "", None,
        ))
        if rng.random() < 0.15:
            body = "echr_rule39" if jurisdiction in ("RU", "AM", "AZ", "GE", "MD", "UA") else "un_cat"
            rows.add("interim", (case_id, case_id, body, min(today, opened + datetime.timedelta(days=rng.randrange(30))),
                                 rng.choice(["pending", "granted", "refused"]), None))
    else:
        employers = L.employers_of[org_index]
        work_to = opened - datetime.timedelta(days=rng.randrange(90))
        owed = rng.randrange(20_000, 600_000)
        rows.add("wages", (
            case_id, rng.choice(employers) if rng.random() < 0.9 else None,
            encrypt(f"{rng.choice(STAFF_FIRST)}, бригадир" if rng.random() < 0.4 else ""),
            rng.choice(["construction", "agriculture", "domestic", "trade", "services", "manufacturing", "transport"]),
            work_to - datetime.timedelta(days=rng.randrange(30, 700)), work_to, CURRENCY[jurisdiction],
            f"{owed}.00", f"{int(owed * rng.choice([0, 0, 0.3, 0.5, 1]))}.00",
            rng.choice([True, False, None]), rng.choice([True, False, None]),
        ))
        if rng.random() < 0.4:
            rows.add("claim", (case_id, case_id, rng.choice(["labour_inspectorate", "prosecutor", "court"]),
                               min(today, opened + datetime.timedelta(days=rng.randrange(60))), "pending", None))
    if case_type != "unpaid_wages" and rng.random() < 0.3:
        rows.add("challenge", (case_id, case_id, rng.choice(FORUMS), min(today, opened + datetime.timedelta(days=rng.randrange(90))),
                               None, ""))
    return removal_at if case_type == "deportation" else None


def _deadline(rows, rng, deadline_id, case_id, org_id, assignee, event_id, computation, due, title) -> str:
    """A deadline as the app keeps it (its status by its date), with its reminders if open; returns its status."""
    from casework.crypto import encrypt

    today, now = L.today, L.now
    if due < today:
        roll = rng.random()
        status = "met" if roll < 0.85 else "missed" if roll < 0.90 else "waived" if roll < 0.93 else "open"
    else:
        roll = rng.random()
        status = "open" if roll < 0.90 else "met" if roll < 0.98 else "waived"
    completed_on = completed_at = completed_by = None
    if status in ("met", "waived"):
        completed_on = min(today, due - datetime.timedelta(days=rng.randrange(0, 10)))
    elif status == "missed":
        completed_on = min(today, due + datetime.timedelta(days=rng.randint(1, 5)))
    if completed_on:
        completed_at, completed_by = _at(completed_on, 16), assignee
    created_on = (computation.trigger if computation else due - datetime.timedelta(days=rng.randint(5, 60)))
    created = min(now, _at(created_on + datetime.timedelta(days=1), 11))
    if computation is not None:
        rule = (computation.rule_id, computation.rule_version, computation.variant or "", event_id, encrypt(""),
                computation.nominal_date, computation.due_date)
        warnings = json.dumps([w.code for w in computation.warnings])
    else:
        rule, warnings = ("", "", "", None, encrypt(title), None, None), "[]"
    rows.add("deadline", (deadline_id, case_id, org_id, *rule, due, warnings, status, completed_on, completed_by,
                          completed_at, assignee, created, None, assignee))
    if status == "open":
        # Armed when the deadline was made, as services.reminders_schedule does (moments already past then
        # are skipped, but for the overdue one); those due before today went out (as bench_deadlines.py has it).
        midnight = _at(today, 0)
        for k, (kind, days_before) in enumerate(REMINDER_KINDS):
            due_at = _at(due - datetime.timedelta(days=days_before), 9)
            if due_at <= created and kind != "overdue":
                continue
            sent = due_at < midnight
            rows.add("reminder", (deadline_id * 8 + k, deadline_id, kind, due_at, "sent" if sent else "pending",
                                  due_at if sent else None, due_at + datetime.timedelta(minutes=1) if sent else None))
    return status


# --- Tables ---------------------------------------------------------------------------------------------

# Column order of each row tuple above, by field attname; checked against the models at start.
TABLES = {
    "group": ("auth.Group", ["id", "name"]),
    "organisation": ("orgs.Organisation", ["id", "name", "slug", "country", "group_id", "reminder_emails",
                                           "idle_timeout_minutes", "retention_years", "four_eyes", "quick_exit_url"]),
    "user": ("auth.User", ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
                           "email", "is_staff", "is_active", "date_joined"]),
    "membership": ("orgs.Membership", ["id", "user_id", "organisation_id", "role", "is_active", "language", "created_at"]),
    "user_groups": (None, ["id", "user_id", "group_id"]),
    "client": ("clients.Client", ["id", "public_id", "organisation_id", "family_name", "given_names", "other_spellings",
                                  "date_of_birth", "phones", "addresses", "document_numbers", "nationality", "languages",
                                  "full_name_bidx", "family_name_bidx", "skeleton_bidx", "phonetic_bidx",
                                  "created_by_id", "created_at", "submission_token"]),
    "employer": ("cases.Employer", ["id", "organisation_id", "name", "director", "address", "registration_number",
                                    "name_bidx", "created_at"]),
    "case": ("cases.Case", ["id", "reference", "organisation_id", "client_id", "case_type", "status", "jurisdiction",
                            "assigned_to_id", "is_sensitive", "opened_on", "closed_on", "outcome", "created_by_id",
                            "created_at", "updated_at", "submission_token", "next_due_date", "removal_at"]),
    "asylum": ("cases.AsylumDetail", ["case_id", "country_of_origin", "arrival_date", "procedure", "stage",
                                      "status_renewal_date", "resettlement_country", "resettled_on"]),
    "asylum_decision": ("cases.AsylumDecision", ["id", "case_id", "stage", "decided_on", "served_on", "outcome",
                                                 "refusal_grounds"]),
    "deportation": ("cases.DeportationDetail", ["case_id", "removal_kind", "requesting_state", "charges",
                                                "detention_place", "detained_from", "detained_until",
                                                "scheduled_removal_at", "echr_application_no", "reentry_ban_until"]),
    "interim": ("cases.InterimMeasure", ["id", "case_id", "body", "requested_on", "status", "decided_on"]),
    "wages": ("cases.WageDetail", ["case_id", "employer_id", "intermediary", "sector", "work_from", "work_to",
                                   "currency", "amount_owed", "amount_recovered", "passport_held_by_employer",
                                   "written_contract"]),
    "claim": ("cases.WageClaim", ["id", "case_id", "forum", "filed_on", "outcome", "decided_on"]),
    "challenge": ("cases.DomesticChallenge", ["id", "case_id", "forum", "lodged_on", "decided_on", "outcome"]),
    "event": ("cases.CaseEvent", ["id", "case_id", "kind", "occurred_on", "note", "recorded_by_id", "recorded_at",
                                  "submission_token"]),
    "note": ("cases.CaseNote", ["id", "case_id", "text", "author_id", "created_at", "submission_token"]),
    "status_change": ("cases.StatusChange", ["id", "case_id", "from_status", "to_status", "outcome", "reason",
                                             "changed_by_id", "changed_at"]),
    "deadline": ("deadlines.Deadline", ["id", "case_id", "organisation_id", "rule_id", "rule_version", "variant",
                                        "trigger_event_id", "title", "nominal_date", "computed_due_date", "due_date",
                                        "warnings", "status", "completed_on", "completed_by_id", "completed_at",
                                        "created_by_id", "created_at", "submission_token", "assigned_to_id"]),
    "reminder": ("deadlines.Reminder", ["id", "deadline_id", "kind", "due_at", "status", "queued_at", "sent_at"]),
}
BULK_TABLES = ["client", "employer", "case", "asylum", "asylum_decision", "deportation", "interim", "wages", "claim",
               "challenge", "event", "note", "status_change", "deadline", "reminder"]


def table_specs() -> dict[str, tuple[str, list[str]]]:
    """db_table and column names per table key; refuses to run if a model gained a column this script
    does not fill and the database cannot leave empty (teach the generator about it)."""
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.db.models import NOT_PROVIDED

    specs = {}
    for key, (label, attnames) in TABLES.items():
        if label is None:
            specs[key] = (User.groups.through._meta.db_table, attnames)
            continue
        model = apps.get_model(label)
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [a for a in attnames if a not in by_attname]
        missing = [f.attname for f in model._meta.concrete_fields
                   if f.attname not in attnames and not f.null and not f.primary_key and f.db_default is NOT_PROVIDED]
        if unknown or missing:
            sys.exit(f"bench/generate.py is out of date with {label}: unknown columns {unknown}, "
                     f"required columns not filled {missing}.")
        specs[key] = (model._meta.db_table, [by_attname[a].column for a in attnames])
    return specs


# --- Main process --------------------------------------------------------------------------------------


class Loader:
    def __init__(self, conn, specs):
        self.conn, self.specs = conn, specs
        self.counts: dict[str, int] = {}

    def copy(self, key: str, text: str) -> None:
        if not text:
            return
        table, columns = self.specs[key]
        with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            copy.write(text.encode())
        self.counts[key] = self.counts.get(key, 0) + text.count("\n")

    def copy_rows(self, key: str, rows) -> None:
        self.copy(key, "".join(_line(row) for row in rows))


def _stage(name: str, timings: dict):
    class Stage:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"  {name} …", flush=True)

        def __exit__(self, *exc):
            if exc[0] is None:
                timings[name] = round(time.perf_counter() - self.start, 1)
                print(f"  {name}: {timings[name]:.1f} s", flush=True)

    return Stage()


def recreate_database(database_url: str) -> None:
    import psycopg

    name = common.database_name(database_url)
    if "bench" not in name:
        sys.exit(f"Refusing to drop database {name!r}: a bench database's name contains 'bench'.")
    admin = common.psycopg_conninfo(common.with_database(database_url, "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def plan(scale: float, seed: int, now: datetime.datetime, tz: ZoneInfo) -> Layout:
    """Who belongs where: organisation sizes, staff, which organisation each case, client and employer is of."""
    rng = random.Random(seed)
    n_cases = max(len(ORGANISATIONS) * 5, round(FULL_CASES * scale))
    n_clients = max(len(ORGANISATIONS) * 2, round(FULL_CLIENTS * scale))
    layout = Layout(scale=scale, seed=seed, now=now, today=now.astimezone(tz).date(), tz=tz, n_cases=n_cases,
                    n_clients=n_clients)
    bench_cases = max(5, round(BENCH_ORG_CASES * scale))
    weights = [rng.lognormvariate(0, 0.6) for _ in ORGANISATIONS[1:]]
    rest = n_cases - bench_cases
    sizes = [bench_cases] + [max(1, int(rest * w / sum(weights))) for w in weights]
    sizes[1] += n_cases - sum(sizes)
    layout.case_org = [0] + [i for i, size in enumerate(sizes) for _ in range(size)]  # index 0 unused (ids from 1)
    tail = layout.case_org[1:]
    rng.shuffle(tail)
    layout.case_org[1:] = tail
    layout.orgs = [{"cases": size} for size in sizes]
    # Clients in proportion to cases, at least two per organisation.
    layout.client_org = [0] + [i for i in range(len(sizes)) for _ in range(2)]
    layout.client_org += rng.choices(range(len(sizes)), sizes, k=n_clients - (len(layout.client_org) - 1))
    layout.clients_of = [[] for _ in sizes]
    for client_id in range(1, n_clients + 1):
        layout.clients_of[layout.client_org[client_id]].append(client_id)
    layout.employer_org = [0]
    for i, size in enumerate(sizes):
        layout.employer_org += [i] * max(1, round(size * 0.35 / CASES_PER_EMPLOYER))
    layout.employers_of = [[] for _ in sizes]
    for employer_id in range(1, len(layout.employer_org)):
        layout.employers_of[layout.employer_org[employer_id]].append(employer_id)
    return layout


def trigger_options(today: datetime.date) -> dict:
    """For each country and case type: the events that set a computable rule running, the rule and its
    rough length in days (so a trigger date can be chosen to land the due date where wanted)."""
    from casework.deadlines import rules

    options = {}
    for jurisdiction in JURISDICTION_CODES:
        for case_type, _weight in CASE_TYPES:
            found = []
            for kind in EVENT_KINDS_BY_TYPE[case_type]:
                try:
                    proposed = rules.proposals(jurisdiction=jurisdiction, case_type=case_type, event_kind=kind,
                                               event_date=today - datetime.timedelta(days=30))
                except ValueError:
                    continue
                for rule in proposed:
                    try:
                        probe = today - datetime.timedelta(days=400)
                        days = (rules.compute(rule.id, probe).due_date - probe).days
                    except (rules.NotComputable, ValueError):
                        continue
                    found.append((kind, rule.id, days))
            options[(jurisdiction, case_type)] = found
    return options


def plan_staff(layout: Layout) -> tuple[dict, dict]:
    """Organisations with their groups, staff and memberships (rows per table); who the benchmarks sign in as."""
    rng = random.Random(layout.seed + 7)
    password = "!" + "bench-no-password"  # unusable: bench users sign in with force_login only
    groups, orgs, users, memberships, user_groups = [], [], [], [], []
    user_id = 0
    joined = layout.now - datetime.timedelta(days=6 * 365)
    bench = {}
    for index, ((name, slug, country), org) in enumerate(zip(ORGANISATIONS, layout.orgs), start=1):
        groups.append((index, f"org:{slug}"))
        orgs.append((index, name, slug, country, index, True, 30, 5, True, ""))
        org.update(id=index, country=country, group_id=index, holders=[], coordinators=[])
        n_caseworkers = max(2, round(org["cases"] / CASES_PER_CASEWORKER))
        roles = ["org_admin"] + ["coordinator"] * 2 + ["caseworker"] * n_caseworkers
        for number, role in enumerate(roles):
            user_id += 1
            username = f"{slug}-{role.replace('_', '')}-{number}"
            if index == 1 and role == "coordinator" and not bench.get("coordinator"):
                username, bench["coordinator"] = "bench-coordinator", user_id
            if index == 1 and role == "caseworker" and not bench.get("caseworker"):
                username, bench["caseworker"] = "bench-caseworker", user_id
            users.append((user_id, password, None, False, username, rng.choice(STAFF_FIRST), rng.choice(STAFF_LAST),
                          f"{username}@example.org", False, True, joined))
            memberships.append((user_id, user_id, index, role, True, "", joined))
            if role != "org_admin":
                user_groups.append((len(user_groups) + 1, user_id, index))
                org["holders" if role == "caseworker" else "coordinators"].append(user_id)
            else:
                org["admin_id"] = user_id
    bench["organisation"] = 1
    rows = {"group": groups, "organisation": orgs, "user": users, "membership": memberships, "user_groups": user_groups}
    return rows, bench


def run_chunks(pool, loader: Loader, worker, total: int, chunk: int, label: str) -> None:
    bounds = [(lo, min(lo + chunk, total + 1)) for lo in range(1, total + 1, chunk)]
    start = time.perf_counter()
    step = max(1, len(bounds) // 10)
    for n, result in enumerate(pool.imap(worker, bounds), start=1):
        for key, text in result.items():
            loader.copy(key, text)
        if n % step == 0 or n == len(bounds):
            elapsed = time.perf_counter() - start
            print(f"    {label}: {min(n * chunk, total):,}/{total:,} ({elapsed:.0f} s)", flush=True)


def drop_secondary_indexes(conn, tables: list[str]) -> list[str]:
    """Plain (non-constraint) indexes are rebuilt once after the load instead of row by row."""
    rows = conn.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
           WHERE i.indrelid = ANY(%s::regclass[]) AND c.oid IS NULL""",
        [tables],
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def load_grants(conn, loader: Loader, layout: Layout, bench: dict) -> None:
    """A few thousand shares: cases granted to partner organisations' groups and to named users, some of
    them to the bench organisation and the bench caseworker, so the benchmarks pay for grants too."""
    rng = random.Random(layout.seed + 11)
    perms = dict(conn.execute(
        """SELECT p.codename, p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
           WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename IN ('view_case', 'change_case')"""
    ).fetchall())
    n = max(20, round(FULL_GRANTS * layout.scale))
    group_rows, user_rows, seen = [], [], set()
    bench_org = layout.orgs[0]
    granted_at = layout.now - datetime.timedelta(days=30)
    for i in range(n):
        case_id = rng.randint(1, layout.n_cases)
        owner = layout.orgs[layout.case_org[case_id]]
        level = ["view_case"] + (["change_case"] if rng.random() < 0.2 else [])
        if i % 2 == 0:
            if _is_sensitive(case_id):
                continue
            partner = bench_org if rng.random() < 0.1 else rng.choice(layout.orgs)
            if partner is owner:
                continue
            for perm in level:
                if ("g", partner["group_id"], perm, case_id) not in seen:
                    seen.add(("g", partner["group_id"], perm, case_id))
                    group_rows.append((len(group_rows) + 1, perms[perm], partner["group_id"], case_id, owner["admin_id"],
                                       granted_at))
        else:
            grantee = bench["caseworker"] if rng.random() < 0.02 else rng.choice(rng.choice(layout.orgs)["holders"])
            for perm in level:
                if ("u", grantee, perm, case_id) not in seen:
                    seen.add(("u", grantee, perm, case_id))
                    user_rows.append((len(user_rows) + 1, perms[perm], grantee, case_id, owner["admin_id"], granted_at))
    from casework.cases.models import CaseGroupObjectPermission, CaseUserObjectPermission

    for model, rows, grantee in ((CaseGroupObjectPermission, group_rows, "group_id"),
                                 (CaseUserObjectPermission, user_rows, "user_id")):
        columns = ["id", "permission_id", grantee, "content_object_id", "granted_by_id", "granted_at"]
        with conn.cursor() as cur, cur.copy(f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN') as copy:
            copy.write("".join(_line(row) for row in rows).encode())
        loader.counts[model._meta.db_table] = len(rows)


def load_guardian_baseline(conn, layout: Layout, bench: dict) -> dict:
    """What a guardian-only design would need for the same visibility, for the baseline in bench/run.py:
    every case of the bench organisation granted to a group holding the bench coordinator, and the
    bench caseworker's assigned cases to a group holding the caseworker. Separate groups, so the
    access module (which reads grants to the user and to the organisation's group) does not see them."""
    perm = conn.execute(
        """SELECT p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
           WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename = 'view_case'"""
    ).fetchone()[0]
    groups = {}
    for role, where in (("coordinator", "organisation_id = %(org)s"), ("caseworker", "assigned_to_id = %(user)s")):
        user = bench[role]
        group = conn.execute("INSERT INTO auth_group (name) VALUES (%s) RETURNING id",
                             [f"bench-guardian-baseline:{role}"]).fetchone()[0]
        conn.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [user, group])
        conn.execute(
            f"""INSERT INTO cases_casegroupobjectpermission (permission_id, group_id, content_object_id, granted_at)
                SELECT %(perm)s, %(group)s, id, now() FROM cases_case WHERE {where}""",
            {"perm": perm, "group": group, "org": bench["organisation"], "user": user},
        )
        groups[role] = group
    return groups


def reset_sequences(conn, tables: list[str]) -> None:
    for table in tables:
        conn.execute(
            f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'), GREATEST(1, (SELECT max(id) FROM "{table}")))
                WHERE pg_get_serial_sequence('"{table}"', 'id') IS NOT NULL"""
        )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 cases; 0.01 = 10,000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL))
    parser.add_argument("--out", type=Path, default=common.DEFAULT_OUT, help="keys.env and dataset.json go here")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=2009)
    args = parser.parse_args(argv)

    keys = common.load_or_create_keys(args.out)
    env = common.bench_environment(database_url=args.database_url, keys=keys)
    common.setup_django(env)
    from django.conf import settings

    import psycopg

    timings: dict[str, float] = {}
    total_start = time.perf_counter()
    tz = ZoneInfo(settings.TIME_ZONE)
    now = datetime.datetime.now(tz).replace(microsecond=0)
    print(f"Generating at scale {args.scale} into {common.database_name(args.database_url)} "
          f"with {args.workers} workers", flush=True)
    with _stage("create and migrate the database", timings):
        recreate_database(args.database_url)
        common.migrate(env)

    global L
    L = layout = plan(args.scale, args.seed, now, tz)
    layout.trigger_options = trigger_options(layout.today)
    layout.specs = specs = table_specs()
    staff_rows, bench = plan_staff(layout)
    # Workers fork before any database connection is open, so none can inherit (and close) one.
    with multiprocessing.get_context("fork").Pool(args.workers) as pool, \
            psycopg.connect(common.psycopg_conninfo(args.database_url), autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        try:  # skip foreign-key triggers while loading (superuser only); the generator keeps the keys consistent
            conn.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            print("  (not a superuser: foreign keys are checked row by row, which is slower)")
        loader = Loader(conn, specs)
        index_definitions = drop_secondary_indexes(conn, [specs[key][0] for key in BULK_TABLES])
        with _stage("organisations, staff, memberships", timings):
            for key, rows in staff_rows.items():
                loader.copy_rows(key, rows)
        with _stage(f"clients ({layout.n_clients:,})", timings):
            run_chunks(pool, loader, client_chunk, layout.n_clients, CHUNK_CLIENTS, "clients")
        with _stage(f"employers ({len(layout.employer_org) - 1:,})", timings):
            run_chunks(pool, loader, employer_chunk, len(layout.employer_org) - 1, CHUNK_CLIENTS, "employers")
        with _stage(f"cases with details, events, deadlines, reminders ({layout.n_cases:,} cases)", timings):
            run_chunks(pool, loader, case_chunk, layout.n_cases, CHUNK_CASES, "cases")
        pool.close()
        with _stage("indexes", timings):
            for definition in index_definitions:
                conn.execute(definition)
        conn.execute("SET session_replication_role = origin")
        with _stage("grants and the guardian baseline", timings):
            load_grants(conn, loader, layout, bench)
            reset_sequences(conn, [table for table, columns in specs.values() if "id" in columns]
                            + ["cases_casegroupobjectpermission", "cases_caseuserobjectpermission"])
            bench["guardian_groups"] = load_guardian_baseline(conn, layout, bench)
        with _stage("VACUUM ANALYZE", timings):
            conn.execute("VACUUM ANALYZE")
        tables = sorted({spec[0] for spec in specs.values()}
                        | {"cases_casegroupobjectpermission", "cases_caseuserobjectpermission"})
        counts = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        counts["open_deadlines"] = conn.execute("SELECT count(*) FROM deadlines_deadline WHERE status = 'open'").fetchone()[0]
        counts["proposed_deadlines"] = conn.execute(
            "SELECT count(*) FROM deadlines_deadline WHERE status = 'proposed'").fetchone()[0]
        counts["cases_with_next_due"] = conn.execute(
            "SELECT count(*) FROM cases_case WHERE next_due_date IS NOT NULL").fetchone()[0]
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    timings["total"] = round(time.perf_counter() - total_start, 1)
    dataset = {
        "database_url": args.database_url, "scale": args.scale, "seed": args.seed, "generated_at": now.isoformat(),
        "today": layout.today.isoformat(), "counts": counts, "database_size": size, "timings_s": timings,
        "bench": bench, "workers": args.workers,
    }
    (args.out / "dataset.json").write_text(json.dumps(dataset, indent=2))
    print(f"Done in {timings['total']:.0f} s; database {size}. "
          f"{counts['cases_case']:,} cases, {counts['clients_client']:,} clients, {counts['cases_caseevent']:,} events, "
          f"{counts['deadlines_deadline']:,} deadlines ({counts['open_deadlines']:,} open, "
          f"{counts['proposed_deadlines']:,} proposals waiting), {counts['deadlines_reminder']:,} reminders; "
          f"{counts['cases_with_next_due']:,} cases with a next deadline.", flush=True)
    return dataset


if __name__ == "__main__":
    main()
