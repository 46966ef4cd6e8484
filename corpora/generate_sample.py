#!/usr/bin/env python3
"""Generate w2v's sample corpus and its two small benchmark files.

    python3 corpora/generate_sample.py            # writes corpora/sample.txt,
                                                  # sample-questions.txt, sample-similarity.tsv
    python3 corpora/generate_sample.py --words 50000 --seed 7 --output /tmp/small.txt

The corpus is synthetic, English-like text made from templates with planted structure, so that
a model trained on it for a few seconds shows what word embeddings do:

* gendered pairs that share a domain (king/queen and prince/princess live in palaces, father/mother
  at home, actor/actress on stage) and differ by pronoun (he/his/him versus she/her), so that
  `w2v analogy man king woman` answers queen;
* countries with their capital and language/nationality adjective (france, paris, french), where
  cities are "visited" and "have streets" while countries "have borders" and "governments";
* verbs in three forms (walk, walked, walking) with verb-specific objects and tense markers
  (every day, yesterday, right now);
* nouns in the singular and plural (one cat, three cats), adjectives with comparative and
  superlative forms (big, bigger, biggest), and the number words one ... twelve.

Everything is lower case, one sentence per line, and fully determined by --seed (Python's
`random.Random`, whose sequence is stable across Python 3 versions for `random()`, which is
the only method used here).
"""

import argparse
import os
import random

# --- Vocabulary with planted structure ------------------------------------------------------

# (male, female, domain)
GENDER_PAIRS = [
    ("man", "woman", "street"),
    ("boy", "girl", "school"),
    ("king", "queen", "palace"),
    ("prince", "princess", "palace"),
    ("father", "mother", "home"),
    ("son", "daughter", "home"),
    ("brother", "sister", "home"),
    ("husband", "wife", "home"),
    ("uncle", "aunt", "farm"),
    ("grandfather", "grandmother", "farm"),
    ("actor", "actress", "theatre"),
    ("waiter", "waitress", "restaurant"),
    ("monk", "nun", "church"),
    ("policeman", "policewoman", "street"),
]

# Words that describe each domain (places, things and doings seen with the people in it).
DOMAINS = {
    "street": (["street", "city", "market", "crowd"], ["strolled down the avenue", "crossed the road", "waited at the corner"]),
    "school": (["school", "classroom", "teacher", "lesson"], ["went to school", "studied the lesson", "ran in the yard"]),
    "palace": (["palace", "throne", "crown", "kingdom"], ["ruled the kingdom", "sat on the throne", "wore the crown"]),
    "home": (["home", "kitchen", "garden", "family"], ["made dinner for the family", "cleaned the kitchen", "worked in the garden"]),
    "farm": (["farm", "field", "barn", "village"], ["fed the animals on the farm", "worked in the field", "rode to the village"]),
    "theatre": (["theatre", "stage", "play", "audience"], ["performed on the stage", "rehearsed the lines of the play", "bowed to the audience"]),
    "restaurant": (["restaurant", "table", "menu", "guests"], ["served the guests", "cleared the table", "brought the menu"]),
    "church": (["church", "prayer", "chapel", "bell"], ["prayed in the chapel", "rang the bell", "knelt in the church"]),
}

PRONOUNS = {"m": ("he", "his", "him"), "f": ("she", "her", "her")}

# Young people (the others are grown-ups): keeps king/queen apart from prince/princess.
YOUNG = {"boy", "girl", "prince", "princess", "son", "daughter", "brother", "sister"}
AGE_WORDS = {True: ["young", "little", "teenage"], False: ["grown", "wise", "elderly"]}

# (country, capital, adjective / language)
COUNTRIES = [
    ("france", "paris", "french"),
    ("germany", "berlin", "german"),
    ("italy", "rome", "italian"),
    ("spain", "madrid", "spanish"),
    ("japan", "tokyo", "japanese"),
    ("china", "beijing", "chinese"),
    ("russia", "moscow", "russian"),
    ("egypt", "cairo", "egyptian"),
    ("greece", "athens", "greek"),
    ("canada", "ottawa", "canadian"),
    ("poland", "warsaw", "polish"),
    ("sweden", "stockholm", "swedish"),
    ("norway", "oslo", "norwegian"),
    ("portugal", "lisbon", "portuguese"),
    ("turkey", "ankara", "turkish"),
    ("austria", "vienna", "austrian"),
    ("ireland", "dublin", "irish"),
    ("peru", "lima", "peruvian"),
    ("kenya", "nairobi", "kenyan"),
    ("cuba", "havana", "cuban"),
    ("iran", "tehran", "iranian"),
    ("vietnam", "hanoi", "vietnamese"),
    ("finland", "helsinki", "finnish"),
    ("hungary", "budapest", "hungarian"),
]

# (base, past, -ing, objects)
VERBS = [
    ("walk", "walked", "walking", ["dog", "path", "mile"]),
    ("eat", "ate", "eating", ["bread", "apple", "soup"]),
    ("read", "read", "reading", ["book", "letter", "newspaper"]),
    ("write", "wrote", "writing", ["letter", "poem", "story"]),
    ("sing", "sang", "singing", ["song", "hymn", "tune"]),
    ("drive", "drove", "driving", ["car", "bus", "truck"]),
    ("play", "played", "playing", ["game", "piano", "guitar"]),
    ("paint", "painted", "painting", ["picture", "wall", "fence"]),
    ("build", "built", "building", ["house", "bridge", "tower"]),
    ("buy", "bought", "buying", ["bread", "ticket", "coat"]),
    ("sell", "sold", "selling", ["fish", "ticket", "horse"]),
    ("teach", "taught", "teaching", ["lesson", "class", "student"]),
    ("swim", "swam", "swimming", ["river", "lake", "race"]),
    ("see", "saw", "seeing", ["film", "doctor", "sea"]),
    ("take", "took", "taking", ["train", "photo", "bus"]),
    ("speak", "spoke", "speaking", ["language", "truth", "word"]),
    ("drink", "drank", "drinking", ["water", "tea", "milk"]),
    ("cook", "cooked", "cooking", ["dinner", "soup", "rice"]),
]
PRESENT_MARKERS = ["every day", "every morning", "often", "usually", "always"]
PAST_MARKERS = ["yesterday", "last week", "last night", "once", "two days ago"]
PROGRESSIVE_MARKERS = ["right now", "at the moment", "today", "this morning", "still"]

# (singular, plural, what it does)
NOUNS = [
    ("cat", "cats", "sleep on the sofa"),
    ("dog", "dogs", "bark at night"),
    ("horse", "horses", "run in the field"),
    ("bird", "birds", "sing in the trees"),
    ("cow", "cows", "give milk"),
    ("mouse", "mice", "hide in the barn"),
    ("apple", "apples", "grow on the tree"),
    ("car", "cars", "stop at the lights"),
    ("house", "houses", "stand on the hill"),
    ("book", "books", "lie on the shelf"),
    ("child", "children", "play in the park"),
    ("tree", "trees", "lose their leaves"),
    ("ship", "ships", "sail across the sea"),
    ("city", "cities", "grow every year"),
]

# (adjective, comparative, superlative, things it describes)
ADJECTIVES = [
    ("big", "bigger", "biggest", ["house", "ship", "city"]),
    ("small", "smaller", "smallest", ["mouse", "bird", "cat"]),
    ("tall", "taller", "tallest", ["tree", "tower", "man"]),
    ("fast", "faster", "fastest", ["car", "horse", "train"]),
    ("old", "older", "oldest", ["church", "tree", "book"]),
    ("young", "younger", "youngest", ["child", "boy", "girl"]),
    ("cold", "colder", "coldest", ["winter", "water", "night"]),
    ("warm", "warmer", "warmest", ["summer", "soup", "coat"]),
    ("long", "longer", "longest", ["river", "road", "story"]),
    ("strong", "stronger", "strongest", ["horse", "man", "wind"]),
]

NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
OPENERS = ["", "", "", "", "then", "and", "so", "later", "in the end", "one day", "after that"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def pick(self, items):
        return items[int(self.rng.random() * len(items))]

    def chance(self, p):
        return self.rng.random() < p

    # -- templates --
    def person_sentence(self):
        male, female, domain = self.pick(GENDER_PAIRS)
        gender = "m" if self.chance(0.5) else "f"
        person = male if gender == "m" else female
        subj, poss, obj = PRONOUNS[gender]
        places, doings = DOMAINS[domain]
        place = self.pick(places)
        age = self.pick(AGE_WORDS[male in YOUNG])
        template = int(self.rng.random() * 10)
        if template == 8:
            return f"the {age} {person} {self.pick(doings)}"
        if template == 9:
            return f"{subj} was a {age} {person} in the {place}"
        if template == 0:
            return f"the {person} {self.pick(doings)} and {subj} was happy"
        if template == 1:
            return f"{subj} is the {person} who lives near the {place}"
        if template == 2:
            return f"the {person} saw {poss} friend in the {place}"
        if template == 3:
            return f"everyone in the {place} knew the {person} and liked {obj}"
        if template == 4:
            other_male, other_female, _ = self.pick(GENDER_PAIRS)
            other = other_male if gender == "m" else other_female
            return f"the {person} spoke to the {other} and {subj} {self.pick(doings)}"
        if template == 5:
            return f"{subj} said that {poss} {self.pick(places)} was far from the {place}"
        if template == 6:
            return f"the {person} {self.pick(doings)} with {poss} own hands"
        # a pair sentence: both members of a gendered pair in one domain
        return f"the {male} and the {female} {self.pick(doings)} together"

    def country_sentence(self):
        country, capital, adjective = self.pick(COUNTRIES)
        other_country, other_capital, other_adjective = self.pick(COUNTRIES)
        template = int(self.rng.random() * 14)
        if template == 0:
            return f"{capital} is the capital of {country}"
        if template == 1:
            return f"the capital of {country} is {capital}"
        if template == 2:
            return f"people in {country} speak {adjective}"
        if template == 3:
            return f"the {adjective} government met in {capital}"
        if template == 4:
            return f"we flew from {capital} to {other_capital} on a small plane"
        if template == 5:
            return f"the streets of {capital} in {country} were full of {adjective} tourists"
        if template == 6:
            return f"the border between {country} and {other_country} is long"
        if template == 7:
            return f"the president of {country} visited {other_country}"
        if template == 8:
            return f"she ate {adjective} food in a small cafe in {capital}"
        if template == 9:
            return f"the mayor of {capital} opened a new museum in the city"
        if template == 10:
            return f"he learned to speak {adjective} when he lived in {country}"
        if template == 11:
            return f"she moved to {capital} because she loved {country} and the {adjective} language"
        if template == 12:
            return f"the {adjective} people of {country} are proud of {capital}"
        return f"the {adjective} and the {other_adjective} teams played in {capital}"

    def verb_sentence(self):
        base, past, ing, objects = self.pick(VERBS)
        thing = self.pick(objects)
        subject_m, subject_f, _ = self.pick(GENDER_PAIRS)
        person = self.pick([subject_m, subject_f])
        template = int(self.rng.random() * 6)
        if template == 0:
            return f"{self.pick(PRESENT_MARKERS)} they {base} the {thing}"
        if template == 1:
            return f"we {base} a {thing} {self.pick(PRESENT_MARKERS)}"
        if template == 2:
            return f"{self.pick(PAST_MARKERS)} the {person} {past} the {thing}"
        if template == 3:
            return f"the {person} {past} a {thing} {self.pick(PAST_MARKERS)}"
        if template == 4:
            return f"the {person} is {ing} the {thing} {self.pick(PROGRESSIVE_MARKERS)}"
        return f"{self.pick(PROGRESSIVE_MARKERS)} they are {ing} a {thing}"

    def noun_sentence(self):
        singular, plural, doing = self.pick(NOUNS)
        template = int(self.rng.random() * 4)
        if template == 0:
            return f"one {singular} and {self.pick(NUMBERS)} {plural} {doing}"
        if template == 1:
            return f"there is a {singular} here and many {plural} there"
        if template == 2:
            return f"the {plural} {doing} but this {singular} does not"
        return f"we counted {self.pick(NUMBERS)} {plural} and one {singular}"

    def adjective_sentence(self):
        positive, comparative, superlative, things = self.pick(ADJECTIVES)
        thing = self.pick(things)
        other = self.pick(things)
        template = int(self.rng.random() * 4)
        if template == 0:
            return f"the {thing} is very {positive}"
        if template == 1:
            return f"this {thing} is {comparative} than that {other}"
        if template == 2:
            return f"it was the {superlative} {thing} of them all"
        return f"a {positive} {thing} is good but a {comparative} one is better and the {superlative} is best"

    def sentence(self):
        r = self.rng.random()
        if r < 0.34:
            body = self.person_sentence()
        elif r < 0.62:
            body = self.country_sentence()
        elif r < 0.80:
            body = self.verb_sentence()
        elif r < 0.90:
            body = self.noun_sentence()
        else:
            body = self.adjective_sentence()
        opener = self.pick(OPENERS)
        return f"{opener} {body}" if opener else body


def corpus_lines(words, seed):
    generator = Generator(seed)
    count = 0
    while count < words:
        line = generator.sentence()
        count += len(line.split())
        yield line


def analogy_questions():
    """Questions in the questions-words.txt format; `gram` sections are syntactic."""
    sections = []

    def all_pairs(name, pairs, limit=None):
        lines = []
        for a, b in pairs:
            for c, d in pairs:
                if a != c:
                    lines.append(f"{a} {b} {c} {d}")
        sections.append((name, lines[:limit] if limit else lines))

    all_pairs("capital-common-countries", [(cap, c) for c, cap, _ in COUNTRIES[:12]])
    all_pairs("family", [(m, f) for m, f, _ in GENDER_PAIRS])
    all_pairs("gram2-comparative", [(p, c) for p, c, _, _ in ADJECTIVES])
    all_pairs("gram3-superlative", [(p, s) for p, _, s, _ in ADJECTIVES])
    all_pairs("gram5-present-participle", [(b, i) for b, _, i, _ in VERBS[:12]])
    all_pairs("gram6-nationality-adjective", [(c, a) for c, _, a in COUNTRIES[:12]])
    all_pairs("gram7-past-tense", [(i, p) for _, p, i, _ in VERBS[:12]])
    all_pairs("gram8-plural", [(s, p) for s, p, _ in NOUNS])
    return sections


def similarity_pairs():
    """Word pairs with a 0-10 relatedness score implied by the planted structure."""
    pairs = []
    for (m1, f1, d1), (m2, f2, d2) in zip(GENDER_PAIRS, GENDER_PAIRS[1:]):
        pairs.append((m1, f1, 8.5))
        pairs.append((m1, m2, 6.0 if d1 == d2 else 4.0))
    for (c1, cap1, a1), (c2, cap2, _) in zip(COUNTRIES[:10], COUNTRIES[1:11]):
        pairs.append((c1, cap1, 8.0))
        pairs.append((c1, a1, 8.0))
        pairs.append((cap1, cap2, 6.0))
    for (b, p, i, objects) in VERBS[:8]:
        pairs.append((b, p, 8.0))
        pairs.append((b, objects[0], 5.0))
    for (s, p, _) in NOUNS[:8]:
        pairs.append((s, p, 8.5))
    unrelated = [("king", "soup"), ("paris", "guitar"), ("horse", "poem"), ("queen", "truck"),
                 ("cat", "budapest"), ("bread", "throne"), ("tokyo", "hymn"), ("monk", "bus"),
                 ("nun", "lima"), ("piano", "kenya"), ("fence", "chapel"), ("mouse", "president")]
    pairs.extend((a, b, 1.0) for a, b in unrelated)
    return pairs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=180_000, help="approximate number of words (default 180000)")
    parser.add_argument("--seed", type=int, default=2013, help="random seed (default 2013)")
    parser.add_argument("--output", default=os.path.join(here, "sample.txt"), help="corpus file to write")
    parser.add_argument("--no-benchmarks", action="store_true", help="write only the corpus")
    args = parser.parse_args()

    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        for line in corpus_lines(args.words, args.seed):
            out.write(line + "\n")

    if not args.no_benchmarks:
        directory = os.path.dirname(os.path.abspath(args.output))
        with open(os.path.join(directory, "sample-questions.txt"), "w", encoding="utf-8", newline="\n") as out:
            for name, lines in analogy_questions():
                out.write(f": {name}\n")
                for line in lines:
                    out.write(line + "\n")
        with open(os.path.join(directory, "sample-similarity.tsv"), "w", encoding="utf-8", newline="\n") as out:
            out.write("# w2v sample word pairs: word 1, word 2, relatedness 0-10 implied by the generator\n")
            for a, b, score in similarity_pairs():
                out.write(f"{a}\t{b}\t{score:.1f}\n")


if __name__ == "__main__":
    main()
