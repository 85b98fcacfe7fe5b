"""Settings for bench/pages: the portal's own, with the bench's URLs on top (the
floor page and the bare view); every middleware and setting is the portal's."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "pages_urls"
