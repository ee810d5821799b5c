"""The shared vocabularies: kinds of organisation, topics (with the 17 UN SDGs) and
accessibility features. Seeded by a data migration; staff may add more in the admin.
Names are marked for translation here and translated when shown.
"""

from django.utils.translation import gettext_noop

KINDS = [
    ("science-centre", gettext_noop("Science centre")),
    ("science-museum", gettext_noop("Science museum")),
    ("natural-history-museum", gettext_noop("Natural history museum")),
    ("childrens-museum", gettext_noop("Children's museum")),
    ("planetarium", gettext_noop("Planetarium")),
    ("aquarium", gettext_noop("Aquarium")),
    ("zoo", gettext_noop("Zoo")),
    ("botanical-garden", gettext_noop("Botanical garden")),
    ("festival", gettext_noop("Festival")),
    ("university", gettext_noop("University")),
    ("open-lab", gettext_noop("Open lab / makerspace")),
    ("company", gettext_noop("Company")),
    ("research-organisation", gettext_noop("Research organisation")),
    ("network", gettext_noop("Network")),
    ("government-body", gettext_noop("Government body")),
    ("other", gettext_noop("Other")),
]

SDGS = [
    gettext_noop("No poverty"), gettext_noop("Zero hunger"), gettext_noop("Good health and well-being"), gettext_noop("Quality education"),
    gettext_noop("Gender equality"), gettext_noop("Clean water and sanitation"), gettext_noop("Affordable and clean energy"),
    gettext_noop("Decent work and economic growth"), gettext_noop("Industry, innovation and infrastructure"),
    gettext_noop("Reduced inequalities"), gettext_noop("Sustainable cities and communities"),
    gettext_noop("Responsible consumption and production"), gettext_noop("Climate action"), gettext_noop("Life below water"),
    gettext_noop("Life on land"), gettext_noop("Peace, justice and strong institutions"), gettext_noop("Partnerships for the goals"),
]

TOPICS = [(f"sdg-{n}", name, True) for n, name in enumerate(SDGS, start=1)] + [
    ("space", gettext_noop("Space and astronomy"), False),
    ("climate", gettext_noop("Climate"), False),
    ("biodiversity", gettext_noop("Biodiversity"), False),
    ("health", gettext_noop("Health and medicine"), False),
    ("technology", gettext_noop("Technology"), False),
    ("mathematics", gettext_noop("Mathematics"), False),
    ("physics", gettext_noop("Physics"), False),
    ("chemistry", gettext_noop("Chemistry"), False),
    ("engineering", gettext_noop("Engineering"), False),
    ("ocean", gettext_noop("Ocean"), False),
    ("earth-science", gettext_noop("Earth science"), False),
    ("ai-digital", gettext_noop("AI and digital"), False),
]

ACCESSIBILITY = [
    ("step-free", gettext_noop("Step-free access")),
    ("quiet-hours", gettext_noop("Quiet hours / sensory-friendly sessions")),
    ("sign-language", gettext_noop("Sign-language tours")),
    ("audio-description", gettext_noop("Audio description")),
    ("tactile", gettext_noop("Tactile exhibits")),
    ("hearing-loop", gettext_noop("Hearing loop")),
    ("wheelchair-loan", gettext_noop("Wheelchairs to borrow")),
    ("accessible-toilets", gettext_noop("Accessible toilets")),
    ("easy-read", gettext_noop("Easy-read information")),
    ("quiet-room", gettext_noop("Quiet room")),
    ("free-carer", gettext_noop("Free entry for carers")),
]


def seed_vocabularies(kind_model, topic_model, feature_model) -> None:
    """Create or refresh the shared vocabularies (idempotent).

    Takes the models as arguments so that the data migration can pass its historical ones
    and the test suite the real ones (a transactional test's flush empties these tables).
    """
    for position, (slug, name) in enumerate(KINDS, start=1):
        kind_model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    sdg = 0
    for position, (slug, name, is_sdg) in enumerate(TOPICS, start=1):
        sdg += 1 if is_sdg else 0
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_sdg": is_sdg, "position": sdg if is_sdg else position}
        )
    for position, (slug, name) in enumerate(ACCESSIBILITY, start=1):
        feature_model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
