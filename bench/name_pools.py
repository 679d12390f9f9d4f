"""Weighted pools of common Kenyan and East African names, for invented benchmark people.

Each pool lists names roughly from the most to the least common, and a name's weight falls with
its rank (Zipf-Mandelbrot: ``1 / (rank + offset) ** exponent``), so that, as in real life, a few
names are very common (Mary, John, Otieno, Kamau, Mohamed...) and many are rare. Communities
carry their own weights. Common names are used as names only: every combination is drawn at
random, and no person, survivor, official or organisation is represented.

The figures are rough on purpose (published name frequencies for Kenya put the most common
surnames at about 1-2 % of the population and the most common forenames at 2-3 %); the point is
a realistic *shape*: many exact duplicates among common names, a long tail of rare ones.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field


def words(text: str) -> list[str]:
    """Split a whitespace-separated list of names, keeping the first of any duplicate."""
    return list(dict.fromkeys(text.split()))


# Christian and English names, shared by most Kenyan, Ugandan and Tanzanian communities.
CHRISTIAN_FEMALE = words("""
    Mary Grace Faith Esther Jane Elizabeth Ann Margaret Lucy Mercy Joyce Caroline Susan Rose
    Alice Catherine Nancy Sarah Purity Beatrice Agnes Eunice Lilian Winnie Janet Irene Jackline
    Christine Dorcas Ruth Mildred Emily Gladys Josephine Florence Violet Naomi Monica Brenda
    Sharon Diana Cynthia Veronica Judith Peris Teresia Hellen Rebecca Damaris Lydia Priscilla
    Pauline Everlyne Immaculate Millicent Phyllis Edith Stella Virginia Rachael Tabitha Hannah
    Martha Milka Maureen Doreen Jacinta Salome Roseline Scholastica Consolata Lucia Beryl Sylvia
    Vivian Linet Nelly Phoebe Rhoda Zipporah Deborah Charity Gloria Joy Abigail Anne Loice
    Gladwell Carolyne Edna Eveline Juliet Miriam Sophia Stacy Mitchelle Emmah Risper Jerusha
    Leah Lorna Maryanne Evalyne Quinter Roselyne Sabina Wilkister Beatrix Celestine Dinah
""")
CHRISTIAN_MALE = words("""
    John Joseph Peter David James Daniel Samuel Paul Stephen Michael George Francis Charles
    Patrick Moses Anthony Robert Dennis Kennedy Joshua Simon Thomas Benjamin Isaac Wilson
    Richard Vincent Evans Brian Kevin Collins Victor Geoffrey Erick Philip Martin Alex Nicholas
    Edwin Fredrick Timothy Elijah Jackson Solomon Duncan Julius Gideon Caleb Nelson Joel Amos
    Henry Bernard Felix Cyrus Dominic Emmanuel Jacob Josphat Wycliffe Benson Lawrence Harrison
    Stanley Boniface Shadrack Nahashon Zablon Elvis Ian Mark Mathew Andrew Titus Silas Erastus
    Enock Ezekiel Fredrick Gilbert Hillary Japheth Jeremiah Lameck Meshack Nixon Obadiah Reuben
    Sammy Tobias Wesley Zacharia Alfred Douglas Morris Clement Cornelius Austin Lucas Maxwell
""")
# Christian names as Burundi and Rwanda use them (French forms).
FRENCH_FEMALE = words("""
    Marie Claudine Jeanne Chantal Josiane Clarisse Aline Diane Solange Goreth Ange Francine
    Divine Esperance Annonciata Vestine Odette Beatrice Pascasie Epiphanie Godelive Gaudence
""")
FRENCH_MALE = words("""
    Jean Pierre Emmanuel Eric Claude Alexis Innocent Olivier Fabrice Didier Gilbert Pacifique
    Celestin Evariste Leonard Desire Gaspard Onesphore Fulgence Aimable Prosper Theoneste
""")
MUSLIM_FEMALE = words("""
    Fatuma Amina Halima Mariam Zainab Asha Khadija Hawa Saida Mwanaisha Rukia Zuhura Aisha
    Hodan Sahra Fartun Ayan Hibo Nasra Ruqiya Sadia Safiya Naima Faiza Salma Latifa Maryam
    Sumeya Ikran Deka Ubah Ifrah Idil Farhiya Mwanahawa Mwanajuma Rehema Zawadi Habiba Nuru
    Shamsa Hamida Sabrina Warda Kauthar Nafisa Munira Najma Bahati Mwanamisi Tatu Mishi
""")
MUSLIM_MALE = words("""
    Mohamed Ahmed Ali Hassan Abdi Omar Ibrahim Hussein Yusuf Abdullahi Ismail Osman Abdirahman
    Mustafa Adan Farah Bashir Salim Juma Rashid Said Bakari Athman Khamis Hamisi Swaleh Shaban
    Musa Issa Idris Mahmoud Suleiman Abdulkadir Abdirizak Hamza Mwinyi Abubakar Masoud Kassim
    Mbarak Hemed Noor Jama Aden Hirsi Abdinoor Shukri Yahya Zubeir Twaha Rajab Ramadhan Mzee
""")


@dataclass
class Community:
    """How one community names people: pools, their weights, and where people come from."""

    name: str
    weight: float
    female: list[str]
    male: list[str]
    surnames: list[str]
    # Share of given names drawn from the Christian (or Muslim) pool rather than the community's.
    shared_given_share: float = 0.7
    shared_female: list[str] = field(default_factory=lambda: CHRISTIAN_FEMALE)
    shared_male: list[str] = field(default_factory=lambda: CHRISTIAN_MALE)
    nationality: str = "KE"
    # County codes of origin (Kenyans), most likely first.
    counties: tuple[int, ...] = ()
    languages: tuple[str, ...] = ("sw",)


COMMUNITIES = [
    Community(
        "kikuyu",
        17,
        female=words("""
            Wanjiku Wanjiru Njeri Wambui Nyambura Wairimu Wangari Muthoni Njoki Wangui Nyokabi
            Waithera Wacera Wangeci Wahu Nduta Wanja Gathoni Mumbi Waceke Warigia Wangechi Kabura
            Nyawira Wamaitha Wacuka Njambi Wamuyu Wangu Wanjugu Wathoni Ngendo Gakenia Wariara
        """),
        male=words("""
            Kamau Mwangi Njoroge Kariuki Maina Kimani Githinji Mugo Ndungu Macharia Wainaina
            Gitau Njuguna Karanja Irungu Muriuki Ngugi Kiarie Waweru Mbugua Gachanja Nderitu
            Kinyanjui Muchiri Kahiga Chege Githaiga Kuria Mburu Nganga Gathogo Muthee Kagwe Wachira
            Kibe Thuo Gichuki Kungu Ndirangu Gakuru Mutahi Kiama Githua Kabiru Muiruri Njenga Ngure
            Kamande Kirubi Njogu Gathii Kinuthia Mwaura Nyoike Ruhiu Wahome Gachoka Mathenge
        """),
        surnames=[],
        counties=(22, 19, 21, 18, 20, 32, 47),
        languages=("ki", "sw", "en"),
    ),
    Community(
        "luo",
        13,
        female=words("""
            Akinyi Achieng Atieno Adhiambo Anyango Awino Auma Akoth Apiyo Aoko Amondi Awuor Adongo
            Aluoch Akeyo Ajwang Akumu Alango Ayoo Akech Anyiso Aloo Adoyo Arunga Abuor Agutu Ayieko
        """),
        male=words("""
            Otieno Ochieng Odhiambo Onyango Owino Ouma Okoth Opiyo Omondi Oduor Okello Ogola Owuor
            Oketch Odera Ochola Obiero Oyoo Odongo Oluoch Ogutu Okumu Otiende Ojwang Ongaro Oyugi
            Olang Orwa Oginga Onditi Obura Okwach Opondo Odero Otieno Nyabola Ogada Omolo
            Oloch Ooko Ombogo Owiti Agunda Adede Obonyo Okeyo Onyach Ochanda Oremo Akuku Abong
        """),
        surnames=[],
        counties=(42, 41, 43, 44, 47),
        languages=("luo", "sw", "en"),
    ),
    Community(
        "luhya",
        14,
        female=words("""
            Nafula Nekesa Nasimiyu Naliaka Nanjala Nabwire Nafuna Namusia Nasike Nangila
            Nakhumicha Atsieno Ayuma Kavaya Namalwa Nabangala Imali Khayesi Mmbone Andeyo Nanzala
        """),
        male=words("""
            Wafula Wanjala Barasa Wekesa Simiyu Wasike Makokha Shikuku Khisa Wamalwa Wangila
            Masinde Mukhwana Khaemba Nyongesa Shitanda Mulama Musungu Lusweti Sifuna Wanyonyi
            Wanyama Wabwire Mayende Mugasia Luvai Chitayi Andati Ambaka Juma Okwaro Namwamba Kundu
            Amukoye Ingosi Mulongo Shiundu Malala Anyangu Kweyu Mutoka Wechuli Kisiangani
        """),
        surnames=[],
        counties=(37, 39, 38, 40, 26, 47),
        languages=("luy", "sw", "en"),
    ),
    Community(
        "kalenjin",
        11,
        female=words("""
            Chebet Chepkoech Jepkosgei Chelangat Jeruto Cherono Chepngetich Jepchirchir Chepkemoi
            Jebet Chemutai Chepkirui Jelagat Cheptoo Jepkemboi Chepchumba Chepkorir Jerotich
            Chesang Cherotich Jepchumba Chemeli Jemutai Cheptanui Chepkurui Jepleting
        """),
        male=words("""
            Kiprono Kipchumba Kiplagat Kibet Cheruiyot Kiprotich Kipkemboi Rotich Koech Langat
            Kiptoo Kosgei Kirui Ngetich Kemboi Tanui Bett Sang Kipruto Korir Mutai Chepkwony Ruto
            Kipkorir Biwott Kiprop Tuwei Kimutai Yego Keter Kipkirui Limo Kogo Kiplimo Rono
            Chirchir Kipsang Toroitich Kirwa Lagat Kimaiyo Kiprugut Serem Tarus Kibor Cheboi
        """),
        surnames=[],
        counties=(27, 29, 35, 36, 30, 28, 32),
        languages=("kln", "sw", "en"),
    ),
    Community(
        "kamba",
        9,
        female=words("""
            Mwende Mueni Ndinda Kavata Syokau Mumbua Kalondu Nduku Mwikali Kanini Ndunge Mutheu
            Wayua Kasyoka Nthenya Kaluki Mbithe Munini Ndanu Kamene Mwongeli Syombua Koki
        """),
        male=words("""
            Mutua Musyoka Kioko Muthama Wambua Mutiso Kyalo Nzioka Musau Kilonzo Mulwa Mwanzia
            Kimeu Muema Muli Nzioki Kitheka Mutunga Ndambuki Munyao Mbithi Maweu Kasyoki Mwendwa
            Nthiwa Mutisya Kisilu Kiilu Makau Mwangangi Kavita Mbuvi Kimanzi Muindi Katumo Ngui
        """),
        surnames=[],
        counties=(16, 17, 15, 47),
        languages=("kam", "sw", "en"),
    ),
    Community(
        "kisii",
        5,
        female=words("""
            Moraa Kerubo Nyaboke Kemunto Bosibori Nyanchama Kwamboka Nyamoita Mokeira Gesare
            Kemuma Nyakerario Bochere Nyamusi Kerebi Nyangara Kemunto Bonareri Nyambeki
        """),
        male=words("""
            Onyancha Ongeri Nyamweya Omwenga Mogaka Ondieki Nyakundi Momanyi Nyangau Ombati Ogeto
            Nyabuto Mokaya Moseti Anyona Mose Ogari Mochama Nyaanga Ondari Makori Otwori Mainga
            Okemwa Omari Nyagaka Ombui Matara Masese Onchari Ayienda Kerosi Mogire Nyachae Bosire
        """),
        surnames=[],
        counties=(45, 46, 47),
        languages=("guz", "sw", "en"),
    ),
    Community(
        "meru",
        5,
        female=words("""
            Kendi Nkatha Kagendo Karimi Makena Kathure Kawira Gatwiri Kanana Nkirote Kainda
            Ntinyari Kinya Mukami Kaari Kathambi Kagwiria Naitore Ciamati Kananu
        """),
        male=words("""
            Mwenda Kinyua Mutwiri Kirimi Gitonga Murithi Mwiti Kaimenyi Muthuri Kiambi Koome
            Mugambi Kiogora Mburugu Murungi Kithinji Gikunda Kobia Mutuma Mwirigi Kimathi Nkonge
            Mbaabu Kinoti Marete Mungania Bundi Ithinji Mworia Gatobu
        """),
        surnames=[],
        counties=(12, 13, 14),
        languages=("mer", "sw", "en"),
    ),
    Community(
        "mijikenda",
        5,
        female=words("""
            Kadzo Kache Dama Sidi Mbeyu Kanze Riziki Mapenzi Kavumbi Neema Furaha Kahaso Sanita
            Mwanaidi Dzame Kadii Tabu
        """),
        male=words("""
            Kazungu Karisa Kahindi Charo Baya Katana Kenga Chengo Tsuma Ngala Kombe Nyale Masha
            Thoya Mramba Jefwa Ngumbao Kitsao Dzombo Menza Kiponda Mangi Kalume Ziro Mwadime
            Chai Kafedha Mwaringa Safari Kalama Munga Kadenge
        """),
        surnames=[],
        shared_given_share=0.6,
        counties=(3, 2, 1),
        languages=("nyf", "sw"),
    ),
    Community(
        "somali",
        4,
        female=MUSLIM_FEMALE,
        male=MUSLIM_MALE,
        surnames=words("""
            Mohamed Abdi Ali Hassan Ahmed Omar Hussein Ibrahim Yusuf Farah Adan Osman Abdullahi
            Ismail Warsame Noor Jama Aden Hirsi Gedi Dahir Mohamud Abdille Guled Elmi Duale Haji
            Sheikh Maalim Isaack Bille Roble Shire Egal Barre Abdirahman Ahmednoor Salat Sugow
        """),
        shared_given_share=0.0,
        counties=(7, 8, 9, 47),
        languages=("so", "sw"),
    ),
    Community(
        "swahili",
        4,
        female=MUSLIM_FEMALE,
        male=MUSLIM_MALE,
        surnames=words("""
            Juma Bakari Omar Salim Said Athman Mwinyi Hamisi Rashid Mohamed Ali Khamis Swaleh
            Shee Mzee Abubakar Masoud Badi Faki Mwalimu Kassim Mbarak Hemed Chande Mwijuma
            Nassir Mwamba Bwana Sharif Lali Zuberi
        """),
        shared_given_share=0.0,
        counties=(1, 5, 3, 4, 2),
        languages=("sw",),
    ),
    Community(
        "ugandan",
        4,
        female=words("""
            Nakato Babirye Namubiru Nansubuga Nalwoga Nabukenya Kyomuhendo Akello Nakimera
            Namutebi Nakayiza Nassali Atuhaire Ainembabazi Kembabazi Nabirye Namakula Nanyonga
            Ninsiima Kobusingye Natukunda Nakiwala
        """),
        male=words("""
            Mugisha Tumusiime Byaruhanga Kato Ssekandi Okello Musoke Lubega Nsubuga Mukasa
            Ssempala Kiggundu Ssali Mugabi Twinomugisha Tumwine Kizza Wasswa Opio Ochen Ssenyonga
            Kasozi Byamukama Katende Mubiru Kabuye Waiswa Mwesigwa Ahimbisibwe Bwambale Okot
        """),
        surnames=[],
        nationality="UG",
        languages=("lg", "en", "sw"),
    ),
    Community(
        "tanzanian",
        3,
        female=words("""
            Neema Upendo Rehema Zawadi Mwajuma Furaha Pendo Imani Subira Mwanahawa Tumaini Anyesi
            Happiness Glory Witness Sia Ester Modesta
        """),
        male=words("""
            Baraka Daudi Elia Juma Hamisi Godfrey Amani Jumanne Shabani Rajabu Saidi Mussa
            Ramadhani Athumani Goodluck Erasto Faustine Chacha Marwa Mwita
        """),
        surnames=words("""
            Mwakalinga Mwakyusa Mushi Massawe Shirima Kimaro Lyimo Swai Mrema Temba Mollel
            Kisanga Mbwambo Mwakasege Mfinanga Minja Urassa Kweka Mallya Makundi Mtui Laizer
            Magesa Mwita Marwa Chacha Nyirenda Mbilinyi Mapunda Komba Ngowi Msuya Mhina Sanga
        """),
        nationality="TZ",
        languages=("sw",),
    ),
    Community(
        "burundian",
        2,
        female=words("""
            Irakoze Iradukunda Ineza Kaneza Akimana Keza Ndayikeza Niyonsaba Nshimirimana Uwimana
            Nizigiyimana Hakizimana Girukwishaka
        """),
        male=words("""
            Kwizera Ndayisaba Irakoze Niyonzima Bigirimana Ndikumana Nduwimana Havyarimana
            Nkurunziza Ndayishimiye Niyongabo Manirakiza
        """),
        surnames=words("""
            Ndayisenga Niyonzima Nshimirimana Niyonkuru Hakizimana Ndikumana Nduwimana Bizimana
            Ntakirutimana Nsabimana Ndayizeye Nkurunziza Ndayishimiye Niyongabo Habonimana
            Manirakiza Havyarimana Manirambona Nzeyimana Bigirimana Ndagijimana Nibizi
        """),
        shared_female=FRENCH_FEMALE,
        shared_male=FRENCH_MALE,
        nationality="BI",
        languages=("rn", "fr", "sw"),
    ),
    Community(
        "rwandan",
        1.5,
        female=words("""
            Uwimana Mukamana Uwase Ingabire Umutoni Nyiraneza Kayitesi Mutesi Uwamahoro
            Mukeshimana Uwera Umuhoza Mukandayisenga Ishimwe Iradukunda Uwineza
        """),
        male=words("""
            Mugisha Habimana Nshuti Hategekimana Manzi Mugabo Gatete Nsengimana Ndayambaje
            Niyitegeka Hakizimana Munyaneza Nizeyimana Uwizeye Ntwari Kamanzi Rukundo Mutabazi
        """),
        surnames=[],
        shared_female=FRENCH_FEMALE,
        shared_male=FRENCH_MALE,
        nationality="RW",
        languages=("rw", "fr", "en"),
    ),
    Community(
        "ethiopian",
        2.5,
        female=words("""
            Tigist Hirut Almaz Selamawit Bethlehem Mekdes Meron Aster Yeshi Tsehay Meseret Genet
            Hanna Eden Saba Rahel Feven Liya Birtukan Abeba Eyerusalem Mulu Kidist Azeb Selam
            Senait Etenesh Hiwot Tsion Frehiwot Yodit
        """),
        male=words("""
            Dawit Yohannes Solomon Tesfaye Alemu Bekele Tadesse Getachew Girma Haile Mulugeta
            Abebe Kebede Hailu Worku Desta Tsegaye Berhanu Mesfin Yonas Henok Biniam Tewodros
            Fikru Ermias Abraham Million Habtamu Gebre Teshome Tekle Amanuel Negash Wondimu Asefa
        """),
        surnames=[],
        shared_given_share=0.0,
        nationality="ET",
        languages=("am", "om"),
    ),
]


def _cumulative_weights(count: int, *, offset: float, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


class Pool:
    """Names with Zipf-Mandelbrot weights by rank; ``draw`` picks one."""

    def __init__(self, names: list[str], *, offset: float = 2.0, exponent: float = 1.0) -> None:
        self.names = names
        self.cumulative = _cumulative_weights(len(names), offset=offset, exponent=exponent)
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        index = bisect.bisect(self.cumulative, rng.random() * self.total)
        return self.names[min(index, len(self.names) - 1)]


@dataclass(frozen=True)
class InventedName:
    """An invented person's names and the community pools they were drawn from."""

    given: str
    other: tuple[str, ...]
    family: str
    community: Community

    @property
    def full_name(self) -> str:
        return " ".join([self.given, *self.other, self.family]).strip()


# Full names that would repeat people from public trafficking stories are drawn again.
_AVOIDED_PAIRS = {("mercy", "otieno")}


class NameMaker:
    """Draw invented names: a community, then a given name, maybe another, and a surname."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.communities = COMMUNITIES
        self.community_weights = list(itertools.accumulate(c.weight for c in COMMUNITIES))
        self.pools: dict[int, Pool] = {}

    def _pool(self, names: list[str], *, shared: bool) -> Pool:
        key = id(names)
        if key not in self.pools:
            # Offsets chosen so that the most common forename (Mary) comes out at about 3 % of
            # people and the most common surnames (Kamau, Otieno) at about 1.5-2 %.
            self.pools[key] = Pool(names, offset=3.0, exponent=1.0)
        return self.pools[key]

    def community(self) -> Community:
        point = self.rng.random() * self.community_weights[-1]
        return self.communities[bisect.bisect(self.community_weights, point)]

    def name(self, sex: str, *, with_other_name: bool, with_family_name: bool) -> InventedName:
        """Draw the names of one invented person of ``sex`` ("female" or "male")."""
        while True:
            drawn = self._draw(sex, with_other_name, with_family_name)
            firsts = {drawn.given.lower(), *(part.lower() for part in drawn.other)}
            if not any((first, drawn.family.lower()) in _AVOIDED_PAIRS for first in firsts):
                return drawn

    def _draw(self, sex: str, with_other_name: bool, with_family_name: bool) -> InventedName:
        rng = self.rng
        community = self.community()
        own = community.female if sex == "female" else community.male
        shared = community.shared_female if sex == "female" else community.shared_male
        own_pool = self._pool(own, shared=False)
        shared_pool = self._pool(shared, shared=True)
        if community.shared_given_share and rng.random() < community.shared_given_share:
            given, other_pool = shared_pool.draw(rng), own_pool
        else:
            given = own_pool.draw(rng)
            other_pool = (
                shared_pool
                if community.shared_given_share
                else self._pool(community.male, shared=False)
            )
        other: tuple[str, ...] = ()
        if with_other_name:
            # Christian name + community name, or (Somali, Swahili, Ethiopian) the father's name.
            for _attempt in range(5):
                candidate = other_pool.draw(rng)
                if candidate != given:
                    other = (candidate,)
                    break
        family = ""
        if with_family_name:
            surnames = community.surnames or community.male
            for _attempt in range(5):
                family = self._pool(surnames, shared=False).draw(rng)
                if family != given and (family,) != other:
                    break
        return InventedName(given=given, other=other, family=family, community=community)
