"""The invented organisations, logins, survivors and cases of the Okoa demo.

Everything here is fiction modelled on situations Kenyan organisations meet: a group of nationals
rescued from a cyber-fraud compound abroad, women returning from domestic work in the Gulf, young
men trafficked within Kenya. No name belongs to a real survivor, official or organisation; do not
add names from news stories or from real organisations (okoa/demo/tests guard a list of them).
Phone numbers sit in one artificial block (0700 000 1xx) and document numbers start with DEMO, so
nobody mistakes them for real contacts or documents.

Countries are ISO 3166-1 alpha-2 codes, counties and sub-counties their official codes, and code
list items the codes of ``okoa/reference/data/code_lists.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

# The one password of every demo login. Demo only: never on a real installation.
DEMO_PASSWORD = "okoa-demo-2026!"

# Role and kind values as stored (Membership.Role, Organisation.Kind, Person.Sex...).
OPERATOR, CASEWORKER, SUPERVISOR = "hotline_operator", "caseworker", "supervisor"
ORGANISATION_ADMIN, DATA_ANALYST = "organisation_admin", "data_analyst"
MALE, FEMALE = "male", "female"
OPEN, IN_CARE, CLOSURE_REQUESTED, CLOSED = "open", "in_care", "closure_requested", "closed"
IN_COUNTRY, TRANSNATIONAL = "in_country", "transnational"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    reference_prefix: str


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    organisation: str | None  # reference prefix; None for the site administrator
    role: str | None
    preferred_language: str = "en"
    is_site_admin: bool = False


@dataclass(frozen=True)
class Story:
    """What happened, as the case details shared by everyone it happened to.

    Dates are days before the day the demo is loaded, so the demo never holds future dates.
    ``{country}`` in the narrative becomes the country of exploitation.
    """

    scope: str
    countries_of_exploitation: tuple[str, ...]
    countries_of_transit: tuple[str, ...]
    exploitation_types: tuple[str, ...]
    labour_industries: tuple[str, ...]
    methods_of_control: tuple[str, ...]
    recruitment_type: str
    trafficking_status: str
    recruited_days_ago: int
    exploitation_began_days_ago: int
    exploitation_ended_days_ago: int
    identified_days_ago: int
    narrative: str


@dataclass(frozen=True)
class Dependant:
    """A child or relative who depends on a survivor (a Person with ``parent`` set)."""

    given_name: str
    family_name: str
    sex: str
    age: int
    relationship: str  # Person.Relationship value


@dataclass(frozen=True)
class Survivor:
    """One person and their case; the case details come from the group's story."""

    given_name: str
    other_names: tuple[str, ...]
    family_name: str
    sex: str
    age: int
    nationality: str
    county: int | None
    status: str
    caseworker: str  # email of the assigned caseworker
    sub_county: int | None = None
    languages: tuple[str, ...] = ("sw", "en")
    phone: str = ""
    passport_number: str = ""
    birthday: tuple[int, int] | None = None  # (month, day) when the date of birth is known
    recruitment_type: str = ""  # overrides the story's
    country_of_exploitation: str = ""  # overrides the story's
    days_earlier: int = 0  # shifts every date of the story back
    reassigned_to: str = ""  # a supervisor hands the case over after opening it
    notes: tuple[str, ...] = ()
    dependants: tuple[Dependant, ...] = ()


@dataclass(frozen=True)
class Group:
    """Survivors registered by one organisation after the same story."""

    organisation: str  # reference prefix
    registered_by: str  # email
    story: Story
    survivors: tuple[Survivor, ...]


# --- Organisations ----------------------------------------------------------------------------

MAIN_NGO = DemoOrganisation("Chemichemi Survivors Trust (demo)", "ngo", "CST")
SECOND_NGO = DemoOrganisation("Mwamba Community Rescue (demo)", "ngo", "MCR")
EMBASSY = DemoOrganisation("Kenya Mission, Gulf Liaison Office (demo)", "embassy", "KMG")
SECRETARIAT = DemoOrganisation(
    "Counter-Trafficking in Persons Secretariat (demo)", "ctip_secretariat", "CTIPS"
)
HOSPITAL = DemoOrganisation("Pwani Referral Hospital (demo)", "health_facility", "PRH")
SHELTER = DemoOrganisation("Kimbilio Safe House (demo)", "shelter", "KSH")

ORGANISATIONS = (MAIN_NGO, SECOND_NGO, EMBASSY, SECRETARIAT, HOSPITAL, SHELTER)

# --- Logins -----------------------------------------------------------------------------------

CST_OPERATOR = "operator@chemichemi.example"
CST_CASEWORKER = "caseworker@chemichemi.example"
CST_CASEWORKER_2 = "caseworker2@chemichemi.example"
CST_SUPERVISOR = "supervisor@chemichemi.example"
MCR_CASEWORKER = "caseworker@mwamba.example"
MCR_SUPERVISOR = "supervisor@mwamba.example"
KMG_OFFICER = "consular@gulf-mission.example"
PRH_SOCIAL_WORKER = "socialworker@pwani-hospital.example"
KSH_CASEWORKER = "caseworker@kimbilio.example"

LOGINS = (
    DemoLogin(CST_OPERATOR, "Halima Njeri", "CST", OPERATOR, "sw"),
    DemoLogin(CST_CASEWORKER, "Akoth Wanjala", "CST", CASEWORKER),
    DemoLogin(CST_CASEWORKER_2, "Kipchumba Mutai", "CST", CASEWORKER),
    DemoLogin(CST_SUPERVISOR, "Nduta Kariithi", "CST", SUPERVISOR),
    DemoLogin("orgadmin@chemichemi.example", "Rashidi Mwangemi", "CST", ORGANISATION_ADMIN),
    DemoLogin("analyst@chemichemi.example", "Zawadi Mwende", "CST", DATA_ANALYST),
    DemoLogin(MCR_CASEWORKER, "Chelimo Rono", "MCR", CASEWORKER, "sw"),
    DemoLogin(MCR_SUPERVISOR, "Makena Gitonga", "MCR", SUPERVISOR),
    DemoLogin(KMG_OFFICER, "Bakari Mwakilema", "KMG", CASEWORKER),
    DemoLogin("analyst@ctip-secretariat.example", "Nyokabi Gathoni", "CTIPS", DATA_ANALYST),
    DemoLogin(PRH_SOCIAL_WORKER, "Mwanajuma Kombo", "PRH", CASEWORKER, "sw"),
    DemoLogin(KSH_CASEWORKER, "Jeptoo Kibet", "KSH", CASEWORKER),
    DemoLogin("siteadmin@okoa.example", "Jabali Owuor", None, None, is_site_admin=True),
)

# Who approves a closure at each organisation (a supervisor, or the caseworker where there is none).
APPROVERS = {"CST": CST_SUPERVISOR, "MCR": MCR_SUPERVISOR}

STATUS_REASONS = {
    IN_CARE: "Accepted into the reintegration programme.",
    CLOSURE_REQUESTED: "Reintegration plan completed; two follow-up calls found no new needs.",
    CLOSED: "Closure approved after review of the file.",
}

# --- Stories ----------------------------------------------------------------------------------

CYBER_FRAUD_COMPOUND = Story(
    scope=TRANSNATIONAL,
    countries_of_exploitation=("MM",),
    countries_of_transit=("TH",),
    exploitation_types=("ForcedLabour",),
    # Scam compounds work like call centres (ISIC 8220, section N).
    labour_industries=("N_AdministrativeAndSupportServiceActivities",),
    methods_of_control=(
        "FalsePromises",
        "WithholdsDocuments",
        "DebtBondage",
        "PhysicalThreats",
        "RestrictsMovement",
        "ExcessiveWorkingHours",
    ),
    recruitment_type="ThroughAnOnlineAdvertisement",
    trafficking_status="ActualVictimOfTrafficking",
    recruited_days_ago=430,
    exploitation_began_days_ago=418,
    exploitation_ended_days_ago=110,
    identified_days_ago=104,
    narrative=(
        "Answered an offer of a customer-service job in Bangkok with a good salary and a paid "
        "air ticket. On arrival was driven across the border into {country} and held in a "
        "guarded compound with other foreign nationals. Made to work long night shifts running "
        "online investment scams against daily targets; the passport was taken on arrival and a "
        "'debt' for travel costs grew each time a target was missed. Released with the group "
        "after the compound was raided, stayed in an immigration shelter in Thailand and flew "
        "home with the group."
    ),
)

GULF_DOMESTIC_WORK = Story(
    scope=TRANSNATIONAL,
    countries_of_exploitation=("SA",),
    countries_of_transit=(),
    exploitation_types=("ForcedLabour", "Servitude"),
    labour_industries=("T_ActivitiesOfHouseholdsAsEmployers",),
    methods_of_control=(
        "WithholdsDocuments",
        "TakesEarnings",
        "ExcessiveWorkingHours",
        "RestrictsMovement",
        "WithholdsNecessities",
    ),
    recruitment_type="AtAPlaceOfBusiness",
    trafficking_status="ActualVictimOfTrafficking",
    recruited_days_ago=700,
    exploitation_began_days_ago=680,
    exploitation_ended_days_ago=150,
    identified_days_ago=142,
    narrative=(
        "Recruited by a private recruitment agency in Nairobi for domestic work in {country} on "
        "a two-year contract. The employer kept her passport and phone, stopped paying after the "
        "second month and allowed no day off. A neighbour helped her reach the Kenyan mission's "
        "safe house, and she was repatriated with an emergency travel document."
    ),
)

AWAITING_REPATRIATION = Story(
    scope=TRANSNATIONAL,
    countries_of_exploitation=("OM",),
    countries_of_transit=(),
    exploitation_types=("ForcedLabour",),
    labour_industries=("T_ActivitiesOfHouseholdsAsEmployers",),
    methods_of_control=("WithholdsDocuments", "TakesEarnings"),
    recruitment_type="ThroughFriendsOrSocialEvents",
    trafficking_status="PossibleVictimOfTrafficking",
    recruited_days_ago=300,
    exploitation_began_days_ago=280,
    exploitation_ended_days_ago=12,
    identified_days_ago=10,
    narrative=(
        "Walked into the mission asking for help to go home from domestic work in {country}. "
        "Says her wages for five months were not paid and her passport is with the employer. "
        "Screening is not finished."
    ),
)

NAIROBI_QUARRY = Story(
    scope=IN_COUNTRY,
    countries_of_exploitation=("KE",),
    countries_of_transit=(),
    exploitation_types=("ForcedLabour",),
    labour_industries=("B_MiningAndQuarrying",),
    methods_of_control=("FalsePromises", "TakesEarnings", "DebtBondage", "ExcessiveWorkingHours"),
    recruitment_type="ThroughFriendsOrSocialEvents",
    trafficking_status="ActualVictimOfTrafficking",
    recruited_days_ago=200,
    exploitation_began_days_ago=196,
    exploitation_ended_days_ago=40,
    identified_days_ago=38,
    narrative=(
        "Promised a job as a shop attendant in Nairobi by a man who visited the village. Taken "
        "instead to a quarry on the edge of the city and made to break stones from dawn to dusk "
        "for no pay, told that he owed the bus fare and his food. Left with the help of a "
        "motorcycle-taxi rider who called the hotline."
    ),
)

NAIROBI_BAR = Story(
    scope=IN_COUNTRY,
    countries_of_exploitation=("KE",),
    countries_of_transit=(),
    exploitation_types=("ForcedLabour",),
    labour_industries=("I_AccommodationAndFoodServiceActivities",),
    methods_of_control=(
        "FalsePromises",
        "TakesEarnings",
        "RestrictsMovement",
        "PsychologicalAbuse",
    ),
    recruitment_type="ThroughOnlineSocialNetworks",
    trafficking_status="PossibleVictimOfTrafficking",
    recruited_days_ago=120,
    exploitation_began_days_ago=115,
    exploitation_ended_days_ago=20,
    identified_days_ago=18,
    narrative=(
        "Saw a post in an online jobs group for waiters at a Nairobi hotel. Made to work every "
        "night in a bar instead, sleeping in its store-room; the owner kept his wages 'for "
        "safekeeping' and his national identity card. His younger sister, whom he supports, "
        "was left with a neighbour in Kakamega."
    ),
)

MOMBASA_HOUSEHOLD = Story(
    scope=IN_COUNTRY,
    countries_of_exploitation=("KE",),
    countries_of_transit=(),
    exploitation_types=("Servitude",),
    labour_industries=("T_ActivitiesOfHouseholdsAsEmployers",),
    methods_of_control=("WithholdsNecessities", "RestrictsMovement", "TakesEarnings"),
    recruitment_type="ThroughFamilyOrFamilyEvents",
    trafficking_status="PossibleVictimOfTrafficking",
    recruited_days_ago=400,
    exploitation_began_days_ago=395,
    exploitation_ended_days_ago=7,
    identified_days_ago=5,
    narrative=(
        "Sent by a relative to work for a family in Mombasa, with the promise of school fees. "
        "Worked in the house from early morning, was not paid and was not allowed to leave. "
        "Came to the outpatient clinic with a neighbour and asked for help."
    ),
)

# --- Survivors --------------------------------------------------------------------------------

CW1, CW2 = CST_CASEWORKER, CST_CASEWORKER_2


def _phone(number: int) -> str:
    return f"0700 000 {number:03d}"


# The survivor tables keep one survivor per entry, like rows of a table; ruff format would spread
# each over fourteen lines.
# fmt: off
CYBER_FRAUD_GROUP = Group(
    organisation="CST",
    registered_by=CST_CASEWORKER,
    story=CYBER_FRAUD_COMPOUND,
    survivors=(
        # Sixteen men: fifteen Kenyan, one Ugandan.
        Survivor("Brian", ("Kiprotich",), "Langat", MALE, 27, "KE", 35, IN_CARE, CW1,
                 languages=("kln", "sw", "en"), phone=_phone(101), birthday=(3, 14),
                 notes=("Called his mother in Kericho; the family will meet him in Nakuru.",)),
        Survivor("Dennis", ("Omondi",), "Ochieng", MALE, 29, "KE", 42, IN_CARE, CW2,
                 sub_county=242, languages=("luo", "sw", "en"), phone=_phone(102),
                 passport_number="DEMO-0102"),
        Survivor("Kevin", ("Wafula",), "Barasa", MALE, 24, "KE", 39, OPEN, CW1,
                 languages=("luy", "sw", "en"), recruitment_type="ThroughFriendsOrSocialEvents"),
        Survivor("Samuel", ("Mutua",), "Mulwa", MALE, 31, "KE", 16, CLOSURE_REQUESTED, CW2,
                 languages=("kam", "sw", "en"), phone=_phone(104), birthday=(11, 2)),
        Survivor("Joseph", ("Nyamweya",), "Onchari", MALE, 26, "KE", 45, IN_CARE, CW1,
                 languages=("guz", "sw", "en")),
        Survivor("Collins", ("Mwenda",), "Kirimi", MALE, 23, "KE", 12, IN_CARE, CW2,
                 languages=("mer", "sw", "en"), recruitment_type="ThroughOnlineSocialNetworks"),
        Survivor("Kazungu", ("Baya",), "Charo", MALE, 28, "KE", 3, OPEN, CW1, sub_county=15,
                 languages=("nyf", "sw"), phone=_phone(107)),
        Survivor("Swaleh", ("Athman",), "Bakari", MALE, 33, "KE", 5, IN_CARE, CW2,
                 phone=_phone(108), reassigned_to=CW1),
        Survivor("Stephen", ("Kariuki",), "Wanjohi", MALE, 30, "KE", 19, CLOSED, CW1,
                 languages=("ki", "sw", "en"), birthday=(7, 23)),
        Survivor("Eric", ("Onyango",), "Owino", MALE, 25, "KE", 43, IN_CARE, CW2,
                 languages=("luo", "sw", "en")),
        Survivor("Felix", ("Kipkemboi",), "Rotich", MALE, 22, "KE", 27, IN_CARE, CW1,
                 languages=("kln", "sw", "en"), phone=_phone(111),
                 recruitment_type="ThroughFriendsOrSocialEvents"),
        Survivor("Victor", ("Wekesa",), "Simiyu", MALE, 34, "KE", 26, CLOSURE_REQUESTED, CW2,
                 languages=("luy", "sw", "en")),
        Survivor("Yusuf", ("Rashid",), "Mwakio", MALE, 27, "KE", 6, IN_CARE, CW1,
                 passport_number="DEMO-0113"),
        Survivor("Daniel", ("Mutinda",), "Kioko", MALE, 21, "KE", 17, OPEN, CW2,
                 languages=("kam", "sw", "en"), phone=_phone(114)),
        Survivor("George", ("Nyakundi",), "Ombati", MALE, 32, "KE", 46, IN_CARE, CW1,
                 languages=("guz", "sw", "en")),
        Survivor("Ronald", ("Kato",), "Ssebunya", MALE, 26, "UG", None, IN_CARE, CW2,
                 languages=("lg", "en", "sw"),
                 notes=("Uganda's mission has been told; he prefers to stay in Nairobi for now.",)),
        # Fifteen women: fourteen Kenyan, one Burundian.
        Survivor("Faith", ("Wambui",), "Gitau", FEMALE, 25, "KE", 22, IN_CARE, CW1,
                 languages=("ki", "sw", "en"), phone=_phone(117), birthday=(5, 9)),
        Survivor("Linet", ("Adhiambo",), "Okoth", FEMALE, 23, "KE", 41, IN_CARE, CW2,
                 languages=("luo", "sw", "en"), recruitment_type="ThroughOnlineSocialNetworks"),
        Survivor("Everlyne", ("Nafula",), "Wanyama", FEMALE, 28, "KE", 37, OPEN, CW1,
                 sub_county=209, languages=("luy", "sw", "en"), phone=_phone(119)),
        Survivor("Cynthia", ("Chepkoech",), "Kirui", FEMALE, 26, "KE", 36, CLOSURE_REQUESTED, CW2,
                 languages=("kln", "sw", "en")),
        Survivor("Ruth", ("Mwikali",), "Nzioka", FEMALE, 30, "KE", 15, IN_CARE, CW1,
                 languages=("kam", "sw", "en"),
                 notes=("Wants to restart her tailoring business; added to the next "
                        "business-skills class.",)),
        Survivor("Naomi", ("Kemunto",), "Mogaka", FEMALE, 24, "KE", 45, IN_CARE, CW2,
                 sub_county=264, languages=("guz", "sw", "en"), phone=_phone(122)),
        Survivor("Doreen", ("Kendi",), "Mutwiri", FEMALE, 22, "KE", 12, IN_CARE, CW1,
                 languages=("mer", "sw", "en")),
        Survivor("Esther", ("Kadzo",), "Katana", FEMALE, 27, "KE", 3, IN_CARE, CW2,
                 sub_county=16, languages=("nyf", "sw"), reassigned_to=CW1),
        Survivor("Zuhura", ("Salim",), "Athumani", FEMALE, 29, "KE", 1, CLOSED, CW1,
                 sub_county=3, phone=_phone(125), birthday=(1, 30)),
        Survivor("Lucy", ("Nyambura",), "Kimani", FEMALE, 31, "KE", 21, IN_CARE, CW2,
                 languages=("ki", "sw", "en")),
        Survivor("Beatrice", ("Awino",), "Ouma", FEMALE, 20, "KE", 44, OPEN, CW1,
                 languages=("luo", "sw", "en"), phone=_phone(127),
                 recruitment_type="ThroughFriendsOrSocialEvents"),
        Survivor("Sharon", ("Nekesa",), "Makokha", FEMALE, 25, "KE", 40, IN_CARE, CW2,
                 languages=("luy", "sw", "en")),
        Survivor("Gladys", ("Jerotich",), "Bett", FEMALE, 35, "KE", 29, IN_CARE, CW1,
                 languages=("kln", "sw", "en"), phone=_phone(129)),
        Survivor("Catherine", ("Mumbua",), "Kyalo", FEMALE, 28, "KE", 16, IN_CARE, CW2,
                 languages=("kam", "sw", "en"),
                 notes=("Attended the group debrief; asked about recovering the fee paid to "
                        "the agent.",)),
        Survivor("Nadine", ("Irakoze",), "Niyonkuru", FEMALE, 24, "BI", None, OPEN, CW1,
                 languages=("rn", "fr", "sw"),
                 notes=("Needs a Kirundi or French interpreter for the assessment.",)),
    ),
)

GULF_RETURNEES = Group(
    organisation="MCR",
    registered_by=MCR_CASEWORKER,
    story=GULF_DOMESTIC_WORK,
    survivors=(
        Survivor("Janet", ("Wanjala",), "Khaemba", FEMALE, 29, "KE", 39, IN_CARE, MCR_CASEWORKER,
                 languages=("luy", "sw", "en"), phone=_phone(131), country_of_exploitation="SA"),
        Survivor("Pauline", ("Mueni",), "Ndunda", FEMALE, 33, "KE", 16, IN_CARE, MCR_CASEWORKER,
                 languages=("kam", "sw", "en"), country_of_exploitation="OM", days_earlier=60),
        Survivor("Saida", ("Hamisi",), "Mwero", FEMALE, 26, "KE", 2, OPEN, MCR_CASEWORKER,
                 phone=_phone(133), country_of_exploitation="SA", days_earlier=-120,
                 passport_number="DEMO-0133"),
        Survivor("Teresia", ("Wangari",), "Mbugua", FEMALE, 35, "KE", 32, IN_CARE, MCR_CASEWORKER,
                 languages=("ki", "sw", "en"), phone=_phone(134), country_of_exploitation="LB",
                 days_earlier=200, birthday=(9, 17),
                 notes=("Both children are back in school; fees paid from the education fund.",),
                 dependants=(
                     Dependant("Ian", "Mbugua", MALE, 9, "child"),
                     Dependant("Wangui", "Mbugua", FEMALE, 6, "child"),
                 )),
        Survivor("Judith", ("Anyango",), "Oduor", FEMALE, 31, "KE", 42, CLOSURE_REQUESTED,
                 MCR_CASEWORKER, languages=("luo", "sw", "en"), country_of_exploitation="QA",
                 days_earlier=30),
        Survivor("Margaret", ("Chebet",), "Ngeno", FEMALE, 28, "KE", 36, CLOSED, MCR_CASEWORKER,
                 languages=("kln", "sw", "en"), country_of_exploitation="OM", days_earlier=90),
    ),
)

QUARRY_SURVIVORS = Group(
    organisation="CST",
    registered_by=CST_CASEWORKER,
    story=NAIROBI_QUARRY,
    survivors=(
        Survivor("Ekiru", ("Lokwawi",), "Ewoi", MALE, 19, "KE", 23, IN_CARE, CW1, sub_county=125,
                 languages=("tuv", "sw"),
                 notes=("Placed at the youth hostel; tracing his family in Lodwar through the "
                        "chief's office.",)),
    ),
)

BAR_SURVIVORS = Group(
    organisation="CST",
    registered_by=CST_CASEWORKER_2,
    story=NAIROBI_BAR,
    survivors=(
        Survivor("Amos", ("Shikuku",), "Lumbasi", MALE, 22, "KE", 37, OPEN, CW2, sub_county=202,
                 languages=("luy", "sw", "en"), phone=_phone(141),
                 dependants=(Dependant("Nanjala", "Lumbasi", FEMALE, 13, "sibling"),)),
    ),
)

MISSION_CASES = Group(
    organisation="KMG",
    registered_by=KMG_OFFICER,
    story=AWAITING_REPATRIATION,
    survivors=(
        Survivor("Rose", ("Wairimu",), "Njuguna", FEMALE, 30, "KE", 22, OPEN, KMG_OFFICER,
                 languages=("ki", "sw", "en"),
                 notes=("Emergency travel document requested; flight to be booked once the "
                        "exit permit is issued.",)),
    ),
)

HOSPITAL_CASES = Group(
    organisation="PRH",
    registered_by=PRH_SOCIAL_WORKER,
    story=MOMBASA_HOUSEHOLD,
    survivors=(
        Survivor("Mwanaisha", ("Hamadi",), "Mwachala", FEMALE, 20, "KE", 2, OPEN,
                 PRH_SOCIAL_WORKER, languages=("sw",),
                 notes=("Referred for counselling; to be seen again next week.",)),
    ),
)

SHELTER_CASES = Group(
    organisation="KSH",
    registered_by=KSH_CASEWORKER,
    story=GULF_DOMESTIC_WORK,
    survivors=(
        Survivor("Agnes", ("Nduku",), "Mutiso", FEMALE, 27, "KE", 16, IN_CARE, KSH_CASEWORKER,
                 languages=("kam", "sw", "en"), country_of_exploitation="SA", days_earlier=-100),
    ),
)

# fmt: on

GROUPS = (
    CYBER_FRAUD_GROUP,
    GULF_RETURNEES,
    QUARRY_SURVIVORS,
    BAR_SURVIVORS,
    MISSION_CASES,
    HOSPITAL_CASES,
    SHELTER_CASES,
)
