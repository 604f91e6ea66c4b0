"""Names of the entities and of their canonical values, as knowledge/vocabulary.yml and
knowledge/routes.yml use them."""

DRUG = "drug"
AGE_GROUP = "age_group"
ORGAN = "organ"
ROUTE = "route"
CELL = "cell"
ENTITIES = (DRUG, AGE_GROUP, ORGAN, ROUTE, CELL)
# Not an entity: a routing key for "the medicine named in this very message", for questions
# whose answer must not follow the conversation ("what is interferon?" after a belimumab one).
DRUG_NAMED = "drug_named"
# Not an entity either: the page's medicines a question names together, for questions answered
# by one reply that sets them side by side ("Benlysta vs Saphnelo?"), in name order joined by
# "+" ("anifrolumab+belimumab"); "none" when the question names fewer than two.
COMPARED = "compared"
# The value of every medicine the page does not describe ("methotrexate"), and of organs and
# symptoms it names no effect on.
OTHER = "other"
CHILD = "child"
ADULT = "adult"
