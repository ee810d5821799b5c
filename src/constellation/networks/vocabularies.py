"""The shared vocabularies: kinds of organisation, topics (with the 17 UN SDGs) and
accessibility features. Seeded by a data migration; staff may add more in the admin.
Names are marked for translation here and translated when shown.
"""

from django.utils.translation import gettext_noop as N_

KINDS = [
    ("science-centre", N_("Science centre")),
    ("science-museum", N_("Science museum")),
    ("natural-history-museum", N_("Natural history museum")),
    ("childrens-museum", N_("Children's museum")),
    ("planetarium", N_("Planetarium")),
    ("aquarium", N_("Aquarium")),
    ("zoo", N_("Zoo")),
    ("botanical-garden", N_("Botanical garden")),
    ("festival", N_("Festival")),
    ("university", N_("University")),
    ("open-lab", N_("Open lab / makerspace")),
    ("company", N_("Company")),
    ("research-organisation", N_("Research organisation")),
    ("network", N_("Network")),
    ("government-body", N_("Government body")),
    ("other", N_("Other")),
]

SDGS = [
    N_("No poverty"), N_("Zero hunger"), N_("Good health and well-being"), N_("Quality education"),
    N_("Gender equality"), N_("Clean water and sanitation"), N_("Affordable and clean energy"),
    N_("Decent work and economic growth"), N_("Industry, innovation and infrastructure"),
    N_("Reduced inequalities"), N_("Sustainable cities and communities"),
    N_("Responsible consumption and production"), N_("Climate action"), N_("Life below water"),
    N_("Life on land"), N_("Peace, justice and strong institutions"), N_("Partnerships for the goals"),
]

TOPICS = [(f"sdg-{n}", name, True) for n, name in enumerate(SDGS, start=1)] + [
    ("space", N_("Space and astronomy"), False),
    ("climate", N_("Climate"), False),
    ("biodiversity", N_("Biodiversity"), False),
    ("health", N_("Health and medicine"), False),
    ("technology", N_("Technology"), False),
    ("mathematics", N_("Mathematics"), False),
    ("physics", N_("Physics"), False),
    ("chemistry", N_("Chemistry"), False),
    ("engineering", N_("Engineering"), False),
    ("ocean", N_("Ocean"), False),
    ("earth-science", N_("Earth science"), False),
    ("ai-digital", N_("AI and digital"), False),
]

ACCESSIBILITY = [
    ("step-free", N_("Step-free access")),
    ("quiet-hours", N_("Quiet hours / sensory-friendly sessions")),
    ("sign-language", N_("Sign-language tours")),
    ("audio-description", N_("Audio description")),
    ("tactile", N_("Tactile exhibits")),
    ("hearing-loop", N_("Hearing loop")),
    ("wheelchair-loan", N_("Wheelchairs to borrow")),
    ("accessible-toilets", N_("Accessible toilets")),
    ("easy-read", N_("Easy-read information")),
    ("quiet-room", N_("Quiet room")),
    ("free-carer", N_("Free entry for carers")),
]
