"""Science-day pages: public (campaign list and map, activity, statistics, calendar, widget),
for organisations (register, my activities, report participation) and for staff
(moderation, report export)."""
