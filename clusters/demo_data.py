"""The demo data of the clusters app, as tables: the topic taxonomy, the generated
organisations' names, kinds and offers, and the demo logins with their organisations
and introductions. clusters/demo.py seeds them."""

from __future__ import annotations

from .enums import IntroductionStatus, OrganisationKind, OrgRole, SizeBand, StaffRole, TopicGroup

TOPICS = {
    TopicGroup.THERAPEUTIC: [
        "Oncology",
        "Cardiovascular",
        "Neurology",
        "Infectious diseases",
        "Rare diseases",
        "Immunology",
        "Metabolic diseases",
        "Dermatology",
        "Ophthalmology",
        "Respiratory",
        "Healthy ageing",
        "Nutrition",
    ],
    TopicGroup.TECHNOLOGY: [
        "CAR-T",
        "Cell therapy",
        "Gene therapy",
        "mRNA",
        "Antibodies",
        "Vaccines",
        "Synthetic biology",
        "Genomics",
        "Proteomics",
        "Microbiome",
        "In vitro diagnostics",
        "Medical imaging",
        "Medical devices",
        "Microfluidics",
        "Biosensors",
        "Digital health",
        "Telemedicine",
        "AI / data",
        "Bioinformatics",
        "Organoids",
        "Drug discovery",
        "Biomaterials",
        "3D bioprinting",
        "Wearables",
    ],
    TopicGroup.SERVICE: [
        "GMP manufacturing",
        "Clinical trials",
        "Regulatory affairs",
        "IP and patents",
        "Fundraising",
        "Market access",
        "Reimbursement",
        "Preclinical testing",
        "Bioproduction scale-up",
        "Quality management",
        "Health economics",
        "Technology transfer",
        "Biobanking",
        "Training",
    ],
}

LOCALES = {
    "AT": "de_AT",
    "BE": "fr_BE",
    "EE": "et_EE",
    "FI": "fi_FI",
    "FR": "fr_FR",
    "DE": "de_DE",
    "IT": "it_IT",
    "LT": "lt_LT",
    "NL": "nl_NL",
    "NO": "no_NO",
    "PL": "pl_PL",
    "PT": "pt_PT",
    "ES": "es_ES",
}

CAPITALS = {"BE": "Brussels", "IT": "Rome", "LT": "Vilnius", "NL": "Amsterdam", "ES": "Madrid"}

# How often each kind appears (SMEs are the most active members, as in the survey).
KIND_WEIGHTS = [
    (OrganisationKind.SME, 34),
    (OrganisationKind.STARTUP, 18),
    (OrganisationKind.RESEARCH, 12),
    (OrganisationKind.UNIVERSITY, 8),
    (OrganisationKind.HOSPITAL, 7),
    (OrganisationKind.LARGE, 6),
    (OrganisationKind.PROVIDER, 8),
    (OrganisationKind.INVESTOR, 4),
    (OrganisationKind.PUBLIC, 3),
]
NAME_PATTERNS = {
    OrganisationKind.SME: ["{w} Therapeutics", "{w} Biotech", "{w} Medical", "{w} Diagnostics"],
    OrganisationKind.STARTUP: ["{w} Bio", "{w} Health", "{w} Labs", "{w}Gen"],
    OrganisationKind.RESEARCH: ["{w} Institute for Biomedical Research", "{w} Research Centre"],
    OrganisationKind.UNIVERSITY: ["University of {c}", "{c} Technical University"],
    OrganisationKind.HOSPITAL: ["{c} University Hospital", "{w} Clinic {c}"],
    OrganisationKind.LARGE: ["{w} Pharma", "{w} Life Sciences Group"],
    OrganisationKind.PROVIDER: ["{w} CRO", "{w} Regulatory Consulting", "{w} Biomanufacturing"],
    OrganisationKind.INVESTOR: ["{w} Ventures", "{w} Health Capital"],
    OrganisationKind.PUBLIC: ["{c} Regional Development Agency", "{c} Health Innovation Office"],
}
# What each kind tends to offer (service topics) - keeps offers and needs plausible.
KIND_OFFERS = {
    OrganisationKind.HOSPITAL: ["Clinical trials", "Biobanking"],
    OrganisationKind.PROVIDER: [
        "GMP manufacturing",
        "Regulatory affairs",
        "Preclinical testing",
        "Quality management",
        "Clinical trials",
        "Bioproduction scale-up",
    ],
    OrganisationKind.INVESTOR: ["Fundraising"],
    OrganisationKind.UNIVERSITY: ["Technology transfer", "Training", "Bioinformatics"],
    OrganisationKind.RESEARCH: ["Technology transfer", "Preclinical testing", "Genomics"],
    OrganisationKind.LARGE: ["Market access", "Reimbursement", "GMP manufacturing"],
    OrganisationKind.PUBLIC: ["Fundraising", "Training"],
}

REGULATORY_KINDS = {OrganisationKind.PROVIDER, OrganisationKind.LARGE}

DEMO_PEOPLE = [
    # email, first, last, role in org, organisation key, staff roles
    ("admin@demo.example", "Nora", "Admin", None, None, []),
    ("manager@demo.example", "Claire", "Martin", None, None, [("Genopole", StaffRole.MANAGER)]),
    ("advisor@demo.example", "Julien", "Moreau", None, None, [("Genopole", StaffRole.ADVISOR)]),
    (
        "manager.biowin@demo.example",
        "Sofie",
        "Peeters",
        None,
        None,
        [("BioWin", StaffRole.MANAGER)],
    ),
    ("sme@demo.example", "Amélie", "Laurent", OrgRole.ADMIN, "sme", []),
    ("colleague@demo.example", "Marc", "Dubois", OrgRole.MEMBER, "sme", []),
    ("research@demo.example", "Lukas", "Becker", OrgRole.ADMIN, "research", []),
    ("other@demo.example", "Elena", "Rossi", OrgRole.ADMIN, "other", []),
]
DEMO_ORGS = {
    "sme": dict(
        name="NeoCell Therapeutics",
        kind=OrganisationKind.SME,
        country="FR",
        city="Évry",
        size=SizeBand.SMALL,
        clusters=["Genopole"],
        topics=["Cell therapy", "CAR-T", "Oncology"],
        offer_topics=["CAR-T", "Cell therapy"],
        need_topics=["GMP manufacturing", "Regulatory affairs", "Clinical trials"],
        offers="Autologous CAR-T cell therapy candidates for solid tumours, "
        "preclinical data package.",
        needs="A GMP manufacturing partner for clinical batches, regulatory affairs support for "
        "the first clinical trial application, and hospital sites for a phase I trial.",
        description="Start-up developing next-generation CAR-T therapies for solid tumours.",
    ),
    "research": dict(
        name="Rhine Institute for Molecular Medicine",
        kind=OrganisationKind.RESEARCH,
        country="DE",
        city="Heidelberg",
        size=SizeBand.MEDIUM,
        clusters=["BioRN - Life Science Cluster Rhine-Neckar", "Genopole"],
        topics=["Genomics", "Oncology", "Bioinformatics"],
        offer_topics=["Genomics", "Bioinformatics", "Technology transfer"],
        need_topics=["Fundraising", "Market access"],
        offers="Single-cell genomics platform and bioinformatics for biomarker discovery.",
        needs="Industrial partners to license biomarker patents; funding for spin-offs.",
        description="Public research institute in molecular medicine.",
    ),
    "other": dict(
        name="Mosa Diagnostics",
        kind=OrganisationKind.SME,
        country="BE",
        city="Liège",
        size=SizeBand.SMALL,
        clusters=["BioWin"],
        topics=["In vitro diagnostics", "Microfluidics", "Infectious diseases"],
        offer_topics=["In vitro diagnostics", "Microfluidics"],
        need_topics=["Regulatory affairs", "Market access"],
        offers="Point-of-care microfluidic assays for infectious diseases.",
        needs="IVDR regulatory affairs support and market access in France and Germany.",
        description="Diagnostics SME building rapid point-of-care tests.",
    ),
}


# (from org, from person, to org, message, status, days ago sent)
DEMO_INTRODUCTIONS = [
    (
        "other",
        "other@demo.example",
        "sme",
        "We build point-of-care diagnostics and would like to discuss companion "
        "diagnostics for your CAR-T programme.",
        IntroductionStatus.PENDING,
        2,
    ),
    (
        "sme",
        "sme@demo.example",
        "research",
        "We are looking for single-cell genomics support for our preclinical package.",
        IntroductionStatus.ACCEPTED,
        9,
    ),
    (
        "research",
        "research@demo.example",
        "other",
        "Could our biomarker work feed into your infectious-disease assays?",
        IntroductionStatus.PENDING,
        1,
    ),
]
