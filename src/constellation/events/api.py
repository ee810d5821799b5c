"""The events API: one router composed of each area's router."""

from ninja import Router

from constellation.events.cfp.api import router as cfp_router
from constellation.events.programme.api import router as programme_router
from constellation.events.registration.api import router as registration_router

router = Router(tags=["events"])
router.add_router("", programme_router)
router.add_router("", cfp_router)
router.add_router("", registration_router)
