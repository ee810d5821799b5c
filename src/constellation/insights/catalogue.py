"""The default catalogue of indicators, modelled on what science-centre surveys collect.

A data migration loads it once; afterwards staff edit the indicators in the admin, so the
rows in the database, not this list, are what a survey asks. Labels and help texts are
data (one text per language), not interface strings, so they are written here in every
interface language rather than in the translation catalogue.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)

# The categories that group a survey's questions. A category staff type in the admin
# that is not listed here is shown as typed.
CATEGORIES = {
    "audiences": _("Visitors and reach"),
    "resources": _("Space and people"),
    "finances": _("Budget and income"),
    "profile": _("Organisation"),
}


def category_label(category: str) -> str:
    return str(CATEGORIES.get(category, category))


def _texts(en: str, fr: str, es: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es, "ar": ar}


def _indicator(key, unit, category, label, help_text, *, required=False, income=False, decimals=False, **extra):
    return {
        "key": key, "unit": unit, "category": category, "labels": label, "help_texts": help_text,
        "required": required, "is_income_source": income, "allows_decimals": decimals,
        "min_value": ZERO, "max_value": None, "choices": [], **extra,
    }


def _income(key: str, label: dict[str, str], help_text: dict[str, str]) -> dict:
    return _indicator(key, "money", "finances", label, help_text, income=True)


DEFAULT_INDICATORS: list[dict] = [
    _indicator(
        "onsite_visitors", "count", "audiences",
        _texts("On-site visitors", "Visiteurs sur site", "Visitantes en el centro", "الزوار في الموقع"),
        _texts(
            "Visits to your building and site during the year, school groups included. Count each visit, not unique people.",
            "Visites de votre bâtiment et de votre site pendant l'année, groupes scolaires compris. Comptez chaque visite, pas les personnes uniques.",
            "Visitas a su edificio y recinto durante el año, incluidos los grupos escolares. Cuente cada visita, no personas únicas.",
            "زيارات مبناكم وموقعكم خلال السنة، بما فيها المجموعات المدرسية. احسبوا كل زيارة، لا الأشخاص المختلفين.",
        ),
        required=True,
    ),
    _indicator(
        "school_visitors", "count", "audiences",
        _texts("School-group visitors", "Visiteurs en groupes scolaires", "Visitantes en grupos escolares", "زوار المجموعات المدرسية"),
        _texts(
            "Pupils and teachers who came in organised school groups (also counted in on-site visitors).",
            "Élèves et enseignants venus en groupes scolaires organisés (également comptés dans les visiteurs sur site).",
            "Alumnos y docentes que vinieron en grupos escolares organizados (también contados en los visitantes en el centro).",
            "التلاميذ والمعلمون الذين حضروا ضمن مجموعات مدرسية منظمة (محسوبون أيضاً ضمن الزوار في الموقع).",
        ),
    ),
    _indicator(
        "outreach_participants", "count", "audiences",
        _texts(
            "Outreach and off-site participants", "Participants hors les murs",
            "Participantes en actividades externas", "المشاركون في الأنشطة الخارجية",
        ),
        _texts(
            "People reached away from your site: touring exhibitions, science shows, festivals, your staff's visits to schools.",
            "Personnes touchées hors de votre site : expositions itinérantes, spectacles scientifiques, festivals, interventions de votre équipe dans les écoles.",
            "Personas alcanzadas fuera de su centro: exposiciones itinerantes, espectáculos científicos, festivales, visitas de su personal a escuelas.",
            "الأشخاص الذين وصلتم إليهم خارج موقعكم: المعارض المتنقلة والعروض العلمية والمهرجانات وزيارات فريقكم إلى المدارس.",
        ),
    ),
    _indicator(
        "online_reach", "count", "audiences",
        _texts("Online reach", "Audience en ligne", "Alcance en línea", "الوصول عبر الإنترنت"),
        _texts(
            "People who took part in your online programmes or watched your videos and live streams, as your tools count them.",
            "Personnes ayant participé à vos programmes en ligne ou regardé vos vidéos et diffusions en direct, telles que vos outils les comptent.",
            "Personas que participaron en sus programas en línea o vieron sus vídeos y emisiones en directo, según las cuentan sus herramientas.",
            "الأشخاص الذين شاركوا في برامجكم عبر الإنترنت أو شاهدوا مقاطعكم وبثكم المباشر، كما تحسبهم أدواتكم.",
        ),
    ),
    _indicator(
        "underserved_visitors", "count", "audiences",
        _texts(
            "Visitors from under-served communities", "Visiteurs issus de publics éloignés",
            "Visitantes de comunidades desatendidas", "الزوار من المجتمعات الأقل حظاً",
        ),
        _texts(
            "Visitors who came through programmes for communities with little access to science engagement: low income, rural, disabled people, refugees.",
            "Visiteurs venus grâce à des programmes pour des publics qui ont peu accès à la culture scientifique : faibles revenus, zones rurales, personnes handicapées, réfugiés.",
            "Visitantes que vinieron a través de programas para comunidades con poco acceso a la divulgación científica: bajos ingresos, zonas rurales, personas con discapacidad, refugiados.",
            "الزوار الذين حضروا عبر برامج موجهة لمجتمعات قليلة الوصول إلى الأنشطة العلمية: ذوو الدخل المحدود وسكان الأرياف وذوو الإعاقة واللاجئون.",
        ),
    ),
    _indicator(
        "member_households", "count", "audiences",
        _texts("Member households", "Foyers adhérents", "Hogares socios", "الأسر المشتركة"),
        _texts(
            "Households holding a paid membership of your centre at the end of the year.",
            "Foyers titulaires d'une adhésion payante à votre centre à la fin de l'année.",
            "Hogares con una membresía de pago de su centro al final del año.",
            "الأسر التي تحمل اشتراكاً مدفوعاً في مركزكم في نهاية السنة.",
        ),
    ),
    _indicator(
        "floor_area", "area", "resources",
        _texts("Exhibition floor area", "Surface d'exposition", "Superficie expositiva", "مساحة المعارض"),
        _texts(
            "Indoor and outdoor exhibition space open to visitors, in square metres.",
            "Espaces d'exposition intérieurs et extérieurs ouverts au public, en mètres carrés.",
            "Espacio expositivo interior y exterior abierto al público, en metros cuadrados.",
            "مساحات العرض الداخلية والخارجية المفتوحة للزوار، بالمتر المربع.",
        ),
    ),
    _indicator(
        "staff_fte", "count", "resources",
        _texts(
            "Staff (full-time equivalent)", "Personnel (équivalent temps plein)",
            "Personal (equivalente a tiempo completo)", "الموظفون (ما يعادل الدوام الكامل)",
        ),
        _texts(
            "Paid staff as full-time equivalents: two half-time posts count as 1. Decimals are allowed.",
            "Personnel salarié en équivalents temps plein : deux mi-temps comptent pour 1. Les décimales sont acceptées.",
            "Personal remunerado en equivalentes a tiempo completo: dos medias jornadas cuentan como 1. Se admiten decimales.",
            "الموظفون بأجر محسوبون بما يعادل الدوام الكامل: وظيفتان بنصف دوام تساويان 1. يمكن استخدام الكسور العشرية.",
        ),
        required=True, decimals=True,
    ),
    _indicator(
        "volunteers", "count", "resources",
        _texts("Volunteers", "Bénévoles", "Voluntarios", "المتطوعون"),
        _texts(
            "People who volunteered with you during the year: a headcount, not hours.",
            "Personnes ayant fait du bénévolat chez vous pendant l'année : un nombre de personnes, pas d'heures.",
            "Personas que colaboraron como voluntarias durante el año: número de personas, no de horas.",
            "الأشخاص الذين تطوعوا معكم خلال السنة: عدد الأشخاص، لا عدد الساعات.",
        ),
    ),
    _indicator(
        "operating_budget", "money", "finances",
        _texts("Operating budget", "Budget de fonctionnement", "Presupuesto operativo", "ميزانية التشغيل"),
        _texts(
            "Total operating expenditure for the year, without capital investment.",
            "Total des dépenses de fonctionnement de l'année, hors investissements.",
            "Gasto operativo total del año, sin inversiones de capital.",
            "إجمالي نفقات التشغيل للسنة، دون الاستثمارات الرأسمالية.",
        ),
        required=True,
    ),
    _income(
        "income_public",
        _texts("Income: public funding", "Recettes : financements publics", "Ingresos: financiación pública", "الإيرادات: التمويل العام"),
        _texts(
            "Operating subsidies from national, regional and local government.",
            "Subventions de fonctionnement de l'État, des régions et des collectivités locales.",
            "Subvenciones operativas de la administración nacional, regional y local.",
            "إعانات التشغيل من الحكومة الوطنية والإقليمية والمحلية.",
        ),
    ),
    _income(
        "income_admissions",
        _texts("Income: admissions", "Recettes : billetterie", "Ingresos: entradas", "الإيرادات: التذاكر"),
        _texts(
            "Ticket sales for exhibitions, shows and the planetarium.",
            "Ventes de billets pour les expositions, les spectacles et le planétarium.",
            "Venta de entradas para exposiciones, espectáculos y el planetario.",
            "مبيعات تذاكر المعارض والعروض والقبة الفلكية.",
        ),
    ),
    _income(
        "income_memberships",
        _texts("Income: memberships", "Recettes : adhésions", "Ingresos: membresías", "الإيرادات: الاشتراكات"),
        _texts(
            "Fees from member households and friends' schemes.",
            "Cotisations des foyers adhérents et des sociétés d'amis.",
            "Cuotas de hogares socios y programas de amigos.",
            "رسوم الأسر المشتركة وبرامج الأصدقاء.",
        ),
    ),
    _income(
        "income_grants",
        _texts("Income: project grants", "Recettes : subventions sur projet", "Ingresos: subvenciones a proyectos", "الإيرادات: منح المشاريع"),
        _texts(
            "Competitive grants for projects, for example from research or European programmes.",
            "Subventions obtenues sur appel à projets, par exemple de programmes de recherche ou européens.",
            "Subvenciones competitivas para proyectos, por ejemplo de programas de investigación o europeos.",
            "منح تنافسية لمشاريع، مثل منح برامج البحث أو البرامج الأوروبية.",
        ),
    ),
    _income(
        "income_corporate",
        _texts("Income: corporate support", "Recettes : entreprises", "Ingresos: empresas", "الإيرادات: دعم الشركات"),
        _texts(
            "Sponsorship and partnerships with companies.",
            "Mécénat et partenariats avec des entreprises.",
            "Patrocinios y alianzas con empresas.",
            "الرعاية والشراكات مع الشركات.",
        ),
    ),
    _income(
        "income_philanthropy",
        _texts("Income: philanthropy", "Recettes : philanthropie", "Ingresos: filantropía", "الإيرادات: العمل الخيري"),
        _texts(
            "Donations from individuals and foundations.",
            "Dons de particuliers et de fondations.",
            "Donaciones de particulares y fundaciones.",
            "تبرعات الأفراد والمؤسسات الخيرية.",
        ),
    ),
    _income(
        "income_retail",
        _texts("Income: retail and catering", "Recettes : boutique et restauration", "Ingresos: tienda y restauración", "الإيرادات: المتجر والمطعم"),
        _texts(
            "Shop, café, restaurant and venue hire.",
            "Boutique, café, restaurant et location d'espaces.",
            "Tienda, cafetería, restaurante y alquiler de espacios.",
            "المتجر والمقهى والمطعم وتأجير القاعات.",
        ),
    ),
    _income(
        "income_other",
        _texts("Income: other", "Recettes : autres", "Ingresos: otros", "الإيرادات: أخرى"),
        _texts(
            "Any other operating income.",
            "Toute autre recette de fonctionnement.",
            "Cualquier otro ingreso operativo.",
            "أي إيرادات تشغيلية أخرى.",
        ),
    ),
    _indicator(
        "governance", "choice", "profile",
        _texts("Governance", "Statut", "Forma de gestión", "نوع الإدارة"),
        _texts(
            "Who runs your organisation.",
            "Qui gère votre organisation.",
            "Quién gestiona su organización.",
            "الجهة التي تدير مؤسستكم.",
        ),
        min_value=None,
        choices=[
            {"value": "public", "labels": _texts("Public", "Public", "Pública", "عامة")},
            {"value": "nonprofit", "labels": _texts("Private non-profit", "Privé à but non lucratif", "Privada sin ánimo de lucro", "خاصة غير ربحية")},
            {"value": "forprofit", "labels": _texts("Private for-profit", "Privé à but lucratif", "Privada con ánimo de lucro", "خاصة ربحية")},
            {"value": "university", "labels": _texts("University", "Université", "Universidad", "جامعية")},
            {"value": "other", "labels": _texts("Other", "Autre", "Otra", "أخرى")},
        ],
    ),
]

DEFAULT_KEYS = [item["key"] for item in DEFAULT_INDICATORS]


def load_default_catalogue(indicator_model) -> int:
    """Add the default indicators that are missing; returns how many were added.

    Takes the model (the migration passes its historical one). Indicators already there,
    even edited by staff, are left as they are, so running it again changes nothing.
    """
    existing = set(indicator_model.objects.values_list("key", flat=True))
    new = [
        indicator_model(position=(number + 1) * 10, **item)
        for number, item in enumerate(DEFAULT_INDICATORS)
        if item["key"] not in existing
    ]
    indicator_model.objects.bulk_create(new)
    return len(new)


def unload_default_catalogue(indicator_model) -> None:
    """Remove the default indicators nobody has answered yet (answered ones stay: figures need them)."""
    indicator_model.objects.filter(key__in=DEFAULT_KEYS, answers__isnull=True).delete()
