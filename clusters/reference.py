"""Expertise topics' names in the reader's language.

Topics are a curated taxonomy (seeded by clusters/demo.py, managed in the admin)
stored with their English name. The names are translated through the
catalogues: each seeded topic is marked here, so `make messages` collects it,
and `topic_name()` looks it up when a page, a filter or a suggestion reason
shows it. A topic added in the admin shows its name as written until it is
marked here and translated. tests/clusters/test_reference.py keeps this list and
the demo's topics in step.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "topic"

TOPIC_NAMES = (
    # therapeutic areas
    pgettext_lazy("topic", "Oncology"),
    pgettext_lazy("topic", "Cardiovascular"),
    pgettext_lazy("topic", "Neurology"),
    pgettext_lazy("topic", "Infectious diseases"),
    pgettext_lazy("topic", "Rare diseases"),
    pgettext_lazy("topic", "Immunology"),
    pgettext_lazy("topic", "Metabolic diseases"),
    pgettext_lazy("topic", "Dermatology"),
    pgettext_lazy("topic", "Ophthalmology"),
    pgettext_lazy("topic", "Respiratory"),
    pgettext_lazy("topic", "Healthy ageing"),
    pgettext_lazy("topic", "Nutrition"),
    # technologies
    pgettext_lazy("topic", "CAR-T"),
    pgettext_lazy("topic", "Cell therapy"),
    pgettext_lazy("topic", "Gene therapy"),
    pgettext_lazy("topic", "mRNA"),
    pgettext_lazy("topic", "Antibodies"),
    pgettext_lazy("topic", "Vaccines"),
    pgettext_lazy("topic", "Synthetic biology"),
    pgettext_lazy("topic", "Genomics"),
    pgettext_lazy("topic", "Proteomics"),
    pgettext_lazy("topic", "Microbiome"),
    pgettext_lazy("topic", "In vitro diagnostics"),
    pgettext_lazy("topic", "Medical imaging"),
    pgettext_lazy("topic", "Medical devices"),
    pgettext_lazy("topic", "Microfluidics"),
    pgettext_lazy("topic", "Biosensors"),
    pgettext_lazy("topic", "Digital health"),
    pgettext_lazy("topic", "Telemedicine"),
    pgettext_lazy("topic", "AI / data"),
    pgettext_lazy("topic", "Bioinformatics"),
    pgettext_lazy("topic", "Organoids"),
    pgettext_lazy("topic", "Drug discovery"),
    pgettext_lazy("topic", "Biomaterials"),
    pgettext_lazy("topic", "3D bioprinting"),
    pgettext_lazy("topic", "Wearables"),
    # services
    pgettext_lazy("topic", "GMP manufacturing"),
    pgettext_lazy("topic", "Clinical trials"),
    pgettext_lazy("topic", "Regulatory affairs"),
    pgettext_lazy("topic", "IP and patents"),
    pgettext_lazy("topic", "Fundraising"),
    pgettext_lazy("topic", "Market access"),
    pgettext_lazy("topic", "Reimbursement"),
    pgettext_lazy("topic", "Preclinical testing"),
    pgettext_lazy("topic", "Bioproduction scale-up"),
    pgettext_lazy("topic", "Quality management"),
    pgettext_lazy("topic", "Health economics"),
    pgettext_lazy("topic", "Technology transfer"),
    pgettext_lazy("topic", "Biobanking"),
    pgettext_lazy("topic", "Training"),
)


def topic_name(name: str) -> str:
    """The stored (English) name of a topic in the active language."""
    return pgettext(CONTEXT, name) if name else name


@lru_cache(maxsize=1)
def marked_topic_names() -> frozenset[str]:
    """The English names marked above (to read reasons back into names)."""
    with translation.override(None):
        return frozenset(str(name) for name in TOPIC_NAMES)
